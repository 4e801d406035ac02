"""The numbers officials report (DOMAIN.md), for a period and a region or some stations.

How each number is counted
- Suggestions count in the month they were received (`created`), in the state they are in now.
  Pending = received, accepted, assigned or being handled; overdue = still open past its deadline.
- Handling rate (办结率) = completed, fed back or closed / (received − not accepted − merged).
- On-time rate = completed on or before the deadline / completed with a deadline (only the
  township and county routes get a deadline).
- Satisfaction shares are over the rated suggestions.
- Average working days to complete: working days in (received date, completed date] by the
  official calendar (`workdays.services`). Asking the calendar per suggestion would loop over the
  rows. Instead the database groups the completed suggestions by their (received date, completed
  date) pair and each distinct pair is priced once from a cumulative working-day index built with
  the same calendar; the pairs grow with the length of the period (a month gives a few hundred at
  most), not with the number of suggestions. It is exact, not a sample; past months are kept in
  the summaries.
- Receptions held, visitors (batches, person-times), duties done and receptions logged count in the
  month of the reception day; only held days count.
- Coverage = villages and communities under the scope with an active station that has a current
  assignment (or is a point led by a representative) / all of them. It is a state, not a flow, so
  it is "now" whatever the period.

Where they come from
- Region scopes (a supervisor's regions, the whole province): whole past months and the current
  month up to yesterday come from the region summaries (`ledger.models.RegionMonthSummary`, kept
  by `ledger.summaries` every ten minutes); today, partial months at the period's edges and
  months not summarised yet are counted live. A province's year is about twelve summary rows
  plus one day of suggestions.
- Station scopes (a station with its points, a staff member's stations) are always counted live:
  a station has a few hundred suggestions a year, which an index range reads at once.
Every count is one aggregate query (Count/Sum with a filter, values().annotate() group-bys);
Python only adds up grouped rows. Summary reads go through the cache under keys made of the
months' refresh stamps (a refresh makes new keys, so they are never staler than the summaries);
the coverage of a summarised region is cached for the same ten minutes.
"""

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, DateField, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from liaison.months import month_end, month_start, month_start_after, months_between, next_month
from receptions.models import Duty, DutyLog, ReceptionDay
from representatives.models import Assignment, Representative
from stations.models import Region, Station
from suggestions.models import Department, DepartmentTask, Suggestion, Theme
from workdays.services import is_working_day

from .models import RegionMonthBreakdown, RegionMonthSummary, SummaryMonth

Status = Suggestion.Status
FINISHED = tuple(Suggestion.FINISHED_STATUSES)
OPEN = tuple(Suggestion.OPEN_STATUSES)
ONE_DAY = dt.timedelta(days=1)

# The summary table's columns, in three families that are counted in three ways.
SUMMARY_FIELDS: tuple[str, ...] = tuple(
    f.name for f in RegionMonthSummary._meta.fields if f.name not in ("id", "region", "month")
)
DAY_FIELDS = ("days_total", "days_counted")
RECEPTION_FIELDS = (
    "receptions_held", "visitor_batches", "visitors", "duties_done", "receptions_logged",
)  # fmt: skip
BREAKDOWN_FIELDS = ("received", "completed", "overdue")
# Regions down to this level have summaries; a village is counted live (it has a point or two).
SUMMARY_LEVEL = Region.Level.TOWNSHIP
# Scopes at this level or below list each representative's work; above it the list would have
# tens of thousands of rows and the totals say enough.
REPRESENTATIVE_LIST_LEVEL = Region.Level.COUNTY
REPRESENTATIVE_LIST_LIMIT = 50
# A province has over a thousand departments; the table shows the busiest.
DEPARTMENT_LIST_LIMIT = 30
COVERAGE_CACHE_SECONDS = 600
# Summary reads are cached under keys that change with every refresh; this only bounds memory.
SUMMARY_CACHE_SECONDS = 3600


# --- dates -------------------------------------------------------------------------------


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _month_of(field_name: str) -> TruncMonth:
    return TruncMonth(field_name, output_field=DateField())


def _uncovered(start: dt.date, stop: dt.date, covered: Sequence[tuple]) -> list[tuple]:
    """The parts of [start, stop) outside the [from, to) ranges in `covered`."""
    ranges, cursor = [], start
    for first, after in sorted(covered):
        if first > cursor:
            ranges.append((cursor, first))
        cursor = max(cursor, after)
    if cursor < stop:
        ranges.append((cursor, stop))
    return ranges


class WorkingDayIndex:
    """Working days counted from a base date, so that (a, b] costs one subtraction.

    `between(a, b)` equals `workdays.services.working_days_between(a, b)`: both count the
    days in (a, b] that the calendar calls working days.
    """

    def __init__(self, first: dt.date, last: dt.date):
        self.first = first
        self.cumulative: dict[dt.date, int] = {}
        count, day = 0, first
        while day <= last:
            if day > first and is_working_day(day):
                count += 1
            self.cumulative[day] = count
            day += ONE_DAY

    def between(self, start: dt.date, end: dt.date) -> int:
        if end <= start:
            return 0
        return self.cumulative[end] - self.cumulative[start]


def working_day_totals(rows: Iterable[tuple]) -> dict:
    """Sum working days per key from grouped rows (key, received date, completed date, count).

    Returns {key: (working days in total, suggestions counted)}; one calendar index serves all.
    """
    rows = list(rows)
    if not rows:
        return {}
    first = min(row[1] for row in rows)
    last = max(max(row[2] for row in rows), first)
    index = WorkingDayIndex(first, last)
    totals: dict = defaultdict(lambda: [0, 0])
    for key, received, completed, n in rows:
        totals[key][0] += index.between(received, completed) * n
        totals[key][1] += n
    return {key: tuple(value) for key, value in totals.items()}


# --- what is counted --------------------------------------------------------------------------


def suggestion_measures(today: dt.date) -> dict:
    """Every suggestion count of the summary table, as aggregates over suggestions."""
    finished = Q(status__in=FINISHED)
    has_deadline = Q(deadline__isnull=False, completed_at__isnull=False)
    measures = {"received": Count("pk")}
    measures |= {f"status_{v}": Count("pk", filter=Q(status=v)) for v in Status.values}
    measures["overdue"] = Count("pk", filter=Q(status__in=OPEN, deadline__lt=today))
    measures["reopened"] = Count("pk", filter=Q(reopen_count__gt=0))
    measures["raised"] = Count(
        "pk", filter=Q(addressee__isnull=False) | Q(reception_day__isnull=False)
    )
    for prefix, name, choices in (
        ("channel", "channel", Suggestion.Channel),
        ("route", "route", Suggestion.Route),
        ("outcome", "outcome", Suggestion.Outcome),
        ("rating", "rating", Suggestion.Rating),
    ):
        measures |= {
            f"{prefix}_{v.lower()}": Count("pk", filter=Q(**{name: v})) for v in choices.values
        }
    measures["with_deadline"] = Count("pk", filter=finished & has_deadline)
    measures["on_time"] = Count(
        "pk", filter=finished & has_deadline & Q(completed_at__date__lte=F("deadline"))
    )
    return measures


def breakdown_measures(today: dt.date, prefix: str = "") -> dict:
    return {
        "received": Count("pk"),
        "completed": Count("pk", filter=Q(**{f"{prefix}status__in": FINISHED})),
        "overdue": Count(
            "pk", filter=Q(**{f"{prefix}status__in": OPEN, f"{prefix}deadline__lt": today})
        ),
    }


assert set(SUMMARY_FIELDS) == {
    *suggestion_measures(dt.date.today()),
    *DAY_FIELDS,
    *RECEPTION_FIELDS,
}, "RegionMonthSummary's columns and the measures counted into them must match"


# --- the scope --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What the figures are about: some regions (with their subtrees) or some stations."""

    label: str
    regions: tuple[Region, ...] = ()
    station_ids: tuple[int, ...] = ()

    def q(self, station_path: str) -> Q:
        """Rows whose station (reached by `station_path`) lies in the target."""
        if self.regions:
            q = Q()
            for region in self.regions:
                q |= Q(**{f"{station_path}__region__path__startswith": region.path})
            return q
        return Q(**{f"{station_path}__in": self.station_ids})

    @property
    def lists_representatives(self) -> bool:
        return not self.regions or all(r.level >= REPRESENTATIVE_LIST_LEVEL for r in self.regions)


def station_unit_ids(station: Station) -> list[int]:
    """A station with its liaison points (a point is one unit on its own)."""
    if station.kind == Station.Kind.POINT:
        return [station.pk]
    return [station.pk, *station.points.values_list("pk", flat=True)]


def _outermost(regions: Iterable[Region]) -> tuple[Region, ...]:
    """Drop regions that lie inside another one of the list (they would count twice)."""
    regions = sorted(set(regions), key=lambda r: r.path)
    kept: list[Region] = []
    for region in regions:
        if not any(region.path.startswith(k.path) for k in kept):
            kept.append(region)
    return tuple(kept)


def make_target(
    *,
    region: Region | None = None,
    station: Station | None = None,
    stations: Sequence[Station] | None = None,
    regions: Sequence[Region] | None = None,
) -> Target:
    if station is not None:
        return Target(label=station.name, station_ids=tuple(station_unit_ids(station)))
    if stations is not None:
        return Target(
            label="、".join(s.name for s in stations[:3]) + ("…" if len(stations) > 3 else ""),
            station_ids=tuple(s.pk for s in stations),
        )
    chosen = _outermost([region] if region is not None else list(regions or ()))
    if not chosen:
        raise ValueError("station_stats needs a region, regions, a station or stations")
    return Target(label="、".join(r.name for r in chosen), regions=chosen)


# --- the result -------------------------------------------------------------------------------


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


# --- counting -------------------------------------------------------------------------------


def _range_q(field_name: str, ranges: Sequence[tuple], *, moments: bool) -> Q:
    q = Q()
    for start, stop in ranges:
        if moments:
            start, stop = local_midnight(start), local_midnight(stop)
        q |= Q(**{f"{field_name}__gte": start, f"{field_name}__lt": stop})
    return q


def _add_live(per_month, breakdowns, target: Target, ranges, today: dt.date) -> None:
    """Count the suggestions and receptions of `ranges` live, by month, into the accumulators."""
    suggestions = Suggestion.objects.filter(
        target.q("station"), _range_q("created", ranges, moments=True)
    ).order_by()
    # One pass over the rows by (month, theme) gives both the months' figures (summed over
    # the themes) and the theme breakdown (summed over the months).
    rows = suggestions.annotate(m=_month_of("created")).values("m", "theme_id")
    themes = breakdowns[RegionMonthBreakdown.Dimension.THEME]
    for row in rows.annotate(**suggestion_measures(today)):
        month, theme = row.pop("m"), row.pop("theme_id")
        per_month[month].update(row)
        themes[theme].update(
            received=row["received"],
            completed=sum(row[f"status_{status}"] for status in FINISHED),
            overdue=row["overdue"],
        )
    pairs = (
        suggestions.filter(status__in=FINISHED, completed_at__isnull=False)
        .annotate(m=_month_of("created"), a=TruncDate("created"), b=TruncDate("completed_at"))
        .values_list("m", "a", "b")
        .annotate(n=Count("pk"))
    )
    for month, (total, counted) in working_day_totals(pairs).items():
        per_month[month].update(days_total=total, days_counted=counted)
    tasks = DepartmentTask.objects.filter(
        target.q("suggestion__station"),
        _range_q("suggestion__created", ranges, moments=True),
        role=DepartmentTask.Role.LEAD,
    ).exclude(state=DepartmentTask.State.HANDED_BACK)
    for row in (
        tasks.order_by()
        .values("department_id")
        .annotate(**breakdown_measures(today, "suggestion__"))
    ):
        breakdowns[RegionMonthBreakdown.Dimension.DEPARTMENT][row.pop("department_id")].update(row)
    receptions = reception_counts(target.q("station"), target.q("day__station"), ranges)
    for month, counts in receptions.items():
        per_month[month].update(counts)


def reception_counts(day_q: Q, duty_q: Q, ranges, *, group: str = "") -> dict:
    """Receptions held, visitors, duties done and logs by representatives, by month (and group).

    `group` is the station path's end to group by as well (the summaries group by region).
    """
    out: dict = defaultdict(Counter)
    held = ReceptionDay.objects.filter(
        day_q, _range_q("date", ranges, moments=False), status=ReceptionDay.Status.HELD
    ).order_by()
    keys = ["m", *([f"station__{group}"] if group else [])]

    def key(row):
        return (row.pop("m"), row.pop(keys[1])) if group else row.pop("m")

    for row in (
        held.annotate(m=_month_of("date"))
        .values(*keys)
        .annotate(
            receptions_held=Count("pk"),
            visitor_batches=Coalesce(Sum("log__visitor_batches"), 0),
            visitors=Coalesce(Sum("log__visitors"), 0),
        )
    ):
        out[key(row)].update(row)
    duty_keys = ["m", *([f"day__station__{group}"] if group else [])]
    for model, measure, extra in (
        (Duty, "duties_done", Q(day__status=ReceptionDay.Status.HELD)),
        (DutyLog, "receptions_logged", Q(recorded_by__representative__isnull=False)),
    ):
        rows = (
            model.objects.filter(duty_q, extra, _range_q("day__date", ranges, moments=False))
            .order_by()
            .annotate(m=_month_of("day__date"))
            .values(*duty_keys)
            .annotate(**{measure: Count("pk")})
        )
        for row in rows:
            month = row.pop("m")
            out[(month, row.pop(duty_keys[1])) if group else month].update(row)
    return out


def _coverage(target: Target, today: dt.date) -> Coverage:
    """Coverage now; for regions with summaries kept ten minutes, like the summaries themselves
    (it changes only with assignments, and a province's count reads every assignment)."""
    if not (target.regions and all(r.level <= SUMMARY_LEVEL for r in target.regions)):
        return _count_coverage(target)
    key = f"ledger:coverage:{today.isoformat()}:{','.join(str(r.pk) for r in target.regions)}"
    counts = cache.get(key)
    if counts is None:
        coverage = _count_coverage(target)
        cache.set(key, (coverage.covered, coverage.total), COVERAGE_CACHE_SECONDS)
        return coverage
    return Coverage(*counts)


def _count_coverage(target: Target) -> Coverage:
    if target.regions:
        areas = {r.path for r in target.regions}
    else:
        areas = set(
            Station.objects.filter(pk__in=target.station_ids).values_list("region__path", flat=True)
        )
    in_area, station_in_area = Q(pk__in=[]), Q(pk__in=[])
    for path in areas:
        in_area |= Q(path__startswith=path)
        station_in_area |= Q(region__path__startswith=path)
    current = Assignment.objects.current().filter(
        station=OuterRef("pk"), representative__is_active=True
    )
    # Two plain counts: the villages, and the villages of stations with someone assigned.
    total = Region.objects.filter(in_area, level=Region.Level.VILLAGE).count()
    covered = (
        Station.objects.active()
        .filter(station_in_area, region__level=Region.Level.VILLAGE)
        .filter(Q(Exists(current)) | Q(kind=Station.Kind.POINT, head__isnull=False))
        .values("region_id")
        .distinct()
        .count()
    )
    return Coverage(covered=covered, total=total)


def _representatives(target: Target, start: dt.date, end: dt.date) -> list[RepresentativeRow]:
    """Each representative's duties done, suggestions raised and receptions logged."""
    ranges = [(start, end + ONE_DAY)]
    created = _range_q("created", ranges, moments=True)
    days = _range_q("day__date", ranges, moments=False)
    activity: dict[int, Counter] = defaultdict(Counter)
    for rep, n in (
        Duty.objects.filter(target.q("day__station"), days, day__status=ReceptionDay.Status.HELD)
        .order_by()
        .values_list("representative_id")
        .annotate(n=Count("pk"))
    ):
        activity[rep]["duties"] += n
    for rep, n in (
        Suggestion.objects.filter(target.q("station"), created, addressee__isnull=False)
        .order_by()
        .values_list("addressee_id")
        .annotate(n=Count("pk"))
    ):
        activity[rep]["raised"] += n
    # Raised at a reception the representative was on duty for, unless addressed to them
    # (counted above): every suggestion counts once for each representative.
    at_reception = _range_q("day__suggestions__created", ranges, moments=True) & (
        Q(day__suggestions__addressee__isnull=True)
        | ~Q(day__suggestions__addressee_id=F("representative_id"))
    )
    for rep, n in (
        Duty.objects.filter(target.q("day__station"), day__suggestions__isnull=False)
        .order_by()
        .values_list("representative_id")
        .annotate(n=Count("day__suggestions", filter=at_reception))
    ):
        activity[rep]["raised"] += n
    for rep, n in (
        DutyLog.objects.filter(
            target.q("day__station"), days, recorded_by__representative__isnull=False
        )
        .order_by()
        .values_list("recorded_by__representative")
        .annotate(n=Count("pk"))
    ):
        activity[rep]["logged"] += n
    if target.station_ids:
        # A station's page lists everyone stationed there, idle or not.
        stationed = Assignment.objects.current().filter(station_id__in=target.station_ids)
        for rep in stationed.values_list("representative_id", flat=True):
            activity[rep]["duties"] += 0
    ranked = sorted(activity, key=lambda rep: (-sum(activity[rep].values()), rep))
    ranked = ranked[:REPRESENTATIVE_LIST_LIMIT]
    people = Representative.objects.in_bulk(ranked)
    return [
        RepresentativeRow(
            representative_id=rep,
            name=people[rep].name,
            level=people[rep].get_level_display(),
            duties_done=activity[rep]["duties"],
            suggestions_raised=activity[rep]["raised"],
            receptions_logged=activity[rep]["logged"],
        )
        for rep in ranked
        if rep in people
    ]


def _figures(totals: Counter, prefix: str, choices, denominator: int) -> list[Figure]:
    figures = []
    for value, label in choices.choices:
        count = totals[f"{prefix}_{value.lower()}"]
        figures.append(Figure(value, str(label), count, Rate(count, denominator)))
    return figures


def _breakdown_rows(counts: dict[int, Counter], names: dict[int, str]) -> list[BreakdownRow]:
    rows = [
        BreakdownRow(key, names.get(key, "?"), c["received"], c["completed"], c["overdue"])
        for key, c in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.received, r.label))


def _read_summaries(target: Target, covered, summarised: dict) -> tuple[dict, dict]:
    """The summary rows of `target`'s regions for the summarised months, added up by month (and
    by theme and department).

    Read through the cache: the key holds every month's refresh stamp, so a refresh makes a new
    key and a cached read is never older than the summaries themselves.
    """
    region_ids = [r.pk for r in target.regions]
    stamp = ";".join(f"{first}:{after}:{summarised[first].timestamp()}" for first, after in covered)
    key = (
        "ledger:summaries:"
        + hashlib.sha1(f"{region_ids}|{stamp}".encode(), usedforsecurity=False).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    months_read: dict[dt.date, dict] = {}
    for row in (
        RegionMonthSummary.objects.filter(region_id__in=region_ids, month__in=summarised)
        .values("month")
        .annotate(**{name: Sum(name) for name in SUMMARY_FIELDS})
        .order_by()
    ):
        months_read[row.pop("month")] = row
    breakdowns_read: dict[str, dict[int, dict]] = defaultdict(dict)
    for row in (
        RegionMonthBreakdown.objects.filter(region_id__in=region_ids, month__in=summarised)
        .values("dimension", "key")
        .annotate(**{name: Sum(name) for name in BREAKDOWN_FIELDS})
        .order_by()
    ):
        breakdowns_read[row.pop("dimension")][row.pop("key")] = row
    result = (months_read, dict(breakdowns_read))
    cache.set(key, result, SUMMARY_CACHE_SECONDS)
    return result


def station_stats(
    *,
    region: Region | None = None,
    station: Station | None = None,
    start: dt.date,
    end: dt.date,
    stations: Sequence[Station] | None = None,
    regions: Sequence[Region] | None = None,
    use_summaries: bool = True,
    today: dt.date | None = None,
) -> StationStats:
    """Every reported number for [start, end] (both included) and one region, station or more.

    `use_summaries=False` counts everything live (the tests compare the two ways).
    """
    today = today or timezone.localdate()
    target = make_target(region=region, station=station, stations=stations, regions=regions)
    months = months_between(start, end)
    summarised: dict[dt.date, dt.datetime] = {}
    covered: list[tuple[dt.date, dt.date]] = []
    current = month_start(today)
    candidates = [m for m in months if start <= m <= current]
    summarised_scope = all(r.level <= SUMMARY_LEVEL for r in target.regions)
    if use_summaries and target.regions and summarised_scope and candidates:
        for month, refreshed, until in SummaryMonth.objects.filter(
            month__in=candidates
        ).values_list("month", "refreshed", "until"):
            # Whole past months; the current month only as built today (up to today).
            if (until is None) != (month < current) or (until is not None and until != today):
                continue
            after = until or next_month(month)
            if after <= end + ONE_DAY:
                summarised[month] = refreshed
                covered.append((month, after))

    per_month: dict[dt.date, Counter] = defaultdict(Counter)
    breakdowns: dict[str, dict[int, Counter]] = defaultdict(lambda: defaultdict(Counter))
    if summarised:
        months_read, breakdowns_read = _read_summaries(target, covered, summarised)
        for month, counts in months_read.items():
            per_month[month].update(counts)
        for dimension, rows in breakdowns_read.items():
            for key, counts in rows.items():
                breakdowns[dimension][key].update(counts)
    live = _uncovered(start, end + ONE_DAY, covered)
    if live:
        _add_live(per_month, breakdowns, target, live, today)

    t: Counter = Counter()
    for counts in per_month.values():
        t.update(counts)
    completed = sum(t[f"status_{s}"] for s in FINISHED)
    rejected, merged = t["status_rejected"], t["status_merged"]
    handled = t["received"] - rejected - merged
    rated = sum(t[f"rating_{v}"] for v in Suggestion.Rating.values)
    routed = sum(t[f"route_{v}"] for v in Suggestion.Route.values)
    outcomes = sum(t[f"outcome_{v.lower()}"] for v in Suggestion.Outcome.values)

    theme_counts = breakdowns[RegionMonthBreakdown.Dimension.THEME]
    department_counts = breakdowns[RegionMonthBreakdown.Dimension.DEPARTMENT]
    theme_names = dict(Theme.objects.filter(pk__in=list(theme_counts)).values_list("pk", "name"))
    busiest = sorted(department_counts, key=lambda k: (-department_counts[k]["received"], k))
    busiest = busiest[:DEPARTMENT_LIST_LIMIT]
    department_names = (
        dict(Department.objects.filter(pk__in=busiest).values_list("pk", "name")) if busiest else {}
    )
    by_month = []
    for month in months:
        c = per_month.get(month, Counter())
        done = sum(c[f"status_{s}"] for s in FINISHED)
        base = c["received"] - c["status_rejected"] - c["status_merged"]
        by_month.append(
            MonthRow(
                month=month,
                received=c["received"],
                completed=done,
                handling_rate=Rate(done, base),
                receptions_held=c["receptions_held"],
                visitors=c["visitors"],
            )
        )

    return StationStats(
        label=target.label,
        start=start,
        end=end,
        received=t["received"],
        rejected=rejected,
        merged=merged,
        completed=completed,
        pending=handled - completed,
        overdue=t["overdue"],
        reopened=t["reopened"],
        raised=t["raised"],
        handling_rate=Rate(completed, handled),
        on_time_rate=Rate(t["on_time"], t["with_deadline"]),
        satisfaction_rate=Rate(t["rating_satisfied"] + t["rating_basically"], rated),
        rated=rated,
        average_working_days=(
            round(t["days_total"] / t["days_counted"], 1) if t["days_counted"] else None
        ),
        days_counted=t["days_counted"],
        statuses=_figures(t, "status", Status, t["received"]),
        channels=_figures(t, "channel", Suggestion.Channel, t["received"]),
        routes=_figures(t, "route", Suggestion.Route, routed),
        outcomes=_figures(t, "outcome", Suggestion.Outcome, outcomes),
        ratings=_figures(t, "rating", Suggestion.Rating, rated),
        by_month=by_month,
        by_theme=_breakdown_rows(theme_counts, theme_names),
        by_department=_breakdown_rows({k: department_counts[k] for k in busiest}, department_names),
        departments_not_listed=len(department_counts) - len(busiest),
        receptions_held=t["receptions_held"],
        visitor_batches=t["visitor_batches"],
        visitors=t["visitors"],
        duties_done=t["duties_done"],
        receptions_logged=t["receptions_logged"],
        coverage=_coverage(target, today),
        representatives=(
            _representatives(target, start, end) if target.lists_representatives else None
        ),
        station_ids=target.station_ids,
        summarised_months=sorted(summarised),
        summaries_refreshed=min(summarised.values()) if summarised else None,
    )


# --- smaller reads ----------------------------------------------------------------------------


def monthly_figures(station_ids: Sequence[int], *, months: int = 12, today=None) -> list[MonthRow]:
    """Received, completed and handling rate for each of the last `months` months (one query)."""
    today = today or timezone.localdate()
    first = month_start_after(today, -(months - 1))
    rows = {
        row["m"]: row
        for row in Suggestion.objects.filter(
            station_id__in=station_ids, created__gte=local_midnight(first)
        )
        .order_by()
        .annotate(m=_month_of("created"))
        .values("m")
        .annotate(
            received=Count("pk"),
            completed=Count("pk", filter=Q(status__in=FINISHED)),
            excluded=Count("pk", filter=Q(status__in=(Status.REJECTED, Status.MERGED))),
        )
    }
    out = []
    for month in months_between(first, today):
        row = rows.get(month, {"received": 0, "completed": 0, "excluded": 0})
        base = row["received"] - row["excluded"]
        out.append(
            MonthRow(
                month=month,
                received=row["received"],
                completed=row["completed"],
                handling_rate=Rate(row["completed"], base),
            )
        )
    return out


def period_label(start: dt.date, end: dt.date) -> str:
    """2025-03, 2025-01 – 2025-06, or whole dates when the period does not follow months."""
    if start == month_start(start) and end == month_end(end):
        if start == month_start(end):
            return f"{start:%Y-%m}"
        return f"{start:%Y-%m} – {end:%Y-%m}"
    return f"{start.isoformat()} – {end.isoformat()}"


# --- who reads what -------------------------------------------------------------------------


@dataclass(frozen=True)
class StatsScope:
    """The statistics a user may read, from `suggestions.permissions.scope_of` (the one rule).

    Station staff and heads: their stations (with points). Supervisors: their regions' subtrees.
    Superusers: everything, starting from the top regions.
    """

    is_superuser: bool
    regions: tuple[Region, ...]
    stations: tuple[Station, ...]
    station_ids: frozenset[int]

    @property
    def is_empty(self) -> bool:
        return not (self.is_superuser or self.regions or self.stations)

    def allows_region(self, region: Region) -> bool:
        return self.is_superuser or any(region.path.startswith(r.path) for r in self.regions)

    def allows_station(self, station: Station) -> bool:
        return (
            self.is_superuser
            or station.pk in self.station_ids
            or self.allows_region(station.region)
        )


def stats_scope(user) -> StatsScope:
    from suggestions.permissions import scope_of

    scope = scope_of(user)
    if scope.is_superuser:
        return StatsScope(
            True, tuple(Region.objects.filter(parent__isnull=True).order_by("code", "name")),
            (), frozenset(),
        )  # fmt: skip
    regions = _outermost(Region.objects.filter(path__in=scope.region_paths))
    stations = ()
    if scope.station_ids:
        stations = tuple(
            Station.objects.filter(pk__in=scope.station_ids)
            .select_related("region")
            .order_by("kind", "name")
        )
    return StatsScope(False, regions, stations, frozenset(scope.station_ids))


def month_receptions(station_ids: Sequence[int], month: dt.date) -> list[ReceptionDay]:
    """The reception days held in `month`, with their logs and who was on duty (two queries)."""
    return list(
        ReceptionDay.objects.filter(
            station_id__in=station_ids,
            status=ReceptionDay.Status.HELD,
            date__gte=month,
            date__lt=next_month(month),
        )
        .select_related("station", "log")
        .prefetch_related("duties__representative")
        .order_by("date", "start_time")
    )


@dataclass(frozen=True)
class StatusGroup:
    status: str
    label: str
    suggestions: list[Suggestion]


def month_suggestions(station_ids: Sequence[int], month: dt.date) -> list[StatusGroup]:
    """The suggestions received in `month`, grouped by their status in the lifecycle's order."""
    suggestions = (
        Suggestion.objects.filter(
            station_id__in=station_ids,
            created__gte=local_midnight(month),
            created__lt=local_midnight(next_month(month)),
        )
        .select_related("theme", "station")
        .defer("content", "phone", "name", "rating_comment", "feedback_note")
        .order_by("created", "pk")
    )
    groups: dict[str, list[Suggestion]] = {value: [] for value in Status.values}
    for suggestion in suggestions:
        groups[suggestion.status].append(suggestion)
    return [
        StatusGroup(value, str(label), groups[value])
        for value, label in Status.choices
        if groups[value]
    ]
