"""Duty logs: what happened on a held reception day, and the suggestions raised there."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suggestions.models import Suggestion
from suggestions.services import Submission, suggestion_submit

from .models import DutyLog, DutyLogPhoto, ReceptionDay
from .permissions import check_can_log


class LogError(Exception):
    """The day cannot be logged (not yet held, cancelled, or already logged)."""


@transaction.atomic
def duty_log_record(
    *,
    day: ReceptionDay,
    actor: User,
    attendees,
    visitor_batches: int,
    visitors: int,
    summary: str,
    photos=(),
    raised: Iterable[Submission] = (),
) -> DutyLog:
    """Record a held reception; each suggestion raised enters the normal handling flow."""
    day = ReceptionDay.objects.select_for_update().select_related("station").get(pk=day.pk)
    check_can_log(actor, day)
    if day.status == ReceptionDay.Status.CANCELLED:
        raise LogError(_("This reception day was cancelled."))
    if day.date > timezone.localdate():
        raise LogError(_("A reception can be logged on its day or after it."))
    if DutyLog.objects.filter(day=day).exists():
        raise LogError(_("This reception day has already been logged."))
    if visitors < visitor_batches:
        raise LogError(_("There cannot be fewer visitors than visitor groups."))
    log = DutyLog(
        day=day, recorded_by=actor, visitor_batches=visitor_batches, visitors=visitors,
        summary=summary,
    )  # fmt: skip
    log.full_clean(exclude=["day", "recorded_by"])
    log.save()
    log.attendees.set(attendees)
    for photo in photos:
        DutyLogPhoto.objects.create(log=log, image=photo)
    day.status = ReceptionDay.Status.HELD
    day.save(update_fields=["status", "updated"])
    addressee = getattr(actor, "representative", None)
    for submission in raised:
        if submission.addressee is None and addressee is not None:
            submission.addressee = addressee
        suggestion_submit(
            station=day.station,
            submission=submission,
            channel=Suggestion.Channel.RECEPTION,
            registered_by=actor,
            reception_day=day,
        )
    return log
