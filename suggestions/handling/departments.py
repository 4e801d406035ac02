"""The departments' steps: sign for, hand back, complete, and ask for more time."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..deadlines import clear_deadline, extend_deadline
from ..models import (
    DepartmentTask,
    ExtensionRequest,
    Suggestion,
)
from ..permissions import Action, ensure_can_act, scope_of
from .core import (
    Status,
    Step,
    TransitionError,
    _lock,
    _record,
    _require,
    _save,
    _station_staff,
    _tell_users,
)


def _department_task(suggestion: Suggestion, actor: User, action: Action) -> DepartmentTask:
    ensure_can_act(actor, suggestion, action)
    task = scope_of(actor).active_task(suggestion)
    if task is None:
        raise TransitionError(_("Your department has no open task on this suggestion."))
    return DepartmentTask.objects.select_for_update().get(pk=task.pk)


@transaction.atomic
def task_sign(*, suggestion: Suggestion, actor: User) -> DepartmentTask:
    """The department signs for (签收) the suggestion: it is now theirs to handle."""
    suggestion = _lock(suggestion)
    task = _department_task(suggestion, actor, Action.SIGN)
    _require(suggestion, Status.ASSIGNED, Status.IN_HANDLING)
    if task.state != DepartmentTask.State.ASSIGNED:
        raise TransitionError(_("Your department has already signed for this suggestion."))
    task.state = DepartmentTask.State.SIGNED
    task.save(update_fields=["state", "updated"])
    old = suggestion.status
    if task.role == DepartmentTask.Role.LEAD:
        suggestion.status = Status.IN_HANDLING
    note = _("%(department)s signed for it.") % {"department": task.department.name}
    _save(suggestion, actor=actor, old_status=old, step=Step("sign", note, True), fields=[])
    return task


@transaction.atomic
def task_hand_back(*, suggestion: Suggestion, actor: User, reason: str) -> DepartmentTask:
    """Outside the department's remit (退回): back to the station to route again."""
    suggestion = _lock(suggestion)
    task = _department_task(suggestion, actor, Action.HAND_BACK)
    _require(suggestion, Status.ASSIGNED, Status.IN_HANDLING)
    if not reason.strip():
        raise TransitionError(_("Say why it is outside your department's remit."))
    task.state, task.note = DepartmentTask.State.HANDED_BACK, reason
    task.save(update_fields=["state", "note", "updated"])
    old = suggestion.status
    fields: list[str] = []
    if task.role == DepartmentTask.Role.LEAD:
        # Without its lead the referral is void: the co-handlers' tasks go back too.
        suggestion.tasks.exclude(pk=task.pk).exclude(state=DepartmentTask.State.HANDED_BACK).update(
            state=DepartmentTask.State.HANDED_BACK
        )
        suggestion.status, suggestion.route = Status.ACCEPTED, ""
        clear_deadline(suggestion)
        fields = ["route", "deadline", "deadline_provisional"]
    note = _("%(department)s handed it back: %(reason)s") % {
        "department": task.department.name,
        "reason": reason,
    }
    _save(suggestion, actor=actor, old_status=old, step=Step("hand_back", note), fields=fields)
    _tell_users(
        _station_staff(suggestion),
        key=f"task:{task.pk}:handed_back",
        template="task_handed_back",
        suggestion=suggestion,
        department=task.department.name,
        reason=reason,
    )
    return task


@transaction.atomic
def task_complete(
    *, suggestion: Suggestion, actor: User, result: str, outcome: str
) -> DepartmentTask:
    """The lead department completes (办结) it; a co-handler records its part as done."""
    suggestion = _lock(suggestion)
    task = _department_task(suggestion, actor, Action.COMPLETE)
    _require(suggestion, Status.IN_HANDLING, Status.ASSIGNED)
    if task.state == DepartmentTask.State.ASSIGNED:
        raise TransitionError(_("Sign for the suggestion before completing it."))
    if not result.strip() or outcome not in Suggestion.Outcome.values:
        raise TransitionError(_("Write the result and choose the outcome class."))
    task.state, task.note = DepartmentTask.State.DONE, result
    task.save(update_fields=["state", "note", "updated"])
    old = suggestion.status
    fields: list[str] = []
    if task.role == DepartmentTask.Role.LEAD:
        suggestion.status, suggestion.result, suggestion.outcome = Status.COMPLETED, result, outcome
        suggestion.completed_at = timezone.now()
        fields = ["result", "outcome", "completed_at"]
        step = Step("complete", result, True)
    else:
        step = Step(
            "co_done",
            _("%(department)s finished its part: %(result)s")
            % {"department": task.department.name, "result": result},
        )
    _save(suggestion, actor=actor, old_status=old, step=step, fields=fields)
    return task


@transaction.atomic
def extension_request(
    *, suggestion: Suggestion, actor: User, working_days: int, reason: str
) -> ExtensionRequest:
    suggestion = _lock(suggestion)
    task = _department_task(suggestion, actor, Action.REQUEST_EXTENSION)
    _require(suggestion, Status.ASSIGNED, Status.IN_HANDLING)
    if not 1 <= working_days <= 60 or not reason.strip():
        raise TransitionError(_("Ask for 1 to 60 working days and give the reason."))
    if suggestion.extensions.filter(state=ExtensionRequest.State.PENDING).exists():
        raise TransitionError(_("An extension request is already waiting for the station."))
    extension = ExtensionRequest.objects.create(
        suggestion=suggestion,
        department=task.department,
        requested_by=actor,
        working_days=working_days,
        reason=reason,
    )
    note = _("%(department)s asked for %(days)d more working days: %(reason)s") % {
        "department": task.department.name,
        "days": working_days,
        "reason": reason,
    }
    _record(suggestion, actor=actor, old_status=suggestion.status, step=Step("extension", note))
    return extension


@transaction.atomic
def extension_decide(
    *, extension: ExtensionRequest, actor: User, approve: bool, note: str = ""
) -> ExtensionRequest:
    """The station approves or refuses; the deadline moves only on approval."""
    suggestion = _lock(extension.suggestion)
    ensure_can_act(actor, suggestion, Action.DECIDE_EXTENSION)
    extension = ExtensionRequest.objects.select_for_update().get(pk=extension.pk)
    if extension.state != ExtensionRequest.State.PENDING:
        raise TransitionError(_("This extension request has already been decided."))
    extension.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REFUSED
    extension.decided_by, extension.decision_note = actor, note
    extension.save(update_fields=["state", "decided_by", "decision_note"])
    if approve and suggestion.deadline:
        extend_deadline(suggestion, extension.working_days)
        suggestion.save(update_fields=["deadline", "deadline_provisional", "updated"])
        text = _("Extension approved: now due by %(deadline)s.") % {
            "deadline": suggestion.deadline.isoformat()
        }
    else:
        text = _("Extension refused: %(note)s") % {"note": note or "—"}
    _record(
        suggestion,
        actor=actor,
        old_status=suggestion.status,
        step=Step("extension_decided", text, public=approve),
    )
    return extension
