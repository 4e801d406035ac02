"""Reads that pages share: who manages what, the directory's regions, a station by its code."""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from liaison.codes import normalize_code

from .models import Region, Station, StationQuerySet


def stations_managed_by(user: User | AnonymousUser) -> StationQuerySet:
    """The stations `user` may manage: the one object-permission helper for stations.

    Superusers manage all; station staff and heads manage their stations and those stations'
    points. Every admin queryset and staff page that lists stations goes through this.
    """
    if not user.is_authenticated or not user.is_active:
        return Station.objects.none()
    if user.is_superuser:
        return Station.objects.all()
    own_ids = _own_station_ids(user)
    return Station.objects.filter(Q(pk__in=own_ids) | Q(parent_id__in=own_ids))


def managed_station_ids(user: User | AnonymousUser) -> set[int]:
    """The ids of `stations_managed_by(user)`, read eagerly for the per-request scope.

    One indexed query for someone who manages nothing (a supervisor, a department handler),
    two for station staff, instead of a pass over every station.
    """
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Station.objects.values_list("pk", flat=True))
    own = set(_own_station_ids(user))
    if not own:
        return own
    return own | set(Station.objects.filter(parent_id__in=own).values_list("pk", flat=True))


def _own_station_ids(user: User) -> QuerySet:
    """Stations `user` staffs or heads (without their points), from the two link columns."""
    return (
        Station.staff.through.objects.filter(user=user)
        .order_by()
        .values_list("station_id", flat=True)
        .union(Station.objects.filter(head__user=user).order_by().values_list("pk", flat=True))
    )


def stations_under(paths: Iterable[str]) -> QuerySet[Station]:
    """Stations whose region lies in one of the subtrees at `paths`.

    Meant as a subquery (`station__in=stations_under(...)`): PostgreSQL hashes the few thousand
    station ids once, where a join through the region from every suggestion row costs a lookup
    per row.
    """
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(region__path__startswith=path)
    return Station.objects.filter(q)


def regions_with_station_counts(parent: Region | None) -> QuerySet[Region]:
    """Children of `parent` (or the top regions), each with its number of active stations."""
    stations_below = (
        Station.objects.active()
        .filter(region__path__startswith=OuterRef("path"))
        .order_by()
        .values("is_active")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        Region.objects.filter(parent=parent)
        if parent
        else Region.objects.filter(parent__isnull=True)
    )
    return qs.annotate(station_count=Coalesce(Subquery(stations_below), 0)).order_by("code", "name")


def active_station(code: str) -> Station:
    """The active station with public code `code` (any letter case), or a 404."""
    return get_object_or_404(Station.objects.active(), code=normalize_code(code))
