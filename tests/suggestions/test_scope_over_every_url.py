"""Every URL pattern of the project, for every role outside a suggestion's scope: nobody reads
or changes that suggestion (by id, by tracking code, through the ledger or an export, or in
the admin). Patterns are read from the resolver, so new pages are covered without editing this."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ledger.models import Export
from suggestions import handling
from suggestions.models import PhoneAccess, Suggestion, SuggestionEvent

TITLE = "白额村田间道路被冲毁"
PHONE = "13812345678"


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _urls(pk: int, code: str) -> list[str]:
    """Concrete addresses: ints become the suggestion's id, strings its tracking code/actions."""
    from suggestions.views.workbench import ACTIONS

    urls = set()
    for raw in _patterns():
        if raw.startswith("^") or "(?P<path>" in raw or "media/" in raw or "static/" in raw:
            continue
        pattern = raw.replace("^", "").replace("$", "").replace("\\Z", "")
        names = re.findall(r"<(?:(\w+):)?(\w+)>", pattern)
        if not any(conv == "int" or name == "object_id" for conv, name in names):
            continue  # only addresses that can name a suggestion by its id
        variants = [pattern]
        for conv, name in names:
            token = f"<{conv + ':' if conv else ''}{name}>"
            if conv == "int" or name == "object_id":
                variants = [v.replace(token, str(pk)) for v in variants]
            elif name == "name":
                variants = [v.replace(token, action) for v in variants for action in ACTIONS]
            else:
                variants = [v.replace(token, code) for v in variants]
        urls.update("/" + v for v in variants if "<" not in v)
    return sorted(urls)


@pytest.mark.parametrize("who", ["outsider", "township_handler", "rep_user", "anonymous"])
def test_no_role_outside_the_scope_reaches_the_suggestion_at_any_address(client, flow, who):
    h = flow
    suggestion = handling.suggestion_route(
        suggestion=handling.suggestion_accept(suggestion=h.submit(), actor=h.staff),
        actor=h.staff, route="county", lead=h.transport,
    )  # fmt: skip
    events = SuggestionEvent.objects.filter(suggestion=suggestion).count()
    if who != "anonymous":
        client.force_login(getattr(h, who))
    urls = _urls(suggestion.pk, suggestion.tracking_code)
    assert any("/workbench/suggestions/" in u for u in urls) and any("/admin/" in u for u in urls)
    payload = {"note": "x", "reason": "x", "route": "on_site", "answer": "x", "rating": "satisfied",
               "code": suggestion.tracking_code, "proof": "0000", "result": "x", "outcome": "A"}  # fmt: skip
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, payload)
            body = response.content.decode(errors="replace") if hasattr(response, "content") else ""
            assert TITLE not in body and PHONE not in body, (method, url, response.status_code)
    # By tracking code without the proof, through the ledger and its export.
    body = client.post(
        "/track/", {"code": suggestion.tracking_code, "proof": "0000"}
    ).content.decode()
    assert TITLE not in body
    if who != "anonymous":
        assert TITLE not in client.get("/ledger/", {"q": "白额村"}).content.decode()
        client.post("/ledger/export/", {"format": "csv"})
        for export in Export.objects.filter(user=getattr(h, who)):
            export.refresh_from_db()
            assert export.rows == 0 or TITLE not in export.file.read().decode("utf-8-sig")
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.ASSIGNED
    assert SuggestionEvent.objects.filter(suggestion=suggestion).count() == events
    assert not PhoneAccess.objects.exists()
