from suggestions.models import Suggestion
from tests.suggestions.conftest import valid_form


def submit(client, network, roads, **extra) -> tuple[Suggestion, str]:
    response = client.post(f"/s/{network.station.code}/", valid_form(roads, **extra))
    page = client.get(response["Location"])
    return Suggestion.objects.latest("pk"), page.context["secret"]


def test_code_and_last_four_digits_show_status_and_public_timeline(client, network, roads):
    suggestion, _secret = submit(client, network, roads)
    response = client.post(
        "/track/", {"code": suggestion.display_tracking_code.lower(), "proof": "5678"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["suggestion"] == suggestion
    assert "待受理" in body and "白额村田间道路被冲毁" in body
    assert "已由中垛乡人大代表联络站收到。" in body
    assert "张*" in body
    assert "张三" not in body and "13812345678" not in body and "5678" not in body


def test_internal_notes_stay_off_the_tracking_page(client, network, roads):
    suggestion, _secret = submit(client, network, roads)
    suggestion.events.create(
        old_status="received", new_status="received", note="内部备注：待核实", public=False
    )
    body = client.post(
        "/track/", {"code": suggestion.tracking_code, "proof": "5678"}
    ).content.decode()
    assert "内部备注" not in body


def test_a_wrong_combination_reveals_nothing(client, network, roads):
    suggestion, _secret = submit(client, network, roads)
    for code, proof in [(suggestion.tracking_code, "0000"), ("ZZZZZZZZ", "5678"), ("", "5678")]:
        response = client.post("/track/", {"code": code, "proof": proof})
        assert response.context["suggestion"] is None
        assert "白额村田间道路被冲毁" not in response.content.decode()


def test_an_anonymous_submitter_tracks_with_the_secret(client, network, roads):
    suggestion, secret = submit(
        client, network, roads, is_anonymous="on", phone="", name="", consent=""
    )
    assert (
        client.post("/track/", {"code": suggestion.tracking_code, "proof": secret.lower()}).context[
            "suggestion"
        ]
        == suggestion
    )
    assert (
        client.post("/track/", {"code": suggestion.tracking_code, "proof": "AAAAAA"}).context[
            "suggestion"
        ]
        is None
    )


def test_guessing_is_rate_limited_per_code(client, network, roads, settings):
    settings.TRACK_RATE_PER_CODE = "3/m"
    suggestion, _secret = submit(client, network, roads)
    for proof in ["0001", "0002", "0003"]:
        client.post("/track/", {"code": suggestion.tracking_code, "proof": proof})
    response = client.post("/track/", {"code": suggestion.tracking_code, "proof": "5678"})
    assert response.status_code == 429
    assert response.context["suggestion"] is None
    assert "尝试次数过多" in response.content.decode()


def test_the_receipt_link_offers_tracking_with_the_code_filled_in(client, network, roads):
    suggestion, _secret = submit(client, network, roads)
    response = client.get(f"/track/?code={suggestion.tracking_code}")
    assert response.context["form"].initial["code"] == suggestion.tracking_code
