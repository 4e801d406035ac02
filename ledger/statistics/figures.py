"""The figures as the pages show them: rates with their counts, rows by month, theme, department
and representative, coverage, and every number of a period together (`StationStats`)."""

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rate:
    """A share with the counts it comes from; prints as 93.5% (or — when nothing to count)."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def __str__(self) -> str:
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    count: int
    share: Rate


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    received: int
    completed: int
    handling_rate: Rate
    # None where only the suggestions were counted (the public notice's monthly figures).
    receptions_held: int | None = None
    visitors: int | None = None


@dataclass(frozen=True)
class BreakdownRow:
    key: int
    label: str
    received: int
    completed: int
    overdue: int


@dataclass(frozen=True)
class RepresentativeRow:
    representative_id: int
    name: str
    level: str
    duties_done: int
    suggestions_raised: int
    receptions_logged: int


@dataclass(frozen=True)
class Coverage:
    covered: int
    total: int

    @property
    def rate(self) -> Rate:
        return Rate(self.covered, self.total)


@dataclass
class StationStats:
    label: str
    start: dt.date
    end: dt.date
    received: int
    rejected: int
    merged: int
    completed: int
    pending: int
    overdue: int
    reopened: int
    raised: int
    handling_rate: Rate
    on_time_rate: Rate
    satisfaction_rate: Rate
    rated: int
    average_working_days: float | None
    days_counted: int
    statuses: list[Figure]
    channels: list[Figure]
    routes: list[Figure]
    outcomes: list[Figure]
    ratings: list[Figure]
    by_month: list[MonthRow]
    by_theme: list[BreakdownRow]
    by_department: list[BreakdownRow]
    departments_not_listed: int
    receptions_held: int
    visitor_batches: int
    visitors: int
    duties_done: int
    receptions_logged: int
    coverage: Coverage
    representatives: list[RepresentativeRow] | None
    # The stations counted (a station with its points), empty for regions.
    station_ids: tuple[int, ...] = ()
    # Where the figures came from, for the page's footnote.
    summarised_months: list[dt.date] = field(default_factory=list)
    summaries_refreshed: dt.datetime | None = None
