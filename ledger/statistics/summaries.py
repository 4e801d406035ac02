"""Keeps the monthly region summaries that make a province's dashboard cheap.

Why regions and months. The expensive scopes are the big ones: a supervisor of a county, a city or
the province looks at hundreds of thousands of suggestions. Each region gets one row per month with
every count of the dashboard (`RegionMonthSummary`) and rows per theme and lead department
(`RegionMonthBreakdown`), its whole subtree included; the dashboard then reads about twelve rows
for a year instead of scanning the suggestions. A station's own figures are counted live
(`ledger.statistics.live`): they are small, and station-level rows would multiply the table by
the number of stations for no gain. Villages and communities are left out too (`SUMMARY_LEVEL`):
a village has a point or two, counted live at once, while its rows would be most of the table.
Days would give exact edges for any period, but thirty times the rows; official reports go by
month, and a period that cuts a month counts its edges live.

How they are kept fresh. One periodic task (`refresh_statistics`, every ten minutes):
- the first run of each day rebuilds the last `SUMMARY_MONTHS` months whole, because "overdue"
  moves with the date even when no row changes;
- the other runs rebuild only the months in which something changed since the last refresh
  (a suggestion, a department task, a reception day, a duty or a duty log updated since then;
  a suggestion counts in the month it was received, so a reply today to a March suggestion
  rebuilds March). Deleted rows are caught by the next nightly pass.
The current month is summarised up to yesterday (rebuilt when the day turns or something in it
changes); the dashboard counts only today's suggestions live, so a new suggestion shows at once
and a state change in an earlier day of the month within ten minutes. Without that a province's
current month (some 40,000 suggestions at the month's end) would be counted on every request.
A month is rebuilt in one transaction under a lock on its `SummaryMonth` row, so two workers
never interleave and readers see the old month until the new one is complete.
"""

import datetime as dt
import logging
from collections import Counter, defaultdict

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from liaison.months import month_start, month_start_after, next_month
from receptions.models import Duty, DutyLog, ReceptionDay
from stations.models import PATH_SEPARATOR, Region
from suggestions.models import DepartmentTask, Suggestion

from ..models import RegionMonthBreakdown, RegionMonthSummary, SummaryMonth
from .measures import (
    FINISHED,
    SUMMARY_FIELDS,
    SUMMARY_LEVEL,
    breakdown_measures,
    reception_counts,
    suggestion_measures,
)
from .periods import range_q, working_day_totals

logger = logging.getLogger(__name__)

# Months rebuilt whole every night; older months change rarely and are refreshed when they do.
SUMMARY_MONTHS = 24
# A change saved just before a refresh started may commit after it read: look back a little.
OVERLAP = dt.timedelta(minutes=5)

Dimension = RegionMonthBreakdown.Dimension


def _ancestors(path: str) -> list[int]:
    return [int(part) for part in path.split(PATH_SEPARATOR) if part]


def build_month(
    month: dt.date, *, today: dt.date, until: dt.date | None = None
) -> tuple[list[RegionMonthSummary], list[RegionMonthBreakdown]]:
    """Every region's summary rows for `month` (before `until`), counted from scratch."""
    ranges = [(month, until or next_month(month))]
    suggestions = Suggestion.objects.filter(range_q("created", ranges, moments=True)).order_by()

    # Counted by the region of each suggestion's station, then added up the tree.
    leaf: dict[int, Counter] = defaultdict(Counter)
    for row in suggestions.values("station__region_id").annotate(**suggestion_measures(today)):
        leaf[row.pop("station__region_id")].update(row)
    pairs = (
        suggestions.filter(status__in=FINISHED, completed_at__isnull=False)
        .annotate(a=TruncDate("created"), b=TruncDate("completed_at"))
        .values_list("station__region_id", "a", "b")
        .annotate(n=Count("pk"))
    )
    for region_id, (total, counted) in working_day_totals(pairs).items():
        leaf[region_id].update(days_total=total, days_counted=counted)
    for (_month, region_id), counts in reception_counts(
        Q(), Q(), ranges, group="region_id"
    ).items():
        leaf[region_id].update(counts)

    leaf_breakdown: dict[tuple, Counter] = defaultdict(Counter)
    for row in suggestions.values("station__region_id", "theme_id").annotate(
        **breakdown_measures(today)
    ):
        key = (row.pop("station__region_id"), Dimension.THEME, row.pop("theme_id"))
        leaf_breakdown[key].update(row)
    tasks = DepartmentTask.objects.filter(
        range_q("suggestion__created", ranges, moments=True), role=DepartmentTask.Role.LEAD
    ).exclude(state=DepartmentTask.State.HANDED_BACK)
    for row in (
        tasks.order_by()
        .values("suggestion__station__region_id", "department_id")
        .annotate(**breakdown_measures(today, "suggestion__"))
    ):
        key = (
            row.pop("suggestion__station__region_id"),
            Dimension.DEPARTMENT,
            row.pop("department_id"),
        )
        leaf_breakdown[key].update(row)

    region_ids = set(leaf) | {key[0] for key in leaf_breakdown}
    paths = dict(Region.objects.filter(pk__in=region_ids).values_list("pk", "path"))
    summarised = set(Region.objects.filter(level__lte=SUMMARY_LEVEL).values_list("pk", flat=True))
    totals: dict[int, Counter] = defaultdict(Counter)
    for region_id, counts in leaf.items():
        for ancestor in _ancestors(paths[region_id]):
            if ancestor in summarised:
                totals[ancestor].update(counts)
    breakdown_totals: dict[tuple, Counter] = defaultdict(Counter)
    for (region_id, dimension, key), counts in leaf_breakdown.items():
        for ancestor in _ancestors(paths[region_id]):
            if ancestor in summarised:
                breakdown_totals[(ancestor, dimension, key)].update(counts)

    summaries = [
        RegionMonthSummary(
            region_id=region_id, month=month, **{name: counts[name] for name in SUMMARY_FIELDS}
        )
        for region_id, counts in totals.items()
    ]
    breakdowns = [
        RegionMonthBreakdown(
            region_id=region_id,
            month=month,
            dimension=dimension,
            key=key,
            received=c["received"],
            completed=c["completed"],
            overdue=c["overdue"],
        )  # fmt: skip
        for (region_id, dimension, key), c in breakdown_totals.items()
    ]
    return summaries, breakdowns


def refresh_month(
    month: dt.date,
    *,
    started: dt.datetime,
    today: dt.date | None = None,
    until: dt.date | None = None,
) -> int:
    """Rebuild one month's summaries (the current one up to `until`); returns its region rows."""
    today = today or timezone.localdate(started)
    with transaction.atomic():
        marker, _created = SummaryMonth.objects.get_or_create(
            month=month, defaults={"refreshed": started}
        )
        # Two workers on the same month wait for each other here instead of interleaving.
        marker = SummaryMonth.objects.select_for_update().get(pk=marker.pk)
        summaries, breakdowns = build_month(month, today=today, until=until)
        RegionMonthSummary.objects.filter(month=month).delete()
        RegionMonthBreakdown.objects.filter(month=month).delete()
        RegionMonthSummary.objects.bulk_create(summaries, batch_size=2000)
        RegionMonthBreakdown.objects.bulk_create(breakdowns, batch_size=2000)
        marker.refreshed, marker.until = started, until
        marker.save(update_fields=["refreshed", "until"])
    return len(summaries)


def months_changed_since(since: dt.datetime) -> set[dt.date]:
    """The months whose figures may have changed since `since` (by the month they count in)."""
    months: set[dt.date] = set()
    tasks = DepartmentTask.objects.filter(updated__gte=since)
    for moment in (
        *Suggestion.objects.filter(updated__gte=since).datetimes("created", "month"),
        *tasks.datetimes("suggestion__created", "month"),
    ):
        months.add(month_start(timezone.localtime(moment).date()))
    for day in (
        *ReceptionDay.objects.filter(updated__gte=since).dates("date", "month"),
        *DutyLog.objects.filter(updated__gte=since).dates("day__date", "month"),
        *Duty.objects.filter(created__gte=since).dates("day__date", "month"),
    ):
        months.add(month_start(day))
    return months


def refresh_statistics(*, now: dt.datetime | None = None, months: int = SUMMARY_MONTHS) -> list:
    """The periodic pass: whole months once a day, changed months otherwise; the current month
    up to today whenever the day turned or something in it changed. Returns the months."""
    started = now or timezone.now()
    today = timezone.localdate(started)
    current = month_start(today)
    window = [month_start_after(current, -i) for i in range(months + 1)]
    markers = {
        month: (refreshed, until)
        for month, refreshed, until in SummaryMonth.objects.filter(month__in=window).values_list(
            "month", "refreshed", "until"
        )
    }

    def stale(month: dt.date) -> bool:
        if month not in markers:
            return True
        refreshed, until = markers[month]
        if month == current:
            return until != today
        return until is not None or timezone.localdate(refreshed) < today

    todo = {m for m in window if stale(m)}
    fresh = [markers[m][0] for m in window if m not in todo]
    if fresh:
        todo |= {m for m in months_changed_since(min(fresh) - OVERLAP) if m <= current}
    if today == current:
        todo.discard(current)  # the 1st: nothing before today to summarise
    for month in sorted(todo):
        until = today if month == current else None
        rows = refresh_month(month, started=started, today=today, until=until)
        logger.info("statistics summaries for %s: %d regions", f"{month:%Y-%m}", rows)
    return sorted(todo)


def rebuild_all(*, now: dt.datetime | None = None) -> list:
    """Every past month that has suggestions or reception days (after a bulk import)."""
    started = now or timezone.now()
    current = month_start(timezone.localdate(started))
    months = {
        month_start(timezone.localtime(m).date())
        for m in Suggestion.objects.datetimes("created", "month")
    } | {month_start(d) for d in ReceptionDay.objects.dates("date", "month")}
    today = timezone.localdate(started)
    todo = sorted(m for m in months if m < current)
    for month in todo:
        refresh_month(month, started=started)
    if today > current:
        refresh_month(current, started=started, until=today)
        todo.append(current)
    return todo
