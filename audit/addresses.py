"""The client's address as the audit log records it."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string


def client_address(request: HttpRequest) -> str | None:
    """The address the request came from: REMOTE_ADDR, or behind a proxy the header named by
    RATELIMIT_IP_META_KEY, the same setting (and the same forms: a META key, or the dotted path
    of a function of the request) that django-ratelimit counts by, so the rate limits and the
    audit log agree on who a client is.

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
