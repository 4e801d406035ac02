"""The station's steps: accept, reject, merge, and route (the four routes)."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..deadlines import set_deadline
from ..models import (
    Department,
    DepartmentTask,
    Suggestion,
)
from ..permissions import Action, ensure_can_act
from .core import (
    Route,
    Status,
    Step,
    TransitionError,
    _handlers,
    _lock,
    _record,
    _require,
    _save,
    _tell_citizen,
    _tell_users,
)


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, actor: User, note: str = "") -> Suggestion:
    suggestion = _lock(suggestion)
    ensure_can_act(actor, suggestion, Action.ACCEPT)
    _require(suggestion, Status.RECEIVED)
    old, suggestion.status, suggestion.accepted_at = (
        suggestion.status,
        Status.ACCEPTED,
        timezone.now(),
    )
    public_note = note or _("Accepted by %(station)s.") % {"station": suggestion.station.name}
    _save(
        suggestion,
        actor=actor,
        old_status=old,
        step=Step("accept", public_note, True),
        fields=["accepted_at"],
    )
    return suggestion


def suggestions_bulk_accept(*, suggestions: Iterable[Suggestion], actor: User) -> int:
    """Accept a batch; each in its own transaction, skipping any that moved on meanwhile."""
    done = 0
    for suggestion in suggestions:
        try:
            suggestion_accept(suggestion=suggestion, actor=actor)
            done += 1
        except TransitionError:
            continue
    return done


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, actor: User, reason: str) -> Suggestion:
    """Spam or abuse: not accepted, with a reason on the record."""
    suggestion = _lock(suggestion)
    ensure_can_act(actor, suggestion, Action.REJECT)
    _require(suggestion, Status.RECEIVED)
    old, suggestion.status, suggestion.rejection_reason = suggestion.status, Status.REJECTED, reason
    _save(
        suggestion,
        actor=actor,
        old_status=old,
        step=Step("reject", reason, True),
        fields=["rejection_reason"],
    )
    return suggestion


@transaction.atomic
def suggestion_merge(*, suggestion: Suggestion, actor: User, original: Suggestion) -> Suggestion:
    """A duplicate joins the original; its submitter hears whatever the original's do."""
    suggestion = _lock(suggestion)
    ensure_can_act(actor, suggestion, Action.MERGE)
    _require(suggestion, Status.RECEIVED, Status.ACCEPTED)
    original = _lock(original)
    if original.pk == suggestion.pk or original.status in (Status.REJECTED, Status.MERGED):
        raise TransitionError(_("Choose an open suggestion to merge into."))
    ensure_can_act(actor, original, Action.MERGE)
    old, suggestion.status, suggestion.merged_into = suggestion.status, Status.MERGED, original
    note = _("Merged into %(code)s, which deals with the same matter.") % {
        "code": original.display_tracking_code
    }
    _save(
        suggestion,
        actor=actor,
        old_status=old,
        step=Step("merge", note, True),
        fields=["merged_into"],
    )
    _record(
        original,
        actor=actor,
        old_status=original.status,
        step=Step(
            "merged_in",
            _("%(code)s was merged into this one.") % {"code": suggestion.display_tracking_code},
        ),
    )
    return suggestion


@transaction.atomic
def suggestion_route(
    *,
    suggestion: Suggestion,
    actor: User,
    route: str,
    answer: str = "",
    lead: Department | None = None,
    co_departments: Iterable[Department] = (),
    decided_by: str = "",
    refer_to: str = "",
    outcome: str = "",
) -> Suggestion:
    """Choose one of the four routes real stations use."""
    suggestion = _lock(suggestion)
    ensure_can_act(actor, suggestion, Action.ROUTE)
    _require(suggestion, Status.ACCEPTED)
    old = suggestion.status
    suggestion.route = route
    now = timezone.now()
    if route == Route.ON_SITE:
        if not answer.strip():
            raise TransitionError(_("Write down the answer given on the spot."))
        suggestion.status, suggestion.result = Status.COMPLETED, answer
        suggestion.outcome, suggestion.completed_at = outcome or Suggestion.Outcome.A, now
        step = Step("route", answer, True)
        fields = ["route", "result", "outcome", "completed_at"]
    elif route == Route.EXPLAINED:
        if not answer.strip() or not decided_by.strip():
            raise TransitionError(_("An explained decline needs the explanation and who decided."))
        suggestion.status, suggestion.result = Status.COMPLETED, answer
        suggestion.outcome, suggestion.completed_at = Suggestion.Outcome.D, now
        suggestion.decided_by, suggestion.refer_to = decided_by, refer_to
        step = Step("route", answer, True)
        fields = ["route", "result", "outcome", "completed_at", "decided_by", "refer_to"]
    elif route in (Route.TOWNSHIP, Route.COUNTY):
        level = Department.Level.TOWNSHIP if route == Route.TOWNSHIP else Department.Level.COUNTY
        co_departments = [d for d in co_departments if lead is None or d.pk != lead.pk]
        if lead is None or lead.level != level or any(d.level != level for d in co_departments):
            raise TransitionError(
                _("Choose a lead department of the right level: %(level)s.")
                % {"level": Department.Level(level).label}
            )
        DepartmentTask.objects.create(suggestion=suggestion, department=lead, role="lead")
        for department in co_departments:
            DepartmentTask.objects.create(suggestion=suggestion, department=department, role="co")
        suggestion.status = Status.ASSIGNED
        set_deadline(suggestion, route, today=timezone.localdate())
        names = "、".join(d.name for d in [lead, *co_departments])
        step = Step(
            "route",
            _("Referred to %(departments)s; due by %(deadline)s.")
            % {"departments": names, "deadline": suggestion.deadline.isoformat()},
            True,
        )
        fields = ["route", "deadline", "deadline_provisional"]
        for department in [lead, *co_departments]:
            _tell_users(
                _handlers(department),
                key=f"task:{suggestion.pk}:{department.pk}:assigned:{suggestion.reopen_count}",
                template="task_assigned",
                suggestion=suggestion,
                department=department.name,
                deadline=suggestion.deadline,
            )
    else:
        raise TransitionError(_("Unknown route."))
    _save(suggestion, actor=actor, old_status=old, step=step, fields=fields)
    _tell_citizen(suggestion, "suggestion_routed", route=suggestion.get_route_display())
    return suggestion
