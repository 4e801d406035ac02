"""Session limits enforced on the server: idle timeout, absolute lifetime, expired password."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .services import PASSWORD_EXPIRED, SEEN_AT, SIGNED_IN_AT

# The last-seen time is written at most this often, so that a page does not cost a session
# write; the idle timeout is exact to within this many seconds.
SEEN_RESOLUTION_SECONDS = 60


class SessionLimitsMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware. Signs the user out once the session
    has been idle SESSION_IDLE_MINUTES or open SESSION_MAX_HOURS; sends a user whose password
    expired to change it first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Requests without a session cookie (the public pages) are left alone, untouched.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            if self._expired(request):
                logout(request)
                messages.info(request, _("Your session has ended. Please log in again."))
            elif request.session.get(PASSWORD_EXPIRED) and not self._may_pass(request):
                return redirect("accounts:password_change")
        return self.get_response(request)

    def _expired(self, request: HttpRequest) -> bool:
        session = request.session
        now = time.time()
        signed_in = session.get(SIGNED_IN_AT)
        seen = session.get(SEEN_AT)
        if not isinstance(signed_in, int | float) or not isinstance(seen, int | float):
            # A session from before these limits: its clocks start now.
            session[SIGNED_IN_AT] = session[SEEN_AT] = now
            return False
        if now - signed_in > settings.SESSION_MAX_HOURS * 3600:
            return True
        if now - seen > settings.SESSION_IDLE_MINUTES * 60:
            return True
        if now - seen >= SEEN_RESOLUTION_SECONDS:
            session[SEEN_AT] = now
        return False

    def _may_pass(self, request: HttpRequest) -> bool:
        allowed = (
            reverse("accounts:password_change"),
            reverse("accounts:password_change_done"),
            reverse("logout"),
            reverse("set_language"),
        )
        return request.path in allowed or request.path.startswith(
            ("/" + settings.STATIC_URL.lstrip("/"), "/" + settings.MEDIA_URL.lstrip("/"))
        )
