"""The duty rota (值班表): who is on duty on each reception day, and the changes staff make to it.

A reception day wants `rule.duty_leaders` responsible leaders and `rule.duty_representatives`
representatives (one and two without a rule, as in Zhongduo). `propose_rota` fills what is
missing, turn and turn about among the representatives assigned to the station on that date:

- a representative: fewest duties in the twelve months before the day (duties already planned
  after it count too, so proposing several days ahead still rotates), then the longest since the
  last of those duties, then name and primary key, so that the same data gives the same rota;
- a leader: the station head when free that day, otherwise the assigned representative of the
  highest level (lowest `Level` value) with the fewest leader duties, ties broken the same way.

Nobody who is inactive, outside their assignment's dates, unavailable (`Unavailability`) or
already on duty that date, here or at another station, is proposed. Leaders are chosen first, so
the head is never taken as an ordinary representative on a day he could lead.

`propose_rota_for_days` does the same for many days with a fixed number of queries per batch of
stations: assignments, absences and the duty history are read in bulk and the counts are kept up
to date in memory as duties are added. Processing a batch's days in date order gives the same
rota as calling `propose_rota` on each of them in that order.

The services below (`duty_set`, `duty_remove`, `unavailability_add`) and those of the swap
requests (`receptions.swaps`) are every other write to the rota. All of them lock the reception
day first (`lock_day`), so two staff members, or a proposal and a swap, cannot both fill the same
gap.
"""

import datetime
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from representatives.models import Assignment, Representative

from .models import Duty, ReceptionDay, SwapRequest, Unavailability
from .permissions import (
    check_can_manage,
    check_can_record_absence,
    managed_days,
    managed_swaps,
    representative_of,
)

DEFAULT_DUTY_REPRESENTATIVES = 2
DEFAULT_DUTY_LEADERS = 1
# "The last 12 months": duties further back do not make anyone's turn come later.
FAIRNESS_WINDOW = datetime.timedelta(days=365)
# Stations whose days are proposed together: one set of bulk reads and one transaction each.
STATION_BATCH = 200
# How far ahead the staff page looks.
UPCOMING_DAYS = 62

Role = Duty.Role


# --- proposing ---------------------------------------------------------------------------------


def needed_on(day: ReceptionDay) -> tuple[int, int]:
    """(representatives, leaders) wanted on `day`: its rule's numbers, or 2 and 1 without one."""
    rule = day.rule  # no query when the day has no rule
    if rule is None:
        return DEFAULT_DUTY_REPRESENTATIVES, DEFAULT_DUTY_LEADERS
    return rule.duty_representatives, rule.duty_leaders


@dataclass
class _Record:
    """One representative's duties as the planner sees them: sorted dates, all and as leader."""

    dates: list[datetime.date] = field(default_factory=list)
    leader_dates: list[datetime.date] = field(default_factory=list)

    def add(self, date: datetime.date, role: str) -> None:
        insort(self.dates, date)
        if role == Role.LEADER:
            insort(self.leader_dates, date)

    def busy_on(self, date: datetime.date) -> bool:
        i = bisect_left(self.dates, date)
        return i < len(self.dates) and self.dates[i] == date

    @staticmethod
    def standing(dates: list[datetime.date], on: datetime.date) -> tuple[int, datetime.date]:
        """(duties in the window, date of the latest of them): the smaller, the sooner a turn."""
        recent = len(dates) - bisect_left(dates, on - FAIRNESS_WINDOW)
        return recent, dates[-1] if recent else datetime.date.min


class _Planner:
    """Everything needed to choose duties for a set of days, read in a fixed number of queries."""

    def __init__(self, day_ids: Sequence[int], *, lock: bool) -> None:
        days = ReceptionDay.objects.filter(pk__in=day_ids).select_related("station__head", "rule")
        if lock:
            # `of`: PostgreSQL cannot lock the nullable side of the joins to rule and head. In
            # primary-key order, so that two overlapping batches cannot deadlock.
            days = days.select_for_update(of=("self",)).order_by("pk")
        self.days: list[ReceptionDay] = sorted(days, key=lambda d: (d.date, d.start_time, d.pk))
        self.on_duty: dict[int, dict[int, str]] = defaultdict(dict)  # day -> representative -> role
        self.records: dict[int, _Record] = defaultdict(_Record)
        self.assignments: dict[int, list[Assignment]] = defaultdict(list)
        self.absences: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
        if not self.days:
            return

        first = min(d.date for d in self.days)
        last = max(d.date for d in self.days)
        for assignment in (
            Assignment.objects.filter(station_id__in={d.station_id for d in self.days})
            .overlapping(first, last)
            .filter(representative__is_active=True)
            .select_related("representative")
        ):
            self.assignments[assignment.station_id].append(assignment)

        people = {a.representative_id for group in self.assignments.values() for a in group}
        people |= {d.station.head_id for d in self.days if d.station.head_id}
        for representative_id, start, end in Unavailability.objects.filter(
            representative_id__in=people, start_date__lte=last, end_date__gte=first
        ).values_list("representative_id", "start_date", "end_date"):
            self.absences[representative_id].append((start, end))

        # The days' own duties (whoever holds them) and the candidates' recent history, at one go.
        # Duties on cancelled days were never served and do not count.
        for day_id, representative_id, role, date in (
            Duty.objects.filter(
                Q(day_id__in=[d.pk for d in self.days])
                | Q(representative_id__in=people, day__date__gte=first - FAIRNESS_WINDOW)
            )
            .exclude(day__status=ReceptionDay.Status.CANCELLED)
            .values_list("day_id", "representative_id", "role", "day__date")
        ):
            self.on_duty[day_id][representative_id] = role
            self.records[representative_id].add(date, role)

    def available(self, representative: Representative, date: datetime.date) -> bool:
        return (
            representative.is_active
            and not self.records[representative.pk].busy_on(date)
            and not any(s <= date <= e for s, e in self.absences.get(representative.pk, ()))
        )

    def candidates(self, day: ReceptionDay) -> list[Representative]:
        """The representatives assigned to the day's station on its date and free that date."""
        found: dict[int, Representative] = {}
        for assignment in self.assignments.get(day.station_id, ()):
            if assignment.start_date <= day.date and (
                assignment.end_date is None or day.date <= assignment.end_date
            ):
                found[assignment.representative_id] = assignment.representative
        return [r for r in found.values() if self.available(r, day.date)]

    def choose(
        self, day: ReceptionDay, role: str, exclude: Iterable[int] = ()
    ) -> Representative | None:
        """Whose turn it is to take `role` on `day`, or None when nobody is free."""
        excluded = set(exclude) | set(self.on_duty[day.pk])
        candidates = [r for r in self.candidates(day) if r.pk not in excluded]
        if role == Role.LEADER:
            head = day.station.head
            if head is not None and head.pk not in excluded and self.available(head, day.date):
                return head
            if not candidates:
                return None
            top = min(r.level for r in candidates)
            return min(
                (r for r in candidates if r.level == top),
                key=lambda r: (
                    *_Record.standing(self.records[r.pk].leader_dates, day.date),
                    r.name,
                    r.pk,
                ),
            )
        if not candidates:
            return None
        return min(
            candidates,
            key=lambda r: (*_Record.standing(self.records[r.pk].dates, day.date), r.name, r.pk),
        )

    def take(self, day: ReceptionDay, representative: Representative, role: str) -> Duty:
        self.on_duty[day.pk][representative.pk] = role
        self.records[representative.pk].add(day.date, role)
        return Duty(day=day, representative=representative, role=role)

    def fill(self, day: ReceptionDay) -> list[Duty]:
        """The duties missing on `day`, leaders first; recorded here but not saved."""
        if day.status == ReceptionDay.Status.CANCELLED:
            return []
        want_representatives, want_leaders = needed_on(day)
        roles = list(self.on_duty[day.pk].values())
        added: list[Duty] = []
        for role, missing in (
            (Role.LEADER, want_leaders - roles.count(Role.LEADER)),
            (Role.REPRESENTATIVE, want_representatives - roles.count(Role.REPRESENTATIVE)),
        ):
            for _position in range(missing):
                chosen = self.choose(day, role)
                if chosen is None:
                    break
                added.append(self.take(day, chosen, role))
        return added


@transaction.atomic
def propose_rota(*, day: ReceptionDay) -> list[Duty]:
    """Fill `day`'s missing duties by the rotation rules; return the duties added (maybe none).

    A day that is cancelled, or already complete, is left as it is. When too few people are free
    the rota stays short; the incomplete-rota reminder tells the staff a week ahead.
    """
    planner = _Planner([day.pk], lock=True)
    if not planner.days:
        return []
    return Duty.objects.bulk_create(planner.fill(planner.days[0]))


def propose_rota_for_days(*, days: Iterable[ReceptionDay] | QuerySet[ReceptionDay]) -> list[Duty]:
    """`propose_rota` for many days, by batches of stations, each batch in one transaction.

    Within a batch the days are filled in date order; that is the order in which calling
    `propose_rota` day by day gives the same rota. A representative assigned to stations in two
    batches sees the first batch's duties when the second is planned, as day-by-day calls would
    if all of the first batch's days came first.
    """
    if isinstance(days, QuerySet):
        pairs = list(days.order_by().values_list("station_id", "pk"))
    else:
        pairs = [(day.station_id, day.pk) for day in days]
    by_station: dict[int, list[int]] = defaultdict(list)
    for station_id, day_id in pairs:
        by_station[station_id].append(day_id)

    added: list[Duty] = []
    station_ids = iter(sorted(by_station))
    while batch := list(islice(station_ids, STATION_BATCH)):
        with transaction.atomic():
            planner = _Planner([d for s in batch for d in by_station[s]], lock=True)
            planned = [duty for day in planner.days for duty in planner.fill(day)]
            added += Duty.objects.bulk_create(planned, batch_size=1000)
    return added


def whose_turn(*, day: ReceptionDay, role: str) -> Representative | None:
    """Who the rotation rules pick to take `role` on `day`, or None when nobody is free. Reads
    without locking: the caller holds the day's lock."""
    planner = _Planner([day.pk], lock=False)
    return planner.choose(planner.days[0], role)


# --- checks shared by the services -------------------------------------------------------------


def lock_day(day_id: int) -> ReceptionDay:
    """Reception day `day_id`, locked for the rest of the transaction: every rota write's first
    step."""
    return (
        ReceptionDay.objects.select_for_update(of=("self",))
        .select_related("station", "rule")
        .get(pk=day_id)
    )


def check_can_take(
    *, day: ReceptionDay, representative: Representative, instead_of: Duty | None = None
) -> None:
    """Refuse, with a message staff can act on, a representative who cannot be on duty on `day`."""
    values = {"representative": representative, "station": day.station, "date": day.date}
    if day.status == ReceptionDay.Status.CANCELLED:
        raise ValidationError(_("This reception day is cancelled."))
    if not representative.is_active:
        raise ValidationError(_("%(representative)s is no longer active.") % values)
    assigned = (
        Assignment.objects.current(day.date)
        .filter(station_id=day.station_id, representative=representative)
        .exists()
    )
    if not assigned and day.station.head_id != representative.pk:
        raise ValidationError(
            _("%(representative)s is not assigned to %(station)s on %(date)s.") % values
        )
    if Unavailability.objects.filter(
        representative=representative, start_date__lte=day.date, end_date__gte=day.date
    ).exists():
        raise ValidationError(_("%(representative)s is not available on %(date)s.") % values)
    others = Duty.objects.filter(day=day, representative=representative)
    if instead_of is not None:
        others = others.exclude(pk=instead_of.pk)
    if others.exists():
        raise ValidationError(_("%(representative)s is already on duty that day.") % values)


# --- services ----------------------------------------------------------------------------------


@transaction.atomic
def duty_set(*, day: ReceptionDay, actor: User, representative: Representative, role: str) -> Duty:
    """Put `representative` on duty on `day` in `role`, or change the role they already have."""
    day = lock_day(day.pk)
    check_can_manage(actor, day.station)
    duty = Duty.objects.filter(day=day, representative=representative).first()
    if duty is not None:
        if duty.role != role:
            duty.role = role
            duty.full_clean()
            duty.save(update_fields=["role"])
        return duty
    check_can_take(day=day, representative=representative)
    duty = Duty(day=day, representative=representative, role=role)
    duty.full_clean()
    duty.save()
    return duty


@transaction.atomic
def duty_remove(*, duty: Duty, actor: User) -> None:
    """Take a duty off the rota (its pending swap requests go with it)."""
    day = lock_day(duty.day_id)
    check_can_manage(actor, day.station)
    Duty.objects.filter(pk=duty.pk).delete()


@transaction.atomic
def unavailability_add(
    *,
    representative: Representative,
    actor: User,
    start_date: datetime.date,
    end_date: datetime.date,
    reason: str = "",
) -> Unavailability:
    """Record that `representative` cannot take duty from `start_date` to `end_date`.

    The representative may record their own absences; staff those of the representatives
    assigned to their stations. Duties already on the rota are left for staff to change.
    """
    check_can_record_absence(actor, representative)
    if start_date and end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    absence = Unavailability(
        representative=representative, start_date=start_date, end_date=end_date, reason=reason
    )
    absence.full_clean()
    absence.save()
    return absence


# --- reads for the staff page ------------------------------------------------------------------


@dataclass(frozen=True)
class RotaOverview:
    # Sequences: the lists hold annotated rows, which the type checker tells from plain ones.
    days: Sequence[ReceptionDay]
    pending_swaps: list[SwapRequest]
    my_duties: Sequence[Duty]


def rota_overview(
    *, user: User | AnonymousUser, today: datetime.date | None = None
) -> RotaOverview:
    """The coming reception days of the stations `user` manages, with their duties; the swap
    requests waiting for them; and, for a representative, their own coming duties."""
    today = today or timezone.localdate()
    duties = Prefetch(
        "duties",
        queryset=Duty.objects.select_related("representative").order_by("-role", "pk"),
    )
    days = list(
        managed_days(user)
        .filter(
            date__gte=today,
            date__lte=today + datetime.timedelta(days=UPCOMING_DAYS),
        )
        .exclude(status=ReceptionDay.Status.CANCELLED)
        .select_related("station", "rule")
        .prefetch_related(duties)
        .annotate(
            representatives_on_duty=Count("duties", filter=Q(duties__role=Role.REPRESENTATIVE)),
            leaders_on_duty=Count("duties", filter=Q(duties__role=Role.LEADER)),
        )
        .order_by("date", "start_time", "station__name")[:200]
    )
    for day in days:
        day.representatives_needed, day.leaders_needed = needed_on(day)
        day.rota_complete = (
            day.representatives_on_duty >= day.representatives_needed
            and day.leaders_on_duty >= day.leaders_needed
        )
    pending = list(
        managed_swaps(user)
        .filter(state=SwapRequest.State.PENDING, duty__day__date__gte=today)
        .select_related("duty__day__station", "duty__representative", "replacement")
        .order_by("duty__day__date", "created")
    )
    own = representative_of(user)
    mine = (
        list(
            Duty.objects.filter(representative=own, day__date__gte=today)
            .exclude(day__status=ReceptionDay.Status.CANCELLED)
            .select_related("day__station")
            .prefetch_related(
                Prefetch(
                    "swap_requests",
                    queryset=SwapRequest.objects.filter(state=SwapRequest.State.PENDING),
                    to_attr="pending_swaps",
                )
            )
            .order_by("day__date")[:50]
        )
        if own is not None
        else []
    )
    return RotaOverview(days=days, pending_swaps=pending, my_duties=mine)
