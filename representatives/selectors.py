from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from liaison.codes import normalize_code
from stations.selectors import stations_managed_by

from .models import Assignment, Representative


def representatives_managed_by(user: User | AnonymousUser) -> QuerySet[Representative]:
    """Representatives `user` may open and edit, private phone included: the one access home for
    representatives. Superusers reach all; anyone else those with a current or past assignment to
    a station they manage, and those they entered themselves until they are assigned anywhere
    (so a new record reaches nobody else, and once assigned only the stations' managers)."""
    if not user.is_authenticated or not user.is_active:
        return Representative.objects.none()
    if user.is_superuser:
        return Representative.objects.all()
    assigned = Assignment.objects.filter(station__in=stations_managed_by(user).values("pk")).values(
        "representative_id"
    )
    unassigned = ~Q(pk__in=Assignment.objects.values("representative_id"))
    return Representative.objects.filter(Q(pk__in=assigned) | (Q(created_by=user) & unassigned))


def representative_with_stations(code: str) -> tuple[Representative, list[Assignment]]:
    """A representative's public profile and the stations they currently serve."""
    representative = get_object_or_404(
        Representative.objects.filter(is_active=True), code=normalize_code(code)
    )
    assignments = list(
        Assignment.objects.current()
        .filter(representative=representative, station__is_active=True)
        .select_related("station__region")
        .order_by("station__name")
    )
    return representative, assignments


def prefetch_current_assignments() -> Prefetch:
    """Each representative's current assignments, with stations, as `current_assignments`."""
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.current().select_related("station").order_by("station__name"),
        to_attr="current_assignments",
    )


def active_representative(code: str) -> Representative:
    """The active representative with public code `code` (any letter case), or a 404."""
    return get_object_or_404(
        Representative.objects.filter(is_active=True), code=normalize_code(code)
    )
