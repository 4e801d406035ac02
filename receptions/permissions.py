"""Who may see or do what with reception days, the duty rota and duty logs. Every receptions
view, admin page, selector and service asks here; nothing else in receptions decides.

- Station staff and heads: the reception rules, days, rota, absences, swap requests and reminders
  of the stations they manage (`stations.selectors.stations_managed_by`: their stations and those
  stations' points). They move and cancel days, set the rota, decide swaps and log receptions.
- Representatives: their own duties (they ask to swap them), their own absences, and the days
  they are on duty (they log them, and read their logs).
- Supervisors (standing committee): the duty logs of their regions' subtrees, read-only, through
  the scope `suggestions.permissions` works out once per request.
- Superusers: everything; only they queue a day's reminders by hand.

Which suggestions a representative follows because they were raised at a reception they were on
duty for is a question about suggestions, answered in `suggestions.permissions`.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from representatives.models import Assignment, Representative
from stations.models import Station
from stations.selectors import stations_managed_by, stations_under
from suggestions.permissions import Scope

from .models import (
    Duty,
    DutyLog,
    ReceptionDay,
    ReceptionRule,
    Reminder,
    SwapRequest,
    Unavailability,
)


def representative_of(user: User | AnonymousUser) -> Representative | None:
    """The representative `user` logs in as, or None."""
    if not user.is_authenticated:
        return None
    try:
        return user.representative
    except ObjectDoesNotExist:
        return None


# --- what station staff manage -----------------------------------------------------------------


def managed_stations(user: User | AnonymousUser) -> QuerySet[Station]:
    """The stations whose reception rules, days and rota `user` manages."""
    return stations_managed_by(user)


def check_can_manage(user: User | AnonymousUser, station: Station) -> None:
    """Raise PermissionDenied unless `user` manages `station` (its staff, head or a superuser)."""
    if not stations_managed_by(user).filter(pk=station.pk).exists():
        raise PermissionDenied(_("You do not manage this station."))


def managed_rules(
    user: User | AnonymousUser, rules: QuerySet[ReceptionRule] | None = None
) -> QuerySet[ReceptionRule]:
    """The reception rules (of `rules`, default all) of the stations `user` manages."""
    rules = ReceptionRule.objects.all() if rules is None else rules
    return rules.filter(station__in=stations_managed_by(user).values("pk"))


def managed_days(
    user: User | AnonymousUser, days: QuerySet[ReceptionDay] | None = None
) -> QuerySet[ReceptionDay]:
    """The reception days (of `days`, default all) of the stations `user` manages."""
    days = ReceptionDay.objects.all() if days is None else days
    return days.filter(station__in=stations_managed_by(user).values("pk"))


def managed_duties(
    user: User | AnonymousUser, duties: QuerySet[Duty] | None = None
) -> QuerySet[Duty]:
    """The duties (of `duties`, default all) on the days of the stations `user` manages."""
    duties = Duty.objects.all() if duties is None else duties
    return duties.filter(day__station__in=stations_managed_by(user))


def managed_absences(
    user: User | AnonymousUser, absences: QuerySet[Unavailability] | None = None
) -> QuerySet[Unavailability]:
    """The absences (of `absences`, default all) of representatives ever assigned to the
    stations `user` manages."""
    absences = Unavailability.objects.all() if absences is None else absences
    return absences.filter(
        representative__assignments__station__in=stations_managed_by(user)
    ).distinct()


def managed_swaps(
    user: User | AnonymousUser, swaps: QuerySet[SwapRequest] | None = None
) -> QuerySet[SwapRequest]:
    """The swap requests (of `swaps`, default all) for duties at the stations `user` manages."""
    swaps = SwapRequest.objects.all() if swaps is None else swaps
    return swaps.filter(duty__day__station__in=stations_managed_by(user))


def managed_reminders(
    user: User | AnonymousUser, reminders: QuerySet[Reminder] | None = None
) -> QuerySet[Reminder]:
    """The reminders sent (of `reminders`, default all) about the days of `user`'s stations."""
    reminders = Reminder.objects.all() if reminders is None else reminders
    return reminders.filter(day__station__in=stations_managed_by(user))


def access_day_to_manage(user: User | AnonymousUser, pk: int) -> ReceptionDay:
    """Reception day `pk` when `user` manages its station; 404 otherwise."""
    return get_object_or_404(managed_days(user), pk=pk)


def access_swap_to_decide(user: User | AnonymousUser, pk: int) -> SwapRequest:
    """Swap request `pk` when `user` manages the duty's station; 404 otherwise."""
    return get_object_or_404(managed_swaps(user), pk=pk)


def may_send_reminders_now(user: User | AnonymousUser) -> bool:
    """Whether `user` may queue today's reminder run by hand (after an outage, say)."""
    return user.is_superuser


# --- what representatives do with their own duties ---------------------------------------------


def access_own_duty(user: User | AnonymousUser, pk: int) -> Duty:
    """Duty `pk` when it is `user`'s own: anyone else gets a 404, not a hint that it exists."""
    return get_object_or_404(Duty, pk=pk, representative__user=user)


def check_can_swap(user: User | AnonymousUser, duty: Duty) -> None:
    """Raise PermissionDenied unless `user` is the representative on `duty`."""
    own = representative_of(user)
    if own is None or own.pk != duty.representative_id:
        raise PermissionDenied(_("Only the representative on duty can ask to swap it."))


def check_can_record_absence(user: User | AnonymousUser, representative: Representative) -> None:
    """The representative records their own absences; staff those of the representatives
    assigned to their stations."""
    own = representative_of(user)
    if not (own is not None and own.pk == representative.pk) and not (
        Assignment.objects.filter(
            representative=representative, station__in=stations_managed_by(user)
        ).exists()
    ):
        raise PermissionDenied(_("You cannot record absences for this representative."))


# --- duty logs ---------------------------------------------------------------------------------


def may_log(user: User | AnonymousUser, day: ReceptionDay) -> bool:
    """The representatives on duty that day, and the station's staff."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or stations_managed_by(user).filter(pk=day.station_id).exists():
        return True
    representative = getattr(user, "representative", None)
    return representative is not None and day.duties.filter(representative=representative).exists()


def check_can_log(user: User | AnonymousUser, day: ReceptionDay) -> None:
    if not may_log(user, day):
        raise PermissionDenied(
            _("Only the representatives on duty and the station's staff log a reception.")
        )


def days_to_log(user: User | AnonymousUser) -> QuerySet[ReceptionDay]:
    """The days of `may_log` as a queryset: the stations' days for their staff, and the days a
    representative is on duty."""
    mine = Q(station__in=stations_managed_by(user))
    representative = getattr(user, "representative", None)
    if representative is not None:
        mine |= Q(duties__representative=representative)
    return ReceptionDay.objects.filter(mine).distinct()


def visible_duty_logs(scope: Scope) -> QuerySet[DutyLog]:
    """Held receptions: the stations' own, the supervised subtrees', and a representative's
    (on duty that day, or present). `scope` is `suggestions.permissions.scope_of(user)`."""
    if scope.is_superuser:
        return DutyLog.objects.all()
    q = Q(day__station_id__in=scope.station_ids)
    if scope.region_paths:
        q |= Q(day__station__in=stations_under(scope.region_paths).values("pk"))
    if scope.representative_id:
        rep = scope.representative_id
        q |= Q(day__in=Duty.objects.filter(representative_id=rep).values("day_id"))
        q |= Q(pk__in=DutyLog.attendees.through.objects.filter(
            representative_id=rep).values("dutylog_id"))  # fmt: skip
    return DutyLog.objects.filter(q)
