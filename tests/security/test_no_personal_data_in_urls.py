"""No personal data in addresses: the submission, receipt, tracking and rating flow never puts a
phone number, a name or a proof (last digits, anonymous secret) in a URL, a query string or a
redirect."""

import base64
import uuid

from django.core import signing

from suggestions.models import Suggestion

PHONE, NAME = "13812345678", "张三"


def _form(roads, **extra):
    return {
        "theme": roads.pk, "title": "白额村田间道路被冲毁",
        "content": "七月暴雨后，白额村通往南坡的田间道路被冲毁，请尽快修复。", "name": NAME,
        "phone": PHONE, "consent": "on", "token": str(uuid.uuid4()), **extra,
    }  # fmt: skip


def _decoded(url: str) -> str:
    """The URL with any signed token opened up, as anyone holding the link could."""
    token = url.split("?t=", 1)[1] if "?t=" in url else ""
    payload = token.split(":", 1)[0]
    try:
        opened = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode(
            errors="ignore"
        )
    except ValueError:
        opened = ""
    return url + " " + opened


def _assert_clean(url: str, *secrets: str) -> None:
    shown = _decoded(url)
    for secret in (PHONE, PHONE[-4:], NAME, *secrets):
        assert secret not in shown, (secret, url)


def test_the_receipt_address_carries_no_phone_name_or_secret(client, network, roads):
    named = client.post(f"/s/{network.station.code}/", _form(roads))
    _assert_clean(named["Location"])
    anonymous = client.post(
        f"/s/{network.station.code}/", _form(roads, is_anonymous="on", name="", phone="")
    )
    receipt = anonymous["Location"]
    page = client.get(receipt)
    secret = page.context["secret"]
    assert secret and secret in page.content.decode()  # shown on the page, for this visit
    _assert_clean(receipt, secret)
    data = signing.loads(receipt.split("?t=")[1], salt="suggestions.submitted")
    assert set(data) == {"id"}


def test_tracking_and_rating_send_the_proof_only_in_the_body(client, network, roads):
    client.post(f"/s/{network.station.code}/", _form(roads))
    suggestion = Suggestion.objects.get()
    for url in ("/track/", "/track/rate/"):
        response = client.post(url, {"code": suggestion.tracking_code, "proof": PHONE[-4:]})
        assert response.status_code in (200, 404, 409)
        _assert_clean(response.wsgi_request.get_full_path())
        assert "Location" not in response  # no redirect that could carry it
    page = client.post("/track/", {"code": suggestion.tracking_code, "proof": PHONE[-4:]})
    html = page.content.decode()
    assert 'method="post"' in html.lower() and "?proof=" not in html and "&proof=" not in html
