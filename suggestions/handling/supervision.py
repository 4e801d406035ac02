"""Supervision: urging, key suggestions, notes."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    DepartmentTask,
    Suggestion,
    SuggestionEvent,
)
from ..permissions import Action, ensure_can_act
from .core import Status, Step, TransitionError, _handlers, _lock, _record, _require, _tell_users


@transaction.atomic
def suggestion_urge(*, suggestion: Suggestion, actor: User, note: str = "") -> Suggestion:
    """催办: reminds the departments now handling it; every urge is counted."""
    suggestion = _lock(suggestion)
    ensure_can_act(actor, suggestion, Action.URGE)
    _require(suggestion, Status.ASSIGNED, Status.IN_HANDLING)
    suggestion.urge_count += 1
    suggestion.save(update_fields=["urge_count", "updated"])
    _record(
        suggestion,
        actor=actor,
        old_status=suggestion.status,
        step=Step("urge", note or _("Urged.")),
    )
    for task in suggestion.tasks.exclude(state=DepartmentTask.State.HANDED_BACK).select_related(
        "department"
    ):
        _tell_users(
            _handlers(task.department),
            key=f"urge:{suggestion.pk}:{suggestion.urge_count}",
            template="task_urged",
            suggestion=suggestion,
            note=note,
            department=task.department.name,
        )
    return suggestion


@transaction.atomic
def suggestion_mark_key(
    *, suggestion: Suggestion, actor: User, supervisor: User, is_key: bool = True
) -> Suggestion:
    """重点督办: a key suggestion with a lead supervisor."""
    suggestion = _lock(suggestion)
    ensure_can_act(actor, suggestion, Action.MARK_KEY)
    suggestion.is_key, suggestion.key_supervisor = is_key, supervisor if is_key else None
    suggestion.save(update_fields=["is_key", "key_supervisor", "updated"])
    text = (
        _("Marked as a key suggestion under supervision, led by %(name)s.")
        % {"name": supervisor.get_full_name() or supervisor.get_username()}
        if is_key
        else _("No longer a key suggestion.")
    )
    _record(suggestion, actor=actor, old_status=suggestion.status, step=Step("key", text))
    return suggestion


@transaction.atomic
def suggestion_add_note(
    *, suggestion: Suggestion, actor: User, note: str, public: bool = False
) -> SuggestionEvent:
    suggestion = _lock(suggestion)
    ensure_can_act(actor, suggestion, Action.NOTE)
    if not note.strip():
        raise TransitionError(_("Write the note first."))
    return _record(
        suggestion, actor=actor, old_status=suggestion.status, step=Step("note", note, public)
    )
