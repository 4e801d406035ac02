"""The second step of the login, enrolment and the account's two-step verification page."""

import io
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.pil import PilImage

from liaison.http import AuthenticatedHttpRequest, local_path

from .forms import EnrolForm, VerifyForm
from .policy import Step, is_required, is_verified, next_step
from .selectors import account_factors
from .services import (
    CodeRefused,
    authenticator_confirm,
    authenticator_pending,
    authenticator_secret,
    recovery_codes_issue,
    second_factor_remove,
    second_factor_verify,
)

# Recovery codes wait here between the confirming POST and the page that shows them once.
RECOVERY_CODES_SESSION_KEY = "twofactor_recovery_codes"


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if local_path(request, candidate):  # never a word that redirect() would try to reverse
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@login_required
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Second step: the code from the authenticator app, or a recovery code."""
    next_url = _next_url(request)
    if is_verified(request):
        return redirect(next_url)
    step = next_step(request.user)
    if step is Step.ENROL:
        return redirect(_with_next("twofactor:enrol", next_url))
    if step is None:
        return redirect(next_url)
    form = VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            second_factor_verify(request=request, user=request.user, code=form.cleaned_data["code"])
        except CodeRefused as exc:
            form.add_error("code", str(exc))
            status = 400
        else:
            return redirect(next_url)
    elif request.method == "POST":
        status = 400
    return render(request, "twofactor/verify.html", {"form": form, "next": next_url}, status=status)


@never_cache
@login_required
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set up an authenticator: scan the QR code (or type the secret), confirm with a code."""
    next_url = _next_url(request)
    # Someone who already has a second factor replaces it only after giving it; the password
    # alone must never be enough to add an authenticator to such an account.
    if not is_verified(request) and next_step(request.user) is Step.VERIFY:
        return redirect(_with_next("twofactor:verify", next_url))
    device = authenticator_pending(user=request.user)
    form = EnrolForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = authenticator_confirm(
                request=request, user=request.user, code=form.cleaned_data["code"]
            )
        except CodeRefused as exc:
            form.add_error("code", str(exc))
            status = 400
        else:
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(_with_next("twofactor:recovery_codes", next_url))
    elif request.method == "POST":
        status = 400
    context = {
        "form": form,
        "next": next_url,
        "secret": authenticator_secret(device),
        "required": is_required(request.user),
    }
    return render(request, "twofactor/enrol.html", context, status=status)


@never_cache
@login_required
def enrol_qr(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The QR code of the authenticator being set up, as a PNG from this site (so a strict
    Content-Security-Policy with img-src 'self' shows it). Never cached: it holds the secret."""
    if not is_verified(request) and next_step(request.user) is Step.VERIFY:
        return HttpResponse(status=403)
    device = authenticator_pending(user=request.user)
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(device.config_url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(image_factory=PilImage).save(buffer, format="PNG")
    return HttpResponse(buffer.getvalue(), content_type="image/png")


@never_cache
@login_required
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The recovery codes just issued, shown this once."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes or not is_verified(request):
        return redirect("twofactor:manage")
    return render(
        request, "twofactor/recovery_codes.html", {"codes": codes, "next": _next_url(request)}
    )


@never_cache
@login_required
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account's two-step verification: on or off, set up, new recovery codes."""
    step = next_step(request.user)
    if step is not None and not is_verified(request):
        target = "twofactor:verify" if step is Step.VERIFY else "twofactor:enrol"
        return redirect(_with_next(target, reverse("twofactor:manage")))
    context = {
        "factors": account_factors(user=request.user),
        "required": is_required(request.user),
    }
    return render(request, "twofactor/manage.html", context)


@require_POST
@login_required
def new_recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_verified(request):
        return redirect(_with_next("twofactor:verify", reverse("twofactor:manage")))
    request.session[RECOVERY_CODES_SESSION_KEY] = recovery_codes_issue(user=request.user)
    return redirect(_with_next("twofactor:recovery_codes", reverse("twofactor:manage")))


@require_POST
@login_required
def turn_off(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_verified(request):
        return redirect(_with_next("twofactor:verify", reverse("twofactor:manage")))
    try:
        second_factor_remove(user=request.user)
    except CodeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Two-step verification is off for your account."))
    return redirect("twofactor:manage")
