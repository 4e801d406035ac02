"""The public notice (公示) of a station, and the staff's switch to keep an item off it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.http import AuthenticatedHttpRequest, local_path
from suggestions.permissions import visible_suggestions

from ..notice import NoticeError, notice_page, release, withhold


def notice(request: HttpRequest, code: str) -> HttpResponse:
    """Open to everyone: no login, no personal data."""
    return render(
        request, "ledger/notice.html", {"notice": notice_page(code, request.GET.get("page"))}
    )


class WithholdForm(forms.Form):
    action = forms.ChoiceField(choices=[("withhold", "withhold"), ("release", "release")])
    reason = forms.CharField(required=False, max_length=200)
    next = forms.CharField(required=False, max_length=500)


@login_required
@require_POST
def withhold_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """POST action=withhold&reason=… or action=release; back to `next` or the workbench."""
    suggestion = get_object_or_404(visible_suggestions(request.user), pk=pk)
    form = WithholdForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to withhold or show it, and give a reason."))
    else:
        try:
            if form.cleaned_data["action"] == "withhold":
                withhold(
                    suggestion=suggestion, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("It is kept off the public notice."))
            else:
                release(suggestion=suggestion, actor=request.user)
                messages.success(request, _("It is shown on the public notice again."))
        except NoticeError as exc:
            messages.error(request, str(exc))
    target = form.data.get("next", "")
    if not isinstance(target, str) or not local_path(request, target):
        target = reverse("workbench:suggestion", args=[suggestion.pk])
    return HttpResponseRedirect(target)
