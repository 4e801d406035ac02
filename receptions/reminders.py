"""Reminders about reception days, sent once a day by `tasks.send_reception_reminders`.

- Representatives and the leader on duty hear of their duty RECEPTION_REMINDER_DAYS before it
  (3 and 1 by default): by SMS when their phone is a mobile, otherwise by e-mail to their account.
- Station staff hear when a day within the coming week still lacks people on its rota, and when
  two days after a reception no duty log has been recorded for it.

Each reminder is claimed by inserting its `Reminder` row (unique per day, recipient and kind) in
the same savepoint as its outbox message: the two are committed together or not at all, and a
second run, or a second worker given the same task, meets the unique constraint and skips it.
A run that dies half-way loses its open transaction, so the rerun sends what it had not.

A day is looked at on every run of its window (the 3-day reminder from three days before to two
days before, and so on), so a missed run or a duty filled late still gets its reminder, once.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from liaison.phones import is_mobile
from notifications.services import Channel, notify
from stations.models import Station

from .models import Duty, ReceptionDay, Reminder
from .rota import DEFAULT_DUTY_LEADERS, DEFAULT_DUTY_REPRESENTATIVES

logger = logging.getLogger(__name__)

Kind = Reminder.Kind

DEFAULT_REMINDER_DAYS = [3, 1]
ROTA_CHECK_DAYS = 7
LOG_DUE_AFTER_DAYS = 2
# How long after its due date a missing log is still chased (a run missed for a few days).
LOG_CHASE_DAYS = 7
# Days per transaction. A batch of a few hundred days is a few hundred to a few thousand
# reminders: big enough that the bulk reads pay off, small enough that a lost worker loses little.
DAY_BATCH = 200


@dataclass(frozen=True)
class _Planned:
    """One reminder to claim and send."""

    day: ReceptionDay
    kind: str
    recipient_key: str
    channel: Channel
    address: str
    template: str
    context: dict
    recipient_id: int | None = None
    representative_id: int | None = None


class _NotWritten(Exception):
    """notify() wrote nothing (an address it cannot deliver to): take the claim back."""


def send_reception_reminders(today: datetime.date | None = None) -> int:
    """Send every reminder due `today` that has not been sent; return how many were sent."""
    today = today or timezone.localdate()
    # Rendered in the site's language, whatever request or worker happens to run this.
    with translation.override(settings.LANGUAGE_CODE):
        sent = 0
        for kind, first, last in duty_windows(today):
            days = ReceptionDay.objects.filter(
                status=ReceptionDay.Status.PLANNED, date__gte=first, date__lte=last
            )
            sent += _run(days, lambda batch, kind=kind: _duty_reminders(batch, kind))
        sent += _run(incomplete_rota_days(today), _rota_incomplete_reminders)
        sent += _run(missing_log_days(today), _log_missing_reminders)
    logger.info("Reception reminders for %s: %d sent.", today, sent)
    return sent


# --- which days ---------------------------------------------------------------------------------


def duty_windows(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """(kind, first date, last date) of the days whose duty reminders are due `today`.

    With [3, 1]: the 3-day reminder for days two or three days ahead, the 1-day reminder for
    tomorrow. The model has one kind for the early reminder and one for the last one.
    """
    offsets = sorted(
        {int(n) for n in getattr(settings, "RECEPTION_REMINDER_DAYS", DEFAULT_REMINDER_DAYS)},
        reverse=True,
    )
    kinds = [Kind.DUTY_1_DAY if n <= 1 else Kind.DUTY_3_DAYS for n in offsets]
    if len(set(kinds)) != len(kinds) or any(n < 1 for n in offsets):
        raise ImproperlyConfigured(
            "RECEPTION_REMINDER_DAYS takes at most one number above 1 (the early reminder) "
            f"and at most one 1 (the day before); got {offsets}."
        )
    windows: list[tuple[str, datetime.date, datetime.date]] = []
    for i, (n, kind) in enumerate(zip(offsets, kinds, strict=True)):
        later = offsets[i + 1] if i + 1 < len(offsets) else 0
        windows.append(
            (kind, today + datetime.timedelta(days=later + 1), today + datetime.timedelta(days=n))
        )
    return windows


def incomplete_rota_days(today: datetime.date) -> QuerySet[ReceptionDay]:
    """Planned days within the coming week with fewer people on duty than their rule asks."""
    return (
        ReceptionDay.objects.filter(
            status=ReceptionDay.Status.PLANNED,
            date__gt=today,
            date__lte=today + datetime.timedelta(days=ROTA_CHECK_DAYS),
        )
        .annotate(
            representatives_on_duty=Count(
                "duties", filter=Q(duties__role=Duty.Role.REPRESENTATIVE)
            ),
            leaders_on_duty=Count("duties", filter=Q(duties__role=Duty.Role.LEADER)),
            representatives_needed=Coalesce(
                F("rule__duty_representatives"), Value(DEFAULT_DUTY_REPRESENTATIVES)
            ),
            leaders_needed=Coalesce(F("rule__duty_leaders"), Value(DEFAULT_DUTY_LEADERS)),
        )
        .filter(
            Q(representatives_on_duty__lt=F("representatives_needed"))
            | Q(leaders_on_duty__lt=F("leaders_needed"))
        )
    )


def missing_log_days(today: datetime.date) -> QuerySet[ReceptionDay]:
    """Days held (or still marked planned) two or more days ago without a duty log."""
    due = today - datetime.timedelta(days=LOG_DUE_AFTER_DAYS)
    return ReceptionDay.objects.filter(
        status__in=[ReceptionDay.Status.PLANNED, ReceptionDay.Status.HELD],
        date__lte=due,
        date__gte=due - datetime.timedelta(days=LOG_CHASE_DAYS),
        log__isnull=True,
    )


# --- running in batches -------------------------------------------------------------------------


def _batches(days: QuerySet[ReceptionDay]) -> Iterator[list[ReceptionDay]]:
    # The ids first, then each batch with its station: a plain keyset, no open cursor held
    # across the writes, and the aggregate annotations of `days` stay with the batch.
    ids = iter(list(days.order_by("date", "pk").values_list("pk", flat=True)))
    while chunk := list(islice(ids, DAY_BATCH)):
        batch = days.filter(pk__in=chunk).select_related("station").order_by("date", "pk")
        yield list(batch)


def _run(days: QuerySet[ReceptionDay], plan) -> int:
    sent = 0
    for batch in _batches(days):
        sent += _claim_and_send(plan(batch))
    return sent


def _claim_and_send(planned: list[_Planned]) -> int:
    """Write each reminder's claim and outbox message together, skipping those already sent."""
    if not planned:
        return 0
    sent_before = set(
        Reminder.objects.filter(
            day_id__in={p.day.pk for p in planned}, kind__in={p.kind for p in planned}
        ).values_list("day_id", "kind", "recipient_key")
    )
    sent = 0
    with transaction.atomic():
        for p in planned:
            if (p.day.pk, p.kind, p.recipient_key) in sent_before:
                continue
            claim = Reminder(
                day=p.day,
                kind=p.kind,
                recipient_id=p.recipient_id,
                representative_id=p.representative_id,
                recipient_key=p.recipient_key,
            )
            # The foreign keys come from rows just read; checking them would cost a query each.
            claim.full_clean(
                exclude=["day", "recipient", "representative"],
                validate_unique=False,
                validate_constraints=False,
            )
            try:
                # A savepoint per reminder: a duplicate (another run got there first) or an
                # undeliverable address undoes this reminder only.
                with transaction.atomic():
                    claim.save(force_insert=True)
                    message = notify(
                        key=f"reception:{p.day.pk}:{p.kind}:{p.recipient_key}",
                        channel=p.channel,
                        recipient=p.address,
                        template=p.template,
                        context=p.context,
                    )
                    if message is None:
                        raise _NotWritten
            except IntegrityError:
                continue
            except _NotWritten:
                continue
            sent += 1
    return sent


# --- what each reminder says --------------------------------------------------------------------


def _day_context(day: ReceptionDay) -> dict:
    return {
        "station_name": day.station.name,
        "date": day.date,
        "start_time": day.start_time,
        "end_time": day.end_time,
        "place": day.place or day.station.address,
        "theme": day.theme,
    }


def _duty_reminders(days: list[ReceptionDay], kind: str) -> list[_Planned]:
    by_pk = {day.pk: day for day in days}
    planned = []
    duties = (
        Duty.objects.filter(day_id__in=by_pk)
        .select_related("representative__user")
        .order_by("day_id", "-role", "pk")
    )
    for duty in duties:
        day, representative = by_pk[duty.day_id], duty.representative
        user = representative.user
        if is_mobile(representative.phone):
            channel, address = Channel.SMS, representative.phone
        elif user is not None and user.email:
            channel, address = Channel.EMAIL, user.email
        else:
            continue  # nowhere to send it; the staff see the rota
        planned.append(
            _Planned(
                day=day,
                kind=kind,
                recipient_key=f"rep:{representative.pk}",
                channel=channel,
                address=address,
                template="reception_duty",
                context={
                    **_day_context(day),
                    "name": representative.name,
                    "leader": duty.role == Duty.Role.LEADER,
                    "tomorrow": kind == Kind.DUTY_1_DAY,
                },
                recipient_id=user.pk if user is not None else None,
                representative_id=representative.pk,
            )
        )
    return planned


def _staff_by_station(days: list[ReceptionDay]) -> dict[int, list]:
    """The active staff with an e-mail address of each day's station and, for a point, of the
    station it belongs to (who manage it too; see stations_managed_by)."""
    wanted = {day.station_id for day in days} | {
        day.station.parent_id for day in days if day.station.parent_id
    }
    staff: dict[int, list] = defaultdict(list)
    for link in (
        Station.staff.through.objects.filter(station_id__in=wanted, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    ):
        staff[link.station_id].append(link.user)
    return staff


def _staff_reminders(
    days: list[ReceptionDay], *, kind: str, template: str, more_context=lambda day: {}
) -> list[_Planned]:
    staff = _staff_by_station(days)
    workbench_url = f"{settings.SITE_URL}{reverse('rota:index')}"
    planned = []
    for day in days:
        people = {u.pk: u for u in staff[day.station_id]}
        if day.station.parent_id:
            people |= {u.pk: u for u in staff[day.station.parent_id]}
        for user in people.values():
            planned.append(
                _Planned(
                    day=day,
                    kind=kind,
                    recipient_key=f"user:{user.pk}",
                    channel=Channel.EMAIL,
                    address=user.email,
                    template=template,
                    context={
                        **_day_context(day),
                        "workbench_url": workbench_url,
                        **more_context(day),
                    },
                    recipient_id=user.pk,
                )
            )
    return planned


def _rota_incomplete_reminders(days: list[ReceptionDay]) -> list[_Planned]:
    return _staff_reminders(
        days,
        kind=Kind.ROTA_INCOMPLETE,
        template="reception_rota_incomplete",
        more_context=lambda day: {
            "representatives_on_duty": day.representatives_on_duty,
            "representatives_needed": day.representatives_needed,
            "leaders_on_duty": day.leaders_on_duty,
            "leaders_needed": day.leaders_needed,
        },
    )


def _log_missing_reminders(days: list[ReceptionDay]) -> list[_Planned]:
    def log_page(day: ReceptionDay) -> dict:
        try:
            return {
                "workbench_url": f"{settings.SITE_URL}{reverse('duty_logs:record', args=[day.pk])}"
            }
        except NoReverseMatch:  # the duty-log pages are not mounted: the rota page instead
            return {}

    return _staff_reminders(
        days, kind=Kind.LOG_MISSING, template="reception_log_missing", more_context=log_page
    )
