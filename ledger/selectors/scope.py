"""What a user's scope reaches in the ledgers: stations, regions, departments, representatives
and held receptions (the filters' choices and the receptions ledger's rows)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from representatives.models import Assignment, Representative
from stations.models import Region, Station
from suggestions.models import Department, DepartmentTask
from suggestions.permissions import Scope


def stations_in_scope(scope: Scope) -> QuerySet[Station]:
    if scope.is_superuser:
        return Station.objects.all()
    q = Q(pk__in=scope.station_ids)
    for path in scope.region_paths:
        q |= Q(region__path__startswith=path)
    if scope.department_ids:
        # A department's reach is its (few) assigned suggestions.
        q |= Q(pk__in=scope.visible().values("station_id"))
    if scope.representative_id:
        q |= Q(pk__in=Assignment.objects.filter(
            representative_id=scope.representative_id).values("station_id"))  # fmt: skip
        q |= Q(pk__in=scope.visible().values("station_id"))
    return Station.objects.filter(q)


def regions_in_scope(scope: Scope) -> QuerySet[Region]:
    """Regions to filter by: supervised subtrees down to townships, and the stations' own."""
    if scope.is_superuser:
        # Villages only where a point stands: a whole country's villages would swamp the list.
        with_stations = Q(pk__in=Station.objects.values("region_id"))
        return Region.objects.filter(Q(level__lte=Region.Level.TOWNSHIP) | with_stations).order_by(
            "path"
        )
    # Correlated (EXISTS … WHERE region = this one), so checking one chosen region reads that
    # region's few stations, not every station in the scope.
    q = Q(Exists(stations_in_scope(scope).filter(region=OuterRef("pk"))))
    for path in scope.region_paths:
        q |= Q(path__startswith=path, level__lte=Region.Level.TOWNSHIP)
    return Region.objects.filter(q).order_by("path")


def departments_in_scope(scope: Scope) -> QuerySet[Department]:
    """Departments that may handle what the user sees: those of the regions above and below."""
    if scope.is_superuser:
        return Department.objects.all()
    paths = list(scope.region_paths) + list(
        Region.objects.filter(stations__pk__in=scope.station_ids).values_list("path", flat=True)
    )
    ancestor_ids = {int(part) for path in paths for part in path.split("/") if part}
    q = Q(pk__in=scope.department_ids) | Q(region_id__in=ancestor_ids)
    for path in scope.region_paths:
        q |= Q(region__path__startswith=path)
    if scope.representative_id:
        q |= Q(pk__in=DepartmentTask.objects.filter(
            suggestion__in=scope.visible()).values("department_id"))  # fmt: skip
    return Department.objects.filter(q)


def representatives_in_scope(scope: Scope, stations: QuerySet[Station]) -> QuerySet[Representative]:
    if scope.is_superuser:
        return Representative.objects.order_by("name")
    assigned = Assignment.objects.filter(station__in=stations).values("representative_id")
    q = Q(pk__in=assigned)
    if scope.representative_id:
        q |= Q(pk=scope.representative_id)
    return Representative.objects.filter(q).order_by("name")
