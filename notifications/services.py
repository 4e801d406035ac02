"""The outbox: `notify` writes a message with the caller's change, `message_send` sends it once.

Delivery guarantee. A message is claimed with a conditional UPDATE before the gateway is called,
so two workers never send the same row. If a worker dies between the claim and the gateway's
answer, nobody knows whether the message went out. We chose to send it again after
SENDING_LEASE (at-least-once for interrupted sends) rather than lose it (at-most-once): a citizen
who gets a receipt twice is better off than one who never learns their tracking code. Every
other path sends a message at most once.
"""

import logging
import re
import time
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy

from liaison.queueing import delay_or_leave_to_sweep

from .masking import mask_email, mask_phone
from .models import Channel, Message
from .sms import get_sms_backend

__all__ = [
    "Channel",
    "Message",
    "message_retry",
    "messages_forget_recipient",
    "message_send",
    "notify",
    "send_pending_messages",
]

logger = logging.getLogger(__name__)

BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(hours=1)
# A claim older than this means the worker died mid-send (SMTP and gateway calls time out far
# sooner); the sweep then hands the message out again. See the module docstring.
SENDING_LEASE = timedelta(minutes=10)
SWEEP_BATCH_SIZE = 500
# Below the beat interval (60 s), so a sweep that meets a flood yields to the next one instead
# of running for ever; overlapping sweeps would be safe, only wasteful.
SWEEP_TIME_BUDGET_SECONDS = 50
# Written into last_error of a message taken back from a dead worker, in the active language.
INTERRUPTED_NOTE = gettext_lazy(
    "The send was interrupted before the gateway answered; the message may have gone out."
)

# Only a mainland mobile number can receive an SMS; a landline passes the contact-phone validator
# but would fail at the gateway eight times over an hour.
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-()]")
_COUNTRY_CODE = re.compile(r"^(?:\+|00)?86(?=1\d{10}$)")


def notify(
    *, key: str, channel: Channel, recipient: str, template: str, context: dict[str, Any]
) -> Message | None:
    """Write a message into the outbox in the caller's transaction; send it after commit.

    Returns None, writing nothing, when a message with `key` already exists, when `recipient` is
    blank, or when it cannot receive this channel (a landline for an SMS, a malformed e-mail
    address): a notification must never undo the change it reports.
    """
    channel = Channel(channel)
    if not recipient.strip():
        return None
    address = _deliverable_address(channel=channel, recipient=recipient)
    if address is None:
        shown = Message(channel=channel, recipient=recipient).masked_recipient
        logger.warning("Message %s not written: %s cannot receive %s.", key, shown, channel.label)
        return None
    # The common repeat is cheap to see before rendering; the insert below settles races.
    if Message.objects.filter(key=key).exists():
        return None

    subject, body, html_body = _render(channel=channel, template=template, context=context)
    message = Message(
        key=key,
        channel=channel,
        recipient=address,
        subject=subject,
        body=body,
        html_body=html_body,
    )
    # Uniqueness is left to the database, which is the only place it holds under concurrency.
    message.full_clean(validate_unique=False, validate_constraints=False)
    try:
        # A savepoint, so a duplicate key does not break the caller's transaction.
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        if Message.objects.filter(key=key).exists():
            return None
        raise
    transaction.on_commit(partial(_queue_send, message.pk))
    return message


def message_send(*, message_id: int) -> bool:
    """Send one due message unless another worker has it or it is done; True if it went out.

    Call it outside a transaction, as the tasks and the sweep do: the claim must be committed
    before the gateway is called, or a rollback would forget a message that was in fact sent.
    """
    now = timezone.now()
    claimed = Message.objects.filter(
        pk=message_id, status=Message.Status.PENDING, next_attempt_at__lte=now
    ).update(
        status=Message.Status.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + SENDING_LEASE,
    )
    if not claimed:
        return False

    message = Message.objects.get(pk=message_id)
    try:
        _deliver(message)
    except Exception as exc:
        # Any failure, a gateway refusal or a bug in a backend, is recorded on the row and
        # retried with backoff; the row is the operator's view of what went wrong.
        _record_failure(message=message, error=exc)
        return False
    # Guarded by `attempts`: if the sweep took this row for a dead worker's and someone else
    # claimed it since, that worker owns the row now. If nobody has claimed it yet, marking it
    # sent here stops a second copy.
    Message.objects.filter(pk=message.pk, attempts=message.attempts).update(
        status=Message.Status.SENT, sent_at=timezone.now()
    )
    logger.info("Message %s sent to %s.", message.key, message.masked_recipient)
    return True


def send_pending_messages(*, batch_size: int = SWEEP_BATCH_SIZE) -> int:
    """The periodic sweep: send every due message, oldest due first; return how many went out.

    It catches messages whose immediate send never ran (broker or worker down at commit time),
    failed sends whose backoff has passed, and sends interrupted by a dead worker.
    """
    started = time.monotonic()
    _release_stuck_messages(now=timezone.now())
    sent = 0
    while True:
        due = list(
            Message.objects.filter(
                status=Message.Status.PENDING, next_attempt_at__lte=timezone.now()
            )
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:batch_size]
        )
        for message_id in due:
            sent += message_send(message_id=message_id)
        # Every row of a batch leaves the due set (sent, failed into the future, or taken by
        # another worker), so the loop ends; the budget only bounds a continuous flood.
        if len(due) < batch_size or time.monotonic() - started > SWEEP_TIME_BUDGET_SECONDS:
            return sent


@transaction.atomic
def message_retry(*, messages: QuerySet[Message]) -> int:
    """Make waiting or failed messages due now and queue them; return how many.

    Sent messages and those being sent are left alone. `attempts` is kept as an honest count,
    so a failed message gets one more try: if that fails too, it is marked failed again.
    """
    retryable = messages.filter(status__in=[Message.Status.PENDING, Message.Status.FAILED])
    message_ids = list(retryable.values_list("pk", flat=True))
    count = Message.objects.filter(
        pk__in=message_ids, status__in=[Message.Status.PENDING, Message.Status.FAILED]
    ).update(status=Message.Status.PENDING, next_attempt_at=timezone.now())
    for message_id in message_ids:
        transaction.on_commit(partial(_queue_send, message_id))
    return count


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 30 s, 1 min, 2 min … at most 1 h."""
    # The exponent is capped before multiplying: a large NOTIFICATION_MAX_ATTEMPTS would
    # otherwise overflow timedelta long after the cap applies.
    factor: int = 2 ** min(max(attempts - 1, 0), 16)
    return min(BACKOFF_FIRST * factor, BACKOFF_MAX)


def _queue_send(message_id: int) -> None:
    # The row stays pending if the broker is away, and the sweep sends it.
    delay_or_leave_to_sweep(
        "notifications.tasks.send_message",
        message_id,
        warning="Message %s could not be queued; the periodic sweep will send it.",
    )


def _deliverable_address(*, channel: Channel, recipient: str) -> str | None:
    recipient = recipient.strip()
    if channel == Channel.SMS:
        number = _COUNTRY_CODE.sub("", _PHONE_SEPARATORS.sub("", recipient))
        return number if _MOBILE.match(number) else None
    try:
        validate_email(recipient)
    except ValidationError:
        return None
    return recipient


def _render(*, channel: Channel, template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text body and HTML body, rendered now in the active language."""
    if channel == Channel.SMS:
        text = _render_text(f"notifications/{template}.sms.txt", context)
        # Stored with the signature, so the outbox shows exactly what the phone received.
        return "", f"{settings.SMS_SIGNATURE}{text}", ""
    # A subject is one header line; a stray newline from the template would be refused.
    subject = " ".join(_render_text(f"notifications/{template}.subject.txt", context).split())
    body = _render_text(f"notifications/{template}.txt", context)
    try:
        html = Engine.get_default().get_template(f"notifications/{template}.html")
    except TemplateDoesNotExist:
        html_body = ""
    else:
        html_body = html.render(Context(context))
    return subject, body, html_body


def _render_text(name: str, context: dict[str, Any]) -> str:
    # Text is not HTML: with autoescaping a station named "A & B" would reach the phone as
    # "A &amp; B". Turning it off here means no template author can forget to.
    template = Engine.get_default().get_template(name)
    return template.render(Context(context, autoescape=False)).strip()


def _deliver(message: Message) -> None:
    if message.channel == Channel.SMS:
        get_sms_backend().send(message.recipient, message.body)
        return
    email = EmailMultiAlternatives(
        subject=message.subject, body=message.body, to=[message.recipient]
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    email.send()


def _record_failure(*, message: Message, error: Exception) -> None:
    now = timezone.now()
    described = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        status, next_attempt_at = Message.Status.FAILED, now
        logger.error(
            "Message %s to %s failed for good after %d attempts: %s",
            message.key,
            message.masked_recipient,
            message.attempts,
            described,
        )
    else:
        status, next_attempt_at = Message.Status.PENDING, now + backoff(message.attempts)
        logger.warning(
            "Message %s to %s failed (attempt %d), retrying at %s: %s",
            message.key,
            message.masked_recipient,
            message.attempts,
            next_attempt_at.isoformat(),
            described,
        )
    Message.objects.filter(pk=message.pk, attempts=message.attempts).update(
        status=status, last_error=described, next_attempt_at=next_attempt_at
    )


def _release_stuck_messages(*, now: datetime) -> int:
    """Hand out again messages whose claim expired: their worker died mid-send."""
    stuck = Message.objects.filter(status=Message.Status.SENDING, next_attempt_at__lte=now)
    note = str(INTERRUPTED_NOTE)
    max_attempts = settings.NOTIFICATION_MAX_ATTEMPTS
    stuck.filter(attempts__gte=max_attempts).update(status=Message.Status.FAILED, last_error=note)
    released = stuck.filter(attempts__lt=max_attempts).update(
        status=Message.Status.PENDING, last_error=note
    )
    if released:
        logger.warning("%d interrupted messages handed out again.", released)
    return released


def messages_forget_recipient(*, recipient: str, key_prefix: str) -> int:
    """Mask `recipient` in the finished messages whose key starts with `key_prefix` (a sender's
    personal data being anonymised). Pending and sending rows keep their address: they still have
    to reach it. Returns the rows changed."""
    if not recipient:
        return 0
    masked = mask_email(recipient) if "@" in recipient else mask_phone(recipient)
    return Message.objects.filter(
        recipient=recipient,
        key__startswith=key_prefix,
        status__in=[Message.Status.SENT, Message.Status.FAILED],
    ).update(recipient=masked)
