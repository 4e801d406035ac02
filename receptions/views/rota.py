"""Staff pages for the duty rota: the coming days, proposing a rota, deciding swap requests;
and the representative's own swap request.

Small on purpose; the admin edits everything else. Every write goes through receptions.rota
and receptions.swaps.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from liaison.http import AuthenticatedHttpRequest

from .. import rota, swaps
from ..forms import DecideForm, SwapRequestForm
from ..permissions import access_day_to_manage, access_own_duty, access_swap_to_decide


def _say(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    overview = rota.rota_overview(user=request.user)
    return render(
        request,
        "receptions/rota/index.html",
        {"overview": overview, "swap_form": SwapRequestForm()},
    )


@login_required
@require_POST
def propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    day = access_day_to_manage(request.user, pk)
    added = rota.propose_rota(day=day)
    if added:
        messages.success(
            request,
            ngettext("%(count)d duty added.", "%(count)d duties added.", len(added))
            % {"count": len(added)},
        )
    else:
        messages.warning(request, _("Nobody else is free to be added to this day's rota."))
    return redirect("rota:index")


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    swap = access_swap_to_decide(request.user, pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to approve or refuse."))
        return redirect("rota:index")
    try:
        swap = swaps.swap_decide(
            swap=swap, actor=request.user, approve=form.cleaned_data["decision"] == "approve"
        )
    except ValidationError as error:
        _say(request, error)
    else:
        state = swap.get_state_display()
        messages.success(request, _("The swap request is %(state)s.") % {"state": state})
    return redirect("rota:index")


@login_required
@require_POST
def request_swap(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    duty = access_own_duty(request.user, pk)
    form = SwapRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the swap."))
        return redirect("rota:index")
    try:
        swaps.swap_request(duty=duty, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, _("Your swap request has been sent to the station staff."))
    return redirect("rota:index")
