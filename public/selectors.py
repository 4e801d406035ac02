"""Reads for the public pages that gather stations, representatives and reception days."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise

from liaison.codes import normalize_code
from receptions.models import ReceptionDay
from receptions.selectors import ScheduleSummary, station_schedule_summary, upcoming_days
from representatives.models import Assignment, Representative
from stations.models import Region, Station


def station_directory(*, region: Region | None = None, query: str = "") -> QuerySet[Station]:
    current = Assignment.objects.current().filter(
        station=OuterRef("pk"), representative__is_active=True
    )
    qs = Station.objects.active().select_related("region", "parent")
    if region is not None:
        qs = qs.in_region(region)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__iexact=normalize_code(query)))
    return qs.annotate(
        representative_count=Coalesce(
            Subquery(current.order_by().values("station").annotate(n=Count("pk")).values("n")), 0
        )
    ).order_by("region__path", "kind", "name")


# How many of the next reception days the station page lists.
UPCOMING_RECEPTION_DAYS = 3


@dataclass(frozen=True)
class BoardGroup:
    level_label: str | Promise
    members: list[Assignment]


@dataclass(frozen=True)
class StationPage:
    station: Station
    breadcrumbs: list[Region]
    board: list[BoardGroup]
    points: list[Station]
    representative_count: int
    # The next reception days (接待日) with who is on duty, and the rule in words.
    reception_days: list[ReceptionDay]
    reception: ScheduleSummary | None


def station_page(code: str) -> StationPage:
    """Everything a station's public page shows, in a fixed number of queries."""
    station = get_object_or_404(
        Station.objects.active().select_related("region", "parent", "head"),
        code=normalize_code(code),
    )
    assignments = list(
        Assignment.objects.current()
        .filter(station=station, representative__is_active=True)
        .select_related("representative")
        .order_by("representative__level", "-role", "representative__name")
    )
    groups: dict[int, list[Assignment]] = {}
    for assignment in assignments:
        groups.setdefault(assignment.representative.level, []).append(assignment)
    board = [
        BoardGroup(Representative.Level(level).label, members) for level, members in groups.items()
    ]
    points = (
        list(station.points.active().order_by("name")) if station.kind != Station.Kind.POINT else []
    )
    reception_days = upcoming_days(station, limit=UPCOMING_RECEPTION_DAYS)
    return StationPage(
        station=station,
        breadcrumbs=list(station.region.ancestors()),
        board=board,
        points=points,
        representative_count=len(assignments),
        reception_days=reception_days,
        reception=station_schedule_summary(station, upcoming=reception_days),
    )
