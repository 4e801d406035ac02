"""SMS backends, shaped like Django's e-mail backends: a dotted path in settings.SMS_BACKEND.

A real gateway subclasses BaseSmsBackend, reads its own settings and raises SmsError when the
gateway refuses or cannot be reached; the outbox then retries with backoff.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from .masking import mask_phone

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway did not accept the message; it may be retried."""


@dataclass(frozen=True)
class SmsMessage:
    recipient: str
    text: str


class BaseSmsBackend:
    def send(self, recipient: str, text: str) -> None:
        """Hand one message to the gateway, or raise SmsError."""
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """The demo's gateway: writes each message to the log instead of sending it."""

    def send(self, recipient: str, text: str) -> None:
        # Logs are read by more people than the outbox; the number is masked there.
        logger.info("SMS to %s: %s", mask_phone(recipient), text)


# Filled by LocmemSmsBackend, like django.core.mail.outbox; tests empty it between runs.
outbox: list[SmsMessage] = []


class LocmemSmsBackend(BaseSmsBackend):
    """For tests: keeps every message in `notifications.sms.outbox`."""

    def send(self, recipient: str, text: str) -> None:
        outbox.append(SmsMessage(recipient=recipient, text=text))


def get_sms_backend() -> BaseSmsBackend:
    backend_class: type[BaseSmsBackend] = import_string(settings.SMS_BACKEND)
    return backend_class()
