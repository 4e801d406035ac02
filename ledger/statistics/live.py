"""Counting from the rows themselves ("live"): the parts of a period the summaries do not cover,
coverage (a state, "now" whatever the period) and each representative's work."""

import datetime as dt
from collections import Counter, defaultdict

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate

from receptions.models import Duty, DutyLog, ReceptionDay
from representatives.models import Assignment, Representative
from stations.models import Region, Station
from suggestions.models import DepartmentTask, Suggestion

from ..models import RegionMonthBreakdown
from .figures import Coverage, RepresentativeRow
from .measures import (
    FINISHED,
    SUMMARY_LEVEL,
    breakdown_measures,
    reception_counts,
    suggestion_measures,
)
from .periods import ONE_DAY, month_of, range_q, working_day_totals
from .scope import Target

REPRESENTATIVE_LIST_LIMIT = 50
COVERAGE_CACHE_SECONDS = 600


def add_live(per_month, breakdowns, target: Target, ranges, today: dt.date) -> None:
    """Count the suggestions and receptions of `ranges` live, by month, into the accumulators."""
    suggestions = Suggestion.objects.filter(
        target.q("station"), range_q("created", ranges, moments=True)
    ).order_by()
    # One pass over the rows by (month, theme) gives both the months' figures (summed over
    # the themes) and the theme breakdown (summed over the months).
    rows = suggestions.annotate(m=month_of("created")).values("m", "theme_id")
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
        .annotate(m=month_of("created"), a=TruncDate("created"), b=TruncDate("completed_at"))
        .values_list("m", "a", "b")
        .annotate(n=Count("pk"))
    )
    for month, (total, counted) in working_day_totals(pairs).items():
        per_month[month].update(days_total=total, days_counted=counted)
    tasks = DepartmentTask.objects.filter(
        target.q("suggestion__station"),
        range_q("suggestion__created", ranges, moments=True),
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


def coverage_of(target: Target, today: dt.date) -> Coverage:
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


def representative_rows(target: Target, start: dt.date, end: dt.date) -> list[RepresentativeRow]:
    """Each representative's duties done, suggestions raised and receptions logged."""
    ranges = [(start, end + ONE_DAY)]
    created = range_q("created", ranges, moments=True)
    days = range_q("day__date", ranges, moments=False)
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
    at_reception = range_q("day__suggestions__created", ranges, moments=True) & (
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
