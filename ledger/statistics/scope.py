"""What the figures are about (a target: regions or stations) and which of them a user may read."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q

from stations.models import Region, Station
from suggestions.permissions import Scope, scope_of

# Scopes at this level or below list each representative's work; above it the list would have
# tens of thousands of rows and the totals say enough.
REPRESENTATIVE_LIST_LEVEL = Region.Level.COUNTY


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


@dataclass(frozen=True)
class StatsScope:
    """The statistics a user may read: what `suggestions.permissions.Scope` reaches (the one rule),
    laid out as the dashboard starts from it.

    Station staff and heads: their stations (with points). Supervisors: their regions' subtrees.
    Superusers: everything, starting from the top regions.
    """

    scope: Scope
    regions: tuple[Region, ...]
    stations: tuple[Station, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.scope.is_superuser or self.regions or self.stations)

    def allows_region(self, region: Region) -> bool:
        return self.scope.reaches_region(region)

    def allows_station(self, station: Station) -> bool:
        return self.scope.reaches_station(station)


def stats_scope(user: User | AnonymousUser) -> StatsScope:
    scope = scope_of(user)
    if scope.is_superuser:
        top = tuple(Region.objects.filter(parent__isnull=True).order_by("code", "name"))
        return StatsScope(scope, top, ())
    regions = _outermost(Region.objects.filter(path__in=scope.region_paths))
    stations: tuple[Station, ...] = ()
    if scope.station_ids:
        stations = tuple(
            Station.objects.filter(pk__in=scope.station_ids)
            .select_related("region")
            .order_by("kind", "name")
        )
    return StatsScope(scope, regions, stations)
