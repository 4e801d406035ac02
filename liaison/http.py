"""Request types for the views' signatures, and the client's address."""

import ipaddress

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind `login_required` receives: its `user` has signed in.

    Only a type, in django-stubs' way: Django still hands the view a plain HttpRequest. It lets
    the view pass `request.user` to a service that records who acted (`actor: User`), where a
    plain HttpRequest's user might be anonymous.
    """

    user: User


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a proxy the header RATELIMIT_IP_META_KEY
    names (e.g. HTTP_X_REAL_IP), which the proxy sets. One setting for the rate limits, the
    login lockout and the records of who did what; a header is believed only when configured."""
    key = settings.RATELIMIT_IP_META_KEY
    raw = request.META.get(key) if key else request.META.get("REMOTE_ADDR")
    if not isinstance(raw, str):
        return None
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def local_path(request: HttpRequest, target: str) -> bool:
    """Whether `target` (a `next` parameter) is a path on this site to send the visitor back to.

    Only an absolute path qualifies: not another host, and not a word that `redirect()` would
    try to reverse as a view name.
    """
    return (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    )
