"""Periods and dates: local midnights, month buckets, the parts of a period not yet counted,
period labels, and working days between two dates by the official calendar."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import DateField, Q
from django.db.models.functions import TruncMonth

from liaison.months import month_end, month_start
from workdays.selectors import is_working_day

ONE_DAY = dt.timedelta(days=1)


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def month_of(field_name: str) -> TruncMonth:
    return TruncMonth(field_name, output_field=DateField())


def uncovered(start: dt.date, stop: dt.date, covered: Sequence[tuple]) -> list[tuple]:
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

    `between(a, b)` equals `workdays.selectors.working_days_between(a, b)`: both count the
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


def period_label(start: dt.date, end: dt.date) -> str:
    """2025-03, 2025-01 – 2025-06, or whole dates when the period does not follow months."""
    if start == month_start(start) and end == month_end(end):
        if start == month_start(end):
            return f"{start:%Y-%m}"
        return f"{start:%Y-%m} – {end:%Y-%m}"
    return f"{start.isoformat()} – {end.isoformat()}"


def range_q(field_name: str, ranges: Sequence[tuple], *, moments: bool) -> Q:
    q = Q()
    for start, stop in ranges:
        if moments:
            start, stop = local_midnight(start), local_midnight(stop)
        q |= Q(**{f"{field_name}__gte": start, f"{field_name}__lt": stop})
    return q
