"""Personal information (PIPL): how long a citizen's details are kept, removing them, and answering
a citizen's request to see, correct or delete them.

What is personal, field by field, and what removing it does:
- `name`, `phone`: who the citizen is. Cleared. Statistics never count them; the public notice
  then shows no submitter.
- `secret_digest`: an anonymous submitter's proof for the tracking page. Cleared: nothing is left
  to prove, and nobody needs to track a finished suggestion years later.
- photos: may show a house, a face, a neighbour. Rows and files are deleted (the files after the
  commit, so a rolled-back removal loses nothing).
- `rating_comment`: the citizen's own words about the result, typed freely. Cleared; the rating
  itself stays (statistics count it).
- the SMS sent to the citizen (notifications' outbox): their number is masked in sent and failed
  messages.
Kept, and why:
- `title`, `content`: the suggestion itself, which the issue keeps; staff are told (the workbench's
  privacy page) to correct personal details typed into the text through a correction request.
- `result`, `feedback_note`, the public history: the public reply. `feedback_note` is what the
  citizen was told, and is written to the public history as the answer, so it is the reply.
- `rejection_reason`, `decided_by`, `refer_to`: staff's words about the matter, not the person.
- `consent_at`, `is_anonymous`, `channel`, `rating`, dates: facts of the handling that statistics
  count, not identifying anyone.
- the phone access log: who looked at a number and when, which an audit must still be able to read.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action as AuditAction
from audit.services import audit_record
from notifications.masking import mask_name, mask_phone
from notifications.services import messages_forget_recipient
from stations.models import Station

from .models import DataRequest, DataRequestEvent, Suggestion, SuggestionEvent
from .permissions import Scope
from .services import record_event

logger = logging.getLogger(__name__)

Status = Suggestion.Status
# Nothing more will be done with these, so the citizen's details are no longer needed for them.
ENDED_STATUSES = (*Suggestion.FINISHED_STATUSES, Status.REJECTED, Status.MERGED)
# History entries that are not handling steps: they do not restart the retention clock.
PRIVACY_ACTIONS = ("anonymise", "correct_contact", "data_shown")


class PrivacyError(Exception):
    """The citizen's details cannot be removed or corrected now; the message says why."""


# --- the rule: whose details may go, and when --------------------------------------------------


def ended_q(prefix: str = "") -> Q:
    """Handling has ended: finished, rejected or merged, and a merged one's original too (its
    citizen is told the original's result, so their number is needed until then)."""
    original_ended = Q(**{f"{prefix}merged_into__isnull": True}) | Q(
        **{f"{prefix}merged_into__status__in": ENDED_STATUSES}
    )
    return Q(**{f"{prefix}status__in": ENDED_STATUSES}) & original_ended


def _steps_since(cutoff: dt.datetime, field: str) -> Exists:
    return Exists(
        SuggestionEvent.objects.filter(suggestion=OuterRef(field), created__gte=cutoff).exclude(
            action__in=PRIVACY_ACTIONS
        )
    )


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)


def due_for_anonymisation(now: dt.datetime | None = None) -> QuerySet[Suggestion]:
    """Ended suggestions still holding personal data whose last handling step (and their
    original's, if merged) is older than PERSONAL_DATA_RETENTION_DAYS."""
    cutoff = retention_cutoff(now)
    return (
        Suggestion.objects.filter(ended_q(), anonymised_at__isnull=True)
        .exclude(_steps_since(cutoff, "pk"))
        .exclude(Q(merged_into__isnull=False) & _steps_since(cutoff, "merged_into"))
    )


def retention_years() -> int | None:
    """The retention period in whole years for the consent notice, or None if it is not whole."""
    years, rest = divmod(settings.PERSONAL_DATA_RETENTION_DAYS, 365)
    return years if years and not rest else None


def consent_notice(station: Station) -> dict:
    """What the consent notice names: who keeps the data, for how long, how to ask about it."""
    return {
        "processor": settings.PERSONAL_INFORMATION_PROCESSOR or station.name,
        "station": station,
        "retention_years": retention_years(),
        "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
    }


# --- removing the details ----------------------------------------------------------------------


def suggestion_anonymise(
    *, suggestion: Suggestion, actor: User | None, note: str, now: dt.datetime | None = None
) -> bool:
    """Remove the citizen's personal data from one ended suggestion and record it on its history.

    Locks the row; returns False when it was already done (a second run, a second worker) or,
    with `now` (the retention task), when it is no longer due (reopened meanwhile). Raises
    PrivacyError when handling has not ended.
    """
    with transaction.atomic():
        locked = (
            Suggestion.objects.select_for_update(of=("self",))
            .filter(pk=suggestion.pk, anonymised_at__isnull=True)
            .first()
        )
        if locked is None:
            return False
        if now is not None and not due_for_anonymisation(now).filter(pk=locked.pk).exists():
            return False
        if not Suggestion.objects.filter(ended_q(), pk=locked.pk).exists():
            raise PrivacyError(
                _(
                    "%(code)s is still being handled (%(status)s): its details are needed to "
                    "tell the citizen the result. They can be deleted once handling has ended."
                )
                % {"code": locked.display_tracking_code, "status": locked.get_status_display()}
            )
        phone = locked.phone
        files = [(photo.image.storage, photo.image.name) for photo in locked.photos.all()]
        locked.photos.all().delete()
        locked.name = locked.phone = locked.secret_digest = locked.rating_comment = ""
        locked.anonymised_at = timezone.now()
        # `updated` is left alone: it tells the ledger and statistics about handling changes.
        locked.save(
            update_fields=["name", "phone", "secret_digest", "rating_comment", "anonymised_at"]
        )
        record_event(
            locked,
            action="anonymise",
            old_status=locked.status,
            actor=actor,
            note=note + " " + _("Photos removed: %(count)d.") % {"count": len(files)},
        )
        messages_forget_recipient(recipient=phone, key_prefix="suggestion:")
        transaction.on_commit(lambda: _delete_files(files))
    suggestion.refresh_from_db()
    return True


def _delete_files(files: list) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            # The row is gone; a file left behind is found by its missing row and logged here.
            logger.exception("Could not delete the photo file %s.", name)


def personal_data_expire(*, now: dt.datetime | None = None, batch: int = 200) -> int:
    """The retention task's work: anonymise every suggestion due, `batch` at a time, each in its
    own transaction. Safe to run twice or in two workers: each row is claimed under its lock by
    `anonymised_at` still being empty. Returns how many were anonymised."""
    now = now or timezone.now()
    note = _("Personal data removed after the retention period of %(days)d days.") % {
        "days": settings.PERSONAL_DATA_RETENTION_DAYS
    }
    done, seen = 0, set[int]()
    while True:
        ids = [
            pk
            for pk in due_for_anonymisation(now)
            .order_by("pk")
            .values_list("pk", flat=True)[: batch + len(seen)]
            if pk not in seen
        ][:batch]
        if not ids:
            return done
        for suggestion in Suggestion.objects.filter(pk__in=ids):
            seen.add(suggestion.pk)
            # Reopened meanwhile, or claimed by another worker: skipped, left for next time.
            done += suggestion_anonymise(suggestion=suggestion, actor=None, note=note, now=now)


# --- a citizen's requests ----------------------------------------------------------------------


def suggestion_correct_contact(
    *, suggestion: Suggestion, actor: User, name: str, phone: str
) -> bool:
    """Change the citizen's name and/or phone; the history keeps both masked, old → new.
    Returns False when nothing changed."""
    with transaction.atomic():
        locked = Suggestion.objects.select_for_update(of=("self",)).get(pk=suggestion.pk)
        if locked.anonymised_at or locked.is_anonymous:
            raise PrivacyError(
                _("%(code)s holds no name or phone number to correct.")
                % {"code": locked.display_tracking_code}
            )
        changes, fields = [], []
        if name and name != locked.name:
            changes.append(_("name %(old)s → %(new)s") % {
                "old": mask_name(locked.name), "new": mask_name(name)})  # fmt: skip
            locked.name = name
            fields.append("name")
        if phone and phone != locked.phone:
            changes.append(_("phone %(old)s → %(new)s") % {
                "old": mask_phone(locked.phone), "new": mask_phone(phone)})  # fmt: skip
            locked.phone = phone
            fields.append("phone")
        if not fields:
            return False
        others = [f.name for f in Suggestion._meta.fields if f.name not in ("name", "phone")]
        locked.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
        locked.save(update_fields=fields)
        record_event(
            locked,
            action="correct_contact",
            old_status=locked.status,
            actor=actor,
            note=_("Corrected at the citizen's request: %(changes)s.")
            % {"changes": "; ".join(changes)},
        )
    return True


@dataclass(frozen=True)
class RequestInput:
    """What staff record about a citizen's request, already validated by a form."""

    station: Station
    phone: str
    kind: str
    requester: str
    verification: str
    verification_note: str
    answer: str
    suggestions: list[Suggestion]
    new_name: str = ""
    new_phone: str = ""


def data_subject_suggestions(scope: Scope, phone: str) -> QuerySet[Suggestion]:
    """What the station holds on the citizen with this phone number, within the user's scope."""
    return (
        scope.answers_data_requests()
        .filter(phone=phone)
        .select_related("station", "theme")
        .prefetch_related("photos")
        .order_by("-created")
    )


@dataclass(frozen=True)
class Held:
    """One suggestion as the citizen's data request page shows it."""

    suggestion: Suggestion
    photos: int
    may_delete: bool


def data_subject_held(held: QuerySet[Suggestion]) -> list[Held]:
    ended = set(held.filter(ended_q()).values_list("pk", flat=True))
    return [Held(s, len(s.photos.all()), s.pk in ended) for s in held]


def data_request_record(*, scope: Scope, data: RequestInput) -> DataRequest:
    """Record a citizen's request and carry it out in one transaction: show (record what was
    shown), correct (name/phone) or delete (anonymise now; suggestions still being handled are
    refused, with the reason on the record and in the answer)."""
    actor = scope.user
    if not isinstance(actor, User) or not scope.answers_for_station(data.station):
        raise PermissionDenied(_("You may not answer requests for this station."))
    reach = set(data_subject_suggestions(scope, data.phone).values_list("pk", flat=True))
    if any(s.pk not in reach for s in data.suggestions):
        raise PermissionDenied(_("You may not answer requests for this station."))
    Kind = DataRequest.Kind
    with transaction.atomic():
        request = DataRequest.objects.create(
            station=data.station, kind=data.kind, requester=data.requester,
            masked_phone=mask_phone(data.phone), verification=data.verification,
            verification_note=data.verification_note, outcome=DataRequest.Outcome.DONE,
            answer=data.answer, handled_by=actor,
        )  # fmt: skip
        request.suggestions.set(data.suggestions)
        _request_event(request, actor, "received", request.get_kind_display())
        refused: list[str] = []
        for suggestion in data.suggestions:
            code = suggestion.display_tracking_code
            try:
                if data.kind == Kind.ACCESS:
                    record_event(suggestion, action="data_shown", old_status=suggestion.status,
                                 actor=actor, note=_("Personal data shown to the citizen on "
                                                     "request."))  # fmt: skip
                    _request_event(request, actor, "shown", code)
                elif data.kind == Kind.CORRECTION:
                    changed = suggestion_correct_contact(
                        suggestion=suggestion, actor=actor, name=data.new_name,
                        phone=data.new_phone,
                    )  # fmt: skip
                    _request_event(request, actor, "corrected" if changed else "unchanged", code)
                else:
                    suggestion_anonymise(
                        suggestion=suggestion, actor=actor,
                        note=_("Deleted at the citizen's request."),
                    )  # fmt: skip
                    _request_event(request, actor, "deleted", code)
            except PrivacyError as exc:
                refused.append(str(exc))
                _request_event(request, actor, "refused", str(exc))
        if refused:
            request.outcome = (
                DataRequest.Outcome.REFUSED
                if len(refused) == len(data.suggestions)
                else DataRequest.Outcome.PARTLY
            )
            request.answer = "\n".join([data.answer, *refused])
            request.save(update_fields=["outcome", "answer"])
        audit_record(
            action=AuditAction.DATA_REQUEST,
            user=actor,
            obj=request,
            details={"kind": request.kind, "outcome": request.outcome},
        )
    return request


def _request_event(request: DataRequest, actor: User, action: str, note: str) -> None:
    DataRequestEvent.objects.create(request=request, action=action, actor=actor, note=note)


def data_requests_for(scope: Scope) -> QuerySet[DataRequest]:
    """The requests this user may read: those made at the stations they manage."""
    return scope.data_requests().select_related("station", "handled_by").order_by("-created")
