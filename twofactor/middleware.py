from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .policy import Step, is_verified, next_step

# Pages a user who has given only the password may still reach: the second step itself, logging
# out, and the language and text-size switches on every page.
OPEN_URL_NAMES = {"logout", "set_language", "large_text", "healthz"}


class SecondFactorMiddleware:
    """Sends a user who has given only the password to the second step (or to enrolment) before
    any other page, the admin site included. Goes after django_otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or is_verified(request):
            return None
        match = request.resolver_match
        if match is None or "twofactor" in match.namespaces or match.url_name in OPEN_URL_NAMES:
            return None
        step = next_step(user, on_admin_site="admin" in match.namespaces)
        if step is None:
            return None
        target = reverse("twofactor:verify" if step is Step.VERIFY else "twofactor:enrol")
        return redirect_to_login(request.get_full_path(), target)
