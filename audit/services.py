"""Every audit entry is written here (audit_record), and only expired ones are deleted here."""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pgtrigger
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from liaison.http import client_ip

from .models import MINIMUM_RETENTION_DAYS, AuditEntry

Action = AuditEntry.Action
Outcome = AuditEntry.Outcome

# Mainland mobiles (11 digits from 13x) and landlines with their area code (0357-7221234).
_PHONE = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|0\d{2,3}[- ]?\d{7,8})(?!\d)")


@dataclass(frozen=True)
class AuditedObject:
    """An object named without loading it: one already deleted, or known only by its key."""

    content_type: ContentType | None
    object_id: str
    text: str


def _mask_phones(text: str) -> str:
    return _PHONE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)


def _scrub(value: Any) -> Any:
    """Details keep what the entry needs and never a whole phone number, wherever it hides."""
    if isinstance(value, str):
        return _mask_phones(value)
    if isinstance(value, dict):
        return {str(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_scrub(v) for v in value]
    return value


def audit_record(
    *,
    action: str,
    user: User | AnonymousUser | None = None,
    request: HttpRequest | None = None,
    obj: models.Model | AuditedObject | None = None,
    outcome: str = Outcome.SUCCESS,
    details: dict[str, Any] | None = None,
    username: str = "",
) -> AuditEntry:
    """Write one audit entry in the caller's transaction.

    `user` defaults to the request's user; `username` names a user with no account (a failed
    login's attempted name). The source address comes from the request (liaison.http.client_ip).

    An entry written inside a transaction goes when that transaction is rolled back. A refusal
    or failure that rolls back the caller's work is therefore recorded after the rollback,
    outside the atomic block: audit_refusals does that for a view around a service. A refused
    login rolls nothing back (the login view answers with the form), so it is always kept.
    """
    if user is None and request is not None:
        user = getattr(request, "user", None)
    account = user if isinstance(user, User) and user.pk is not None else None
    if account is not None:
        username = account.get_username()
    entry = AuditEntry(
        time=timezone.now(),
        action=action,
        outcome=outcome,
        user=account,
        username=_mask_phones(username)[:150],
        source_address=client_ip(request) if request is not None else None,
        details=_scrub(details or {}),
    )
    if isinstance(obj, AuditedObject):
        entry.content_type = obj.content_type
        entry.object_id = str(obj.object_id)[:64]
        entry.object_repr = _mask_phones(obj.text)[:200]
    elif obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = str(obj.pk)[:64]
        entry.object_repr = _mask_phones(str(obj))[:200]
    # The foreign keys point at rows just read; checking them again would cost two queries.
    entry.full_clean(exclude=["user", "content_type"])
    entry.save(force_insert=True)
    return entry


@contextmanager
def audit_refusals(
    *,
    action: str,
    request: HttpRequest,
    obj: models.Model | AuditedObject | None = None,
    details: dict[str, Any] | None = None,
) -> Iterator[None]:
    """Record a refusal (PermissionDenied) of the service called inside, then let it go on.

    For views: the service's own transaction has been rolled back by the time the refusal
    reaches here, so the entry is written outside it and stays.

        with audit_refusals(action=Action.HANDLING_STEP, request=request, obj=suggestion):
            suggestion_accept(suggestion=suggestion, actor=request.user)
    """
    try:
        yield
    except PermissionDenied:
        audit_record(
            action=action, request=request, obj=obj, outcome=Outcome.DENIED, details=details
        )
        raise


def retention_days() -> int:
    days: int = settings.AUDIT_RETENTION_DAYS
    if days < MINIMUM_RETENTION_DAYS:
        raise ImproperlyConfigured(
            f"AUDIT_RETENTION_DAYS={days}: the audit log is kept at least "
            f"{MINIMUM_RETENTION_DAYS} days (six months, Cybersecurity Law art. 21)."
        )
    return days


def audit_purge_expired(*, now: dt.datetime | None = None) -> int:
    """Delete the entries older than AUDIT_RETENTION_DAYS and nothing newer; say how many.

    The only delete the append-only trigger lets through, and a second trigger, never set aside,
    still refuses any entry younger than the legal minimum.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    with transaction.atomic():
        with pgtrigger.ignore("audit.AuditEntry:append_only_delete"):
            # A savepoint of its own: when the database refuses the delete, pgtrigger can still
            # reset its setting on the way out, and the refusal is what the caller sees.
            with transaction.atomic():
                deleted, _ = AuditEntry.objects.filter(time__lt=cutoff).delete()
        if deleted:
            audit_record(
                action=Action.AUDIT_PURGE,
                details={"deleted": deleted, "older_than": cutoff.isoformat()},
            )
    return deleted
