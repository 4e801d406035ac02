"""Back to the citizen: feedback, rating, reopening once, closing; and the phone reveal."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import Action as AuditAction
from audit.services import audit_record

from ..deadlines import clear_deadline
from ..models import (
    DepartmentTask,
    PhoneAccess,
    Suggestion,
)
from ..permissions import Action, ensure_can_act, ensure_can_view_phone
from .core import (
    Status,
    Step,
    TransitionError,
    _lock,
    _require,
    _save,
    _station_staff,
    _tell_citizen,
    _tell_users,
)


@transaction.atomic
def suggestion_feedback(
    *, suggestion: Suggestion, actor: User, method: str, note: str
) -> Suggestion:
    """The result goes back to the citizen (反馈): by phone, in person or by public notice."""
    suggestion = _lock(suggestion)
    ensure_can_act(actor, suggestion, Action.FEEDBACK)
    _require(suggestion, Status.COMPLETED)
    if method not in Suggestion.FeedbackMethod.values or not note.strip():
        raise TransitionError(_("Choose how the citizen was told and write what was said."))
    old, suggestion.status = suggestion.status, Status.FED_BACK
    suggestion.feedback_method, suggestion.feedback_note = method, note
    suggestion.fed_back_at = timezone.now()
    _save(
        suggestion,
        actor=actor,
        old_status=old,
        step=Step("feedback", note, True),
        fields=["feedback_method", "feedback_note", "fed_back_at"],
    )
    _tell_citizen(suggestion, "suggestion_fed_back")
    return suggestion


@transaction.atomic
def suggestion_rate(*, suggestion: Suggestion, rating: str, comment: str = "") -> Suggestion:
    """The citizen's satisfaction rating (满意度), from the tracking page."""
    suggestion = _lock(suggestion)
    _require(suggestion, Status.FED_BACK)
    if suggestion.rating:
        raise TransitionError(_("This suggestion has already been rated."))
    if rating not in Suggestion.Rating.values:
        raise TransitionError(_("Choose one of the three answers."))
    old = suggestion.status
    suggestion.rating, suggestion.rating_comment = rating, comment[:500]
    suggestion.rated_at = timezone.now()
    if rating != Suggestion.Rating.UNSATISFIED:
        suggestion.status = Status.CLOSED
    text = _("The citizen rated the result: %(rating)s.") % {
        "rating": suggestion.get_rating_display()
    }
    _save(
        suggestion,
        actor=None,
        old_status=old,
        step=Step("rate", text, True),
        fields=["rating", "rating_comment", "rated_at"],
    )
    if rating == Suggestion.Rating.UNSATISFIED:
        _tell_users(
            _station_staff(suggestion),
            key=f"unsatisfied:{suggestion.pk}:{suggestion.reopen_count}",
            template="suggestion_unsatisfied",
            suggestion=suggestion,
            comment=comment,
        )
    return suggestion


@transaction.atomic
def suggestion_reopen(*, suggestion: Suggestion, actor: User, note: str) -> Suggestion:
    """Not satisfied: the station may send it round once more."""
    suggestion = _lock(suggestion)
    ensure_can_act(actor, suggestion, Action.REOPEN)
    _require(suggestion, Status.FED_BACK)
    if suggestion.rating != Suggestion.Rating.UNSATISFIED:
        raise TransitionError(_("Only a result the citizen was not satisfied with is reopened."))
    if suggestion.reopen_count >= 1:
        raise TransitionError(_("This suggestion has already been reopened once."))
    old, suggestion.status = suggestion.status, Status.ACCEPTED
    suggestion.reopen_count += 1
    suggestion.rating = suggestion.route = suggestion.outcome = suggestion.feedback_method = ""
    clear_deadline(suggestion)
    suggestion.tasks.exclude(state=DepartmentTask.State.HANDED_BACK).update(
        state=DepartmentTask.State.HANDED_BACK
    )
    _save(
        suggestion,
        actor=actor,
        old_status=old,
        step=Step("reopen", note or _("Reopened for another round of handling."), True),
        fields=[
            "reopen_count",
            "rating",
            "route",
            "outcome",
            "feedback_method",
            "deadline",
            "deadline_provisional",
        ],
    )
    return suggestion


@transaction.atomic
def suggestion_close(*, suggestion: Suggestion, actor: User, note: str = "") -> Suggestion:
    suggestion = _lock(suggestion)
    ensure_can_act(actor, suggestion, Action.CLOSE)
    _require(suggestion, Status.FED_BACK)
    old, suggestion.status = suggestion.status, Status.CLOSED
    _save(
        suggestion,
        actor=actor,
        old_status=old,
        step=Step("close", note or _("Closed."), True),
        fields=[],
    )
    return suggestion


def phone_reveal(*, suggestion: Suggestion, actor: User) -> str:
    """The full phone number for a handler; every look is written to the access log."""
    ensure_can_view_phone(actor, suggestion)
    PhoneAccess.objects.create(suggestion=suggestion, user=actor)
    audit_record(action=AuditAction.PHONE_VIEW, user=actor, obj=suggestion)
    return suggestion.phone
