from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .masking import mask_email, mask_phone


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("e-mail")


class Message(models.Model):
    """One SMS or e-mail in the outbox, rendered when it was queued and sent at most once.

    The row is written in the same transaction as the change it reports, so a message exists if
    and only if that change was committed; Celery and the periodic sweep only ever send rows.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        help_text=_("Chosen by the sender; a message with the same key is written only once."),
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # For a pending row: when it may be tried next. For a sending row: when the claim expires and
    # the sweep may assume the worker died (see services.SENDING_LEASE).
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The sweep: status = 'pending' AND next_attempt_at <= now ORDER BY next_attempt_at,
            # and the same for stuck 'sending' rows. Also serves the admin's status filter.
            models.Index(fields=["status", "next_attempt_at"], name="notif_message_due_idx"),
            # The admin's "every message to this number". A Meta index rather than db_index: the
            # search is exact, so PostgreSQL needs no second, pattern-ops copy of this index.
            models.Index(fields=["recipient"], name="notif_message_recipient_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.masked_recipient}"

    @property
    def masked_recipient(self) -> str:
        if self.channel == Channel.EMAIL:
            return mask_email(self.recipient)
        return mask_phone(self.recipient)
