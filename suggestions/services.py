"""Every write to suggestions goes through here."""

import hashlib
import hmac
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action as AuditAction
from audit.services import audit_record
from liaison.codes import random_code
from liaison.phones import is_mobile
from notifications.services import Channel as MessageChannel
from notifications.services import notify
from representatives.models import Representative
from stations.models import Region, Station

from .models import TRACKING_CODE_LENGTH, Suggestion, SuggestionEvent, SuggestionPhoto, Theme

ANONYMOUS_SECRET_LENGTH = 6
_CHECKED_ELSEWHERE = [
    "station", "village", "theme", "addressee", "registered_by", "reception_day",
    "tracking_code", "submission_token", "secret_digest",
]  # fmt: skip


@dataclass
class Submission:
    """What a citizen (or staff on their behalf) handed in, already validated by a form."""

    theme: Theme
    title: str
    content: str
    village: Region | None = None
    name: str = ""
    phone: str = ""
    is_anonymous: bool = False
    addressee: Representative | None = None
    photos: list[ContentFile] = field(default_factory=list)
    consent: bool = True


@dataclass(frozen=True)
class SubmitResult:
    suggestion: Suggestion
    created: bool
    # Shown once to an anonymous submitter; never stored in clear.
    secret: str = ""


def secret_digest(tracking_code: str, secret: str) -> str:
    message = f"{tracking_code}:{secret.strip().upper()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def track_url(suggestion: Suggestion) -> str:
    return f"{settings.SITE_URL}{reverse('suggestions:track')}?code={suggestion.tracking_code}"


def record_event(
    suggestion: Suggestion,
    *,
    action: str,
    old_status: str,
    actor: User | AnonymousUser | None = None,
    note: str = "",
    public: bool = False,
) -> SuggestionEvent:
    """Append one entry to the suggestion's history (the only writer of SuggestionEvent), and
    the same step to the audit log."""
    event = SuggestionEvent.objects.create(
        suggestion=suggestion,
        action=action,
        old_status=old_status,
        new_status=suggestion.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note,
        public=public,
    )
    audit_record(
        action=AuditAction.HANDLING_STEP,
        user=event.actor,
        obj=suggestion,
        details={"step": action, "from": old_status, "to": suggestion.status},
    )
    return event


def suggestion_submit(
    *,
    station: Station,
    submission: Submission,
    channel: str,
    token: uuid.UUID | None = None,
    registered_by: User | AnonymousUser | None = None,
    reception_day=None,
) -> SubmitResult:
    """Save a suggestion with its photos and first history entry, and queue the receipt.

    All in one transaction: nothing is half-saved. With a `token`, submitting again (a double
    click, a resubmitted form) returns the suggestion the first submission made.
    """
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _create(station, submission, channel, token, registered_by, reception_day)
        except IntegrityError:
            # Either this token was already used (a double click, a resubmitted form, or two
            # requests racing): return what the first one saved; or, once in a billion, the new
            # tracking code was taken: try again with another. The unique constraints decide.
            if token is not None:
                existing = Suggestion.objects.filter(submission_token=token).first()
                if existing:
                    return SubmitResult(existing, created=False)
    raise RuntimeError("could not save the suggestion with a free tracking code")


def _create(
    station: Station,
    submission: Submission,
    channel: str,
    token: uuid.UUID | None,
    registered_by: User | AnonymousUser | None,
    reception_day=None,
) -> SubmitResult:
    anonymous = submission.is_anonymous
    suggestion = Suggestion(
        station=station,
        village=submission.village,
        theme=submission.theme,
        title=submission.title,
        content=submission.content,
        name="" if anonymous else submission.name,
        phone="" if anonymous else submission.phone,
        is_anonymous=anonymous,
        addressee=submission.addressee,
        channel=channel,
        tracking_code=random_code(TRACKING_CODE_LENGTH),
        submission_token=token,
        consent_at=timezone.now() if submission.consent and not anonymous else None,
        registered_by=registered_by if registered_by and registered_by.is_authenticated else None,
        reception_day=reception_day,
    )
    secret = ""
    if anonymous:
        secret = random_code(ANONYMOUS_SECRET_LENGTH)
        suggestion.secret_digest = secret_digest(suggestion.tracking_code, secret)
    # The form chose the related rows from querysets; the unique fields are guarded by their
    # constraints. Checking them again here would cost six queries on the busiest write.
    suggestion.full_clean(
        exclude=_CHECKED_ELSEWHERE, validate_unique=False, validate_constraints=False
    )
    suggestion.save()
    for photo in submission.photos:
        SuggestionPhoto.objects.create(suggestion=suggestion, image=photo)
    record_event(
        suggestion,
        action="submit",
        old_status="",
        actor=registered_by,
        note=_("Received by %(station)s.") % {"station": station.name},
        public=True,
    )
    if is_mobile(suggestion.phone):
        notify(
            key=f"suggestion:{suggestion.pk}:received:sms",
            channel=MessageChannel.SMS,
            recipient=suggestion.phone,
            template="suggestion_received",
            context={
                "station_name": station.name,
                "tracking_code": suggestion.display_tracking_code,
                "track_url": track_url(suggestion),
            },
        )
    return SubmitResult(suggestion, created=True, secret=secret)
