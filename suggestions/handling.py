"""The handling lifecycle: one function per step. Each locks the suggestion's row, checks the
actor's permission and the current state, records a history entry and queues notifications, in
one transaction. Two handlers acting at once: the second waits for the lock, then finds the
state changed and gets a clear message.

    received ─accept→ accepted ─route→ on site / explained ───────────────→ completed
       │                 │  └──route→ township / county → assigned ─sign→ in handling ─complete→ ┘
       └reject/merge     └←──────────── hand back ─────────┘                                     │
    completed ─feedback→ fed back ─rate (citizen)→ closed, or "not satisfied" → reopen once / close
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.phones import is_mobile
from notifications.services import Channel, notify
from workdays.services import add_working_days, is_provisional

from .models import (
    Department,
    DepartmentTask,
    ExtensionRequest,
    HandlingTimeLimit,
    PhoneAccess,
    Suggestion,
    SuggestionEvent,
)
from .permissions import Action, ensure_can_act, scope_of
from .services import record_event, track_url

Status = Suggestion.Status
Route = Suggestion.Route


class TransitionError(Exception):
    """The suggestion is not in a state that allows this step (someone else was faster)."""

    def __init__(self, message=None):
        super().__init__(
            message or _("This suggestion has changed meanwhile; reload and look again.")
        )


@dataclass(frozen=True)
class Step:
    action: str
    note: str = ""
    public: bool = False


# --- helpers -------------------------------------------------------------------------------


def _lock(suggestion: Suggestion) -> Suggestion:
    return (
        Suggestion.objects.select_related("station__region")
        .select_for_update(of=("self",))
        .get(pk=suggestion.pk)
    )


def _require(suggestion: Suggestion, *statuses: str) -> None:
    if suggestion.status not in statuses:
        raise TransitionError(
            _("This suggestion is now “%(status)s”, so this step is no longer possible.")
            % {"status": suggestion.get_status_display()}
        )


def _record(suggestion: Suggestion, *, actor, old_status: str, step: Step) -> SuggestionEvent:
    return record_event(
        suggestion,
        action=step.action,
        old_status=old_status,
        actor=actor,
        note=step.note,
        public=step.public,
    )


def _save(suggestion: Suggestion, *, actor, old_status: str, step: Step, fields: Iterable[str]):
    suggestion.save(update_fields=[*fields, "status", "updated"])
    _record(suggestion, actor=actor, old_status=old_status, step=step)


def _tell_citizen(suggestion: Suggestion, template: str, **context) -> None:
    """An SMS to the citizen and to everyone whose duplicate was merged into this suggestion."""
    people = [suggestion, *suggestion.duplicates.all()]
    for person in people:
        if not is_mobile(person.phone):
            continue
        notify(
            key=f"suggestion:{suggestion.pk}:{template}:{suggestion.reopen_count}:{person.pk}",
            channel=Channel.SMS,
            recipient=person.phone,
            template=template,
            context={
                "station_name": suggestion.station.name,
                "tracking_code": person.display_tracking_code,
                "track_url": track_url(person),
                **context,
            },
        )


def _tell_users(users, *, key: str, template: str, suggestion: Suggestion, **context) -> None:
    for user in users:
        if user.email:
            notify(
                key=f"{key}:{user.pk}",
                channel=Channel.EMAIL,
                recipient=user.email,
                template=template,
                context={
                    "suggestion": suggestion,
                    "title": suggestion.title,
                    "tracking_code": suggestion.display_tracking_code,
                    "station_name": suggestion.station.name,
                    "workbench_url": f"{settings.SITE_URL}/workbench/suggestions/{suggestion.pk}/",
                    **context,
                },
            )


def _station_staff(suggestion: Suggestion):
    station = suggestion.station
    ids = [station.pk] + ([station.parent_id] if station.parent_id else [])
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(managed_stations__in=ids, is_active=True).distinct()


def _handlers(department: Department):
    return department.handlers.filter(is_active=True)


def time_limit(suggestion: Suggestion, route: str) -> int:
    """Working days for `route` at this suggestion's station: the nearest region's rule wins."""
    region = suggestion.station.region
    limits = {
        limit.region_id: limit.working_days
        for limit in HandlingTimeLimit.objects.filter(
            region_id__in=region.ancestor_ids(), route=route
        )
    }
    for region_id in reversed(region.ancestor_ids()):
        if region_id in limits:
            return limits[region_id]
    return settings.HANDLING_WORKING_DAYS[route]


def _set_deadline(suggestion: Suggestion, route: str) -> None:
    suggestion.deadline = add_working_days(timezone.localdate(), time_limit(suggestion, route))
    suggestion.deadline_provisional = is_provisional(suggestion.deadline)


# --- the station's steps --------------------------------------------------------------------


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, actor, note: str = "") -> Suggestion:
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


def suggestions_bulk_accept(*, suggestions: Iterable[Suggestion], actor) -> int:
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
def suggestion_reject(*, suggestion: Suggestion, actor, reason: str) -> Suggestion:
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
def suggestion_merge(*, suggestion: Suggestion, actor, original: Suggestion) -> Suggestion:
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
    actor,
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
        _set_deadline(suggestion, route)
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


# --- the departments' steps -----------------------------------------------------------------


def _department_task(suggestion: Suggestion, actor, action: Action) -> DepartmentTask:
    ensure_can_act(actor, suggestion, action)
    task = scope_of(actor).active_task(suggestion)
    if task is None:
        raise TransitionError(_("Your department has no open task on this suggestion."))
    return DepartmentTask.objects.select_for_update().get(pk=task.pk)


@transaction.atomic
def task_sign(*, suggestion: Suggestion, actor) -> DepartmentTask:
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
def task_hand_back(*, suggestion: Suggestion, actor, reason: str) -> DepartmentTask:
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
        suggestion.status, suggestion.route, suggestion.deadline = Status.ACCEPTED, "", None
        suggestion.deadline_provisional = False
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
def task_complete(*, suggestion: Suggestion, actor, result: str, outcome: str) -> DepartmentTask:
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
    *, suggestion: Suggestion, actor, working_days: int, reason: str
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
    *, extension: ExtensionRequest, actor, approve: bool, note: str = ""
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
        suggestion.deadline = add_working_days(suggestion.deadline, extension.working_days)
        suggestion.deadline_provisional = is_provisional(suggestion.deadline)
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


# --- supervision ----------------------------------------------------------------------------


@transaction.atomic
def suggestion_urge(*, suggestion: Suggestion, actor, note: str = "") -> Suggestion:
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
def suggestion_mark_key(*, suggestion: Suggestion, actor, supervisor, is_key: bool = True):
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
def suggestion_add_note(*, suggestion: Suggestion, actor, note: str, public: bool = False):
    suggestion = _lock(suggestion)
    ensure_can_act(actor, suggestion, Action.NOTE)
    if not note.strip():
        raise TransitionError(_("Write the note first."))
    return _record(
        suggestion, actor=actor, old_status=suggestion.status, step=Step("note", note, public)
    )


# --- back to the citizen --------------------------------------------------------------------


@transaction.atomic
def suggestion_feedback(*, suggestion: Suggestion, actor, method: str, note: str) -> Suggestion:
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
def suggestion_reopen(*, suggestion: Suggestion, actor, note: str) -> Suggestion:
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
    suggestion.deadline, suggestion.deadline_provisional = None, False
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
def suggestion_close(*, suggestion: Suggestion, actor, note: str = "") -> Suggestion:
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


def phone_reveal(*, suggestion: Suggestion, actor) -> str:
    """The full phone number for a handler; every look is written to the access log."""
    ensure_can_act(actor, suggestion, Action.VIEW_PHONE)
    PhoneAccess.objects.create(suggestion=suggestion, user=actor)
    return suggestion.phone
