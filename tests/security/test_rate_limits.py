"""Rate limits are counted before any costly work, and the tracking proof's per-code limit holds
on every endpoint that checks a proof."""

import re
import struct
import uuid
import zlib
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.images import process_uploaded_image
from suggestions import handling
from suggestions.models import Suggestion


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` × `height` pixels, with almost no data behind it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def never_decoded():
    """Fail the test if any image is decoded or any photo processed while it runs."""
    return mock.patch.object(Image.Image, "load", side_effect=AssertionError("decoded"))


def form_data(roads, **extra):
    return {
        "theme": roads.pk, "title": "白额村田间道路被冲毁",
        "content": "七月暴雨后，白额村通往南坡的田间道路被冲毁，请尽快修复。", "name": "张三",
        "phone": "13812345678", "consent": "on", "token": str(uuid.uuid4()), **extra,
    }  # fmt: skip


def test_the_pixel_count_is_refused_from_the_header_before_decoding(settings):
    settings.PHOTO_MAX_SOURCE_PIXELS = 60_000_000
    upload = SimpleUploadedFile("big.png", png_header_only(7_800, 7_800))
    with never_decoded(), pytest.raises(ValidationError) as refused:
        process_uploaded_image(upload, max_pixels=1600)
    assert refused.value.code == "too_many_pixels"


@pytest.mark.parametrize("limit", ["ip", "phone"])
def test_an_over_the_limit_submission_is_refused_before_its_photos_are_decoded(
    client, network, roads, settings, limit
):
    if limit == "ip":
        settings.SUGGESTION_RATE_PER_IP = "1/m"
    else:
        settings.SUGGESTION_RATE_PER_PHONE = "1/m"
    url = f"/s/{network.station.code}/"
    assert client.post(url, form_data(roads)).status_code == 302
    photo = SimpleUploadedFile("road.png", png_header_only(7_700, 7_700))
    with (
        never_decoded(),
        mock.patch("suggestions.forms.process_uploaded_image") as processed,
        mock.patch("suggestions.forms.SuggestionForm.is_valid") as validated,
    ):
        # The address limit from the same address; the phone limit from another one.
        address = {} if limit == "ip" else {"REMOTE_ADDR": "10.9.9.9"}
        response = client.post(url, form_data(roads, photos=[photo]), **address)
    assert response.status_code == 429
    assert "提交过于频繁，请稍后再试。" in response.content.decode()
    assert not processed.called and not validated.called
    assert Suggestion.objects.count() == 1
    # What was typed comes back, so nothing is lost but the photo.
    assert "白额村田间道路被冲毁" in response.content.decode()


def _fed_back(flow) -> Suggestion:
    h = flow
    s = handling.suggestion_accept(suggestion=h.submit(), actor=h.staff)
    s = handling.suggestion_route(suggestion=s, actor=h.staff, route="on_site", answer="已修复。")
    if s.status == Suggestion.Status.COMPLETED:
        s = handling.suggestion_feedback(
            suggestion=s, actor=h.staff, method="phone", note="已电话告知。"
        )
    return s


def _answer(response) -> tuple[int, str]:
    body = response.content.decode()
    return response.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)


def test_once_the_per_code_limit_is_spent_right_and_wrong_proofs_get_the_same_answer(
    client, flow, settings
):
    settings.TRACK_RATE_PER_CODE = "3/m"
    suggestion = _fed_back(flow)
    code = suggestion.tracking_code
    right, wrong = "5678", "0000"
    # Spent through the rating endpoint, which used to count only per address.
    for _ in range(3):
        client.post("/track/rate/", {"code": code, "proof": wrong, "rating": "satisfied"})
    for url, extra in (("/track/rate/", {"rating": "satisfied"}), ("/track/", {})):
        answer_right = _answer(client.post(url, {"code": code, "proof": right, **extra}))
        answer_wrong = _answer(client.post(url, {"code": code, "proof": wrong, **extra}))
        assert answer_right == answer_wrong, url
        assert answer_right[0] == 429 and suggestion.title not in answer_right[1]
    suggestion.refresh_from_db()
    assert not suggestion.rating


def test_the_tracking_page_spends_the_rating_endpoints_limit_too(client, flow, settings):
    settings.TRACK_RATE_PER_CODE = "2/m"
    suggestion = _fed_back(flow)
    for proof in ("0001", "0002"):
        client.post("/track/", {"code": suggestion.tracking_code, "proof": proof})
    response = client.post(
        "/track/rate/", {"code": suggestion.tracking_code, "proof": "5678", "rating": "satisfied"}
    )
    assert response.status_code == 429
    suggestion.refresh_from_db()
    assert not suggestion.rating
