"""Request types for the views' signatures, and the client's address."""

import ipaddress

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string


class AuthenticatedHttpRequest(HttpRequest):
    """The request a view behind `login_required` receives: its `user` has signed in.

    Only a type, in django-stubs' way: Django still hands the view a plain HttpRequest. It lets
    the view pass `request.user` to a service that records who acted (`actor: User`), where a
    plain HttpRequest's user might be anonymous.
    """

    user: User


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from: REMOTE_ADDR, or behind a proxy the header named by
    RATELIMIT_IP_META_KEY, the same setting (and the same forms: a META key, or the dotted path
    of a function of the request) that django-ratelimit counts by, so the rate limits and the
    audit log and the login lockout agree on who a client is.

    A header is trusted only when the setting names it: the proxy sets it and overwrites what
    the client sent. When the header is absent (a request that did not pass the proxy) the
    connection's own address is recorded. Whatever is not an IP address is recorded as none.
    """
    meta_key = settings.RATELIMIT_IP_META_KEY
    raw: object = None
    if meta_key and callable(meta_key):
        raw = meta_key(request)
    elif meta_key and "." in meta_key:
        raw = import_string(meta_key)(request)
    elif meta_key:
        raw = request.META.get(meta_key)
    if not raw:
        raw = request.META.get("REMOTE_ADDR")
    if not isinstance(raw, str):
        return None
    # X-Forwarded-For style lists: the last hop is the one the trusted proxy added.
    candidate = raw.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
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
