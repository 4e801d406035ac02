"""The staff workbench: an inbox per role, a file per suggestion, one form per allowed action."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.http import AuthenticatedHttpRequest
from liaison.storage import serve_private
from notifications.masking import mask_phone

from .. import forms, handling
from ..models import ExtensionRequest, Suggestion
from ..permissions import Action, Scope, scope_of
from ..selectors import inbox, reply_templates_for, suggestion_file


@dataclass(frozen=True)
class ActionSpec:
    action: Action
    label: str | Promise
    form: type[forms.ActionForm]
    perform: Callable
    # The statuses in which the action is offered; the service checks again under the lock.
    statuses: tuple[str, ...]


S = Suggestion.Status

ACTIONS: dict[str, ActionSpec] = {
    "accept": ActionSpec(
        Action.ACCEPT, gettext_lazy("Accept"), forms.AcceptForm,
        lambda s, u, d: handling.suggestion_accept(suggestion=s, actor=u, note=d["note"]),
        (S.RECEIVED,),
    ),
    "reject": ActionSpec(
        Action.REJECT, gettext_lazy("Do not accept"), forms.RejectForm,
        lambda s, u, d: handling.suggestion_reject(suggestion=s, actor=u, reason=d["reason"]),
        (S.RECEIVED,),
    ),
    "merge": ActionSpec(
        Action.MERGE, gettext_lazy("Merge as a duplicate"), forms.MergeForm,
        lambda s, u, d: handling.suggestion_merge(suggestion=s, actor=u, original=d["original"]),
        (S.RECEIVED, S.ACCEPTED),
    ),
    "route": ActionSpec(
        Action.ROUTE, gettext_lazy("Choose the route"), forms.RouteForm,
        lambda s, u, d: handling.suggestion_route(
            suggestion=s, actor=u, route=d["route"], answer=d["answer"], lead=d["lead"],
            co_departments=d["co_departments"], decided_by=d["decided_by"],
            refer_to=d["refer_to"],
        ),
        (S.ACCEPTED,),
    ),
    "sign": ActionSpec(
        Action.SIGN, gettext_lazy("Sign for it"), forms.ActionForm,
        lambda s, u, d: handling.task_sign(suggestion=s, actor=u),
        (S.ASSIGNED, S.IN_HANDLING),
    ),
    "hand_back": ActionSpec(
        Action.HAND_BACK, gettext_lazy("Hand back"), forms.HandBackForm,
        lambda s, u, d: handling.task_hand_back(suggestion=s, actor=u, reason=d["reason"]),
        (S.ASSIGNED, S.IN_HANDLING),
    ),
    "complete": ActionSpec(
        Action.COMPLETE, gettext_lazy("Complete"), forms.CompleteForm,
        lambda s, u, d: handling.task_complete(
            suggestion=s, actor=u, result=d["result"], outcome=d["outcome"]
        ),
        (S.ASSIGNED, S.IN_HANDLING),
    ),
    "extension": ActionSpec(
        Action.REQUEST_EXTENSION, gettext_lazy("Ask for more time"), forms.ExtensionRequestForm,
        lambda s, u, d: handling.extension_request(
            suggestion=s, actor=u, working_days=d["working_days"], reason=d["reason"]
        ),
        (S.ASSIGNED, S.IN_HANDLING),
    ),
    "decide_extension": ActionSpec(
        Action.DECIDE_EXTENSION, gettext_lazy("Decide on the extension"),
        forms.ExtensionDecideForm,
        lambda s, u, d: handling.extension_decide(
            extension=s.extensions.get(state=ExtensionRequest.State.PENDING), actor=u,
            approve=d["approve"], note=d["note"],
        ),
        (S.ASSIGNED, S.IN_HANDLING),
    ),
    "urge": ActionSpec(
        Action.URGE, gettext_lazy("Urge"), forms.UrgeForm,
        lambda s, u, d: handling.suggestion_urge(suggestion=s, actor=u, note=d["note"]),
        (S.ASSIGNED, S.IN_HANDLING),
    ),
    "feedback": ActionSpec(
        Action.FEEDBACK, gettext_lazy("Record the feedback"), forms.FeedbackForm,
        lambda s, u, d: handling.suggestion_feedback(
            suggestion=s, actor=u, method=d["method"], note=d["note"]
        ),
        (S.COMPLETED,),
    ),
    "reopen": ActionSpec(
        Action.REOPEN, gettext_lazy("Reopen once"), forms.ReopenForm,
        lambda s, u, d: handling.suggestion_reopen(suggestion=s, actor=u, note=d["note"]),
        (S.FED_BACK,),
    ),
    "close": ActionSpec(
        Action.CLOSE, gettext_lazy("Close"), forms.CloseForm,
        lambda s, u, d: handling.suggestion_close(suggestion=s, actor=u, note=d["note"]),
        (S.FED_BACK,),
    ),
    "key": ActionSpec(
        Action.MARK_KEY, gettext_lazy("Key supervision"), forms.KeyForm,
        lambda s, u, d: handling.suggestion_mark_key(
            suggestion=s, actor=u, supervisor=u, is_key=d["is_key"]
        ),
        tuple(S.values),
    ),
    "note": ActionSpec(
        Action.NOTE, gettext_lazy("Add a note"), forms.NoteForm,
        lambda s, u, d: handling.suggestion_add_note(
            suggestion=s, actor=u, note=d["note"], public=d["public"]
        ),
        tuple(S.values),
    ),
}  # fmt: skip


def _offered(scope: Scope, suggestion: Suggestion) -> dict[str, ActionSpec]:
    allowed = scope.actions(suggestion)
    offered = {
        name: spec
        for name, spec in ACTIONS.items()
        if spec.action in allowed and suggestion.status in spec.statuses
    }
    if not suggestion.extensions.filter(state=ExtensionRequest.State.PENDING).exists():
        offered.pop("decide_extension", None)
    return offered


@login_required
def inbox_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_of(request.user)
    box = inbox(scope, request.GET.get("tab", "to_accept"), timezone.localdate())
    page = Paginator(box.suggestions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/inbox.html",
        {
            "box": box,
            "page": page,
            "can_bulk_accept": box.tab == "to_accept"
            and bool(scope.station_ids or scope.is_superuser),
        },
    )


@login_required
def suggestion_view(
    request: AuthenticatedHttpRequest, pk: int, *, bound=None, status=200
) -> HttpResponse:
    scope = scope_of(request.user)
    file = suggestion_file(scope, pk)
    suggestion = file.suggestion
    offered = _offered(scope, suggestion)
    bound_name, bound_form = bound or (None, None)
    action_forms = [
        (name, spec.label, bound_form if name == bound_name else spec.form(suggestion=suggestion))
        for name, spec in offered.items()
    ]
    return render(
        request,
        "workbench/suggestion.html",
        {
            "file": file,
            "suggestion": suggestion,
            "action_forms": action_forms,
            "masked_phone": mask_phone(suggestion.phone),
            "may_view_phone": scope.may_see_phone(suggestion),
            # Staff who feed results back also decide what the public notice shows.
            "may_withhold": suggestion.status in Suggestion.FINISHED_STATUSES
            and Action.FEEDBACK in scope.actions(suggestion),
            "revealed_phone": request.session.pop(f"phone:{pk}", None),
            "reply_templates": _rendered_templates(suggestion, file),
            "today": timezone.localdate(),
        },
        status=status,
    )


def _rendered_templates(suggestion: Suggestion, file) -> list[tuple[str, str]]:
    """Reply templates for this step, with the suggestion's own words put in."""
    department = next((t.department.name for t in file.tasks if t.role == "lead"), "")
    values = {
        "station": suggestion.station.name,
        "department": department,
        "deadline": suggestion.deadline.isoformat() if suggestion.deadline else "",
        "tracking_code": suggestion.display_tracking_code,
    }
    rendered = []
    for template in reply_templates_for(suggestion):
        try:
            rendered.append((template.name, template.text.format_map(values)))
        except (KeyError, ValueError, IndexError):
            rendered.append((template.name, template.text))
    return rendered


@login_required
@require_POST
def act(request: AuthenticatedHttpRequest, pk: int, name: str) -> HttpResponse:
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404
    scope = scope_of(request.user)
    suggestion = get_object_or_404(scope.visible().select_related("station__region"), pk=pk)
    if spec.action not in scope.actions(suggestion):
        raise PermissionDenied
    form = spec.form(request.POST, suggestion=suggestion)
    if not form.is_valid():
        return suggestion_view(request, pk, bound=(name, form), status=400)
    try:
        spec.perform(suggestion, request.user, form.cleaned_data)
    except handling.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
    return redirect("workbench:suggestion", pk=pk)


@login_required
def photo(request: AuthenticatedHttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """A citizen's photo, for those who may see its suggestion (the file itself is private)."""
    suggestion = get_object_or_404(scope_of(request.user).visible(), pk=pk)
    return serve_private(get_object_or_404(suggestion.photos, pk=photo_pk).image)


@login_required
@require_POST
def reveal_phone(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Show the full number once; the look is written to the access log."""
    scope = scope_of(request.user)
    suggestion = get_object_or_404(scope.visible().select_related("station__region"), pk=pk)
    request.session[f"phone:{pk}"] = handling.phone_reveal(
        suggestion=suggestion, actor=request.user
    )
    return redirect("workbench:suggestion", pk=pk)


@login_required
@require_POST
def bulk_accept(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.BulkAcceptForm(request.POST)
    back = f"{reverse('workbench:inbox')}?tab=to_accept"
    if not form.is_valid():
        for error in form.errors.get("ids", []):
            messages.error(request, str(error))
        return redirect(back)
    scope = scope_of(request.user)
    chosen = (
        scope.visible()
        .filter(pk__in=form.cleaned_data["ids"], status=S.RECEIVED)
        .select_related("station__region")
    )
    mine = [s for s in chosen if Action.ACCEPT in scope.actions(s)]
    done = handling.suggestions_bulk_accept(suggestions=mine, actor=request.user)
    messages.success(request, _("%(count)d suggestions accepted.") % {"count": done})
    return redirect(back)
