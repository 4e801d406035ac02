"""Every reported number for a period and one region, station or more (`station_stats`): the
summarised months read from the summaries, the rest counted live."""

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence

from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from liaison.months import month_start, months_between, next_month
from stations.models import Region, Station
from suggestions.models import Department, Suggestion, Theme

from ..models import RegionMonthBreakdown, RegionMonthSummary, SummaryMonth
from .figures import BreakdownRow, Figure, MonthRow, Rate, StationStats
from .live import add_live, coverage_of, representative_rows
from .measures import BREAKDOWN_FIELDS, FINISHED, SUMMARY_FIELDS, SUMMARY_LEVEL, Status
from .periods import ONE_DAY, uncovered
from .scope import Target, make_target

# A province has over a thousand departments; the table shows the busiest.
DEPARTMENT_LIST_LIMIT = 30
# Summary reads are cached under keys that change with every refresh; this only bounds memory.
SUMMARY_CACHE_SECONDS = 3600


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
    live = uncovered(start, end + ONE_DAY, covered)
    if live:
        add_live(per_month, breakdowns, target, live, today)

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
        coverage=coverage_of(target, today),
        representatives=(
            representative_rows(target, start, end) if target.lists_representatives else None
        ),
        station_ids=target.station_ids,
        summarised_months=sorted(summarised),
        summaries_refreshed=min(summarised.values()) if summarised else None,
    )
