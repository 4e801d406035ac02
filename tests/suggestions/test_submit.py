import re
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from notifications.models import Message
from suggestions.models import Suggestion, SuggestionEvent
from tests.suggestions.conftest import jpeg_bytes, valid_form


def form_url(station, query=""):
    return f"/s/{station.code}/{query}"


def test_the_form_offers_themes_villages_and_the_stations_representatives(client, network, roads):
    response = client.get(form_url(network.station))
    assert response.status_code == 200
    body = response.content.decode()
    assert "道路交通" in body
    assert "白额村" in body and "东村" in body
    assert "王建国" in body and "李秀英" in body
    assert 'name="website"' in body and 'name="token"' in body
    assert "个人信息保护法" in body


def test_a_point_offers_only_its_own_village(client, network, roads):
    form = client.get(form_url(network.point_baie)).context["form"]
    assert [v.name for v in form.fields["village"].queryset] == ["白额村"]


def test_a_citizen_submits_and_gets_a_tracking_code(
    client, network, roads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            form_url(network.station), valid_form(roads, village=network.baie.pk)
        )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.phone == "13812345678"
    assert suggestion.channel == Suggestion.Channel.QR
    assert suggestion.village == network.baie
    assert suggestion.consent_at is not None
    assert re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", suggestion.tracking_code)
    event = SuggestionEvent.objects.get()
    assert event.public and event.new_status == "received"

    page = client.get(response["Location"])
    assert suggestion.display_tracking_code in page.content.decode()
    message = Message.objects.get(key=f"suggestion:{suggestion.pk}:received:sms")
    assert message.recipient == "13812345678"
    assert suggestion.display_tracking_code in message.body


def test_the_website_button_marks_the_channel_as_web(client, network, roads):
    client.post(form_url(network.station, "?via=web"), valid_form(roads))
    assert Suggestion.objects.get().channel == Suggestion.Channel.WEB


def test_a_double_submit_creates_exactly_one_suggestion(client, network, roads):
    data = valid_form(roads)
    first = client.post(form_url(network.station), data)
    second = client.post(form_url(network.station), data)
    assert Suggestion.objects.count() == 1
    assert first["Location"].split("?t=")[0] == second["Location"].split("?t=")[0]
    assert client.get(second["Location"]).context["suggestion"] == Suggestion.objects.get()


def test_photos_are_stored_re_encoded_without_location(client, network, roads):
    photos = [
        SimpleUploadedFile("a.jpg", jpeg_bytes(4000, 3000, gps=True), content_type="image/jpeg"),
        SimpleUploadedFile("b.png", jpeg_bytes(), content_type="image/png"),
    ]
    response = client.post(form_url(network.station), {**valid_form(roads), "photos": photos})
    assert response.status_code == 302
    stored = Suggestion.objects.get().photos.all()
    assert len(stored) == 2
    with Image.open(stored[0].image.path) as image:
        assert max(image.size) == 1600
        assert image.format == "JPEG"
        assert not image.getexif()


def test_photos_are_private_and_shown_only_to_those_who_see_the_suggestion(
    client, network, roads, station_staff, other_station_staff, superuser, settings
):
    photo = SimpleUploadedFile("road.jpg", jpeg_bytes(), content_type="image/jpeg")
    client.post(form_url(network.station), {**valid_form(roads), "photos": [photo]})
    suggestion = Suggestion.objects.get()
    stored = suggestion.photos.get()
    path = Path(stored.image.path)
    assert Path(settings.PRIVATE_ROOT) in path.parents
    assert not (Path(settings.MEDIA_ROOT) / stored.image.name).exists()
    assert client.get(f"/{settings.MEDIA_URL}{stored.image.name}").status_code == 404
    url = stored.get_absolute_url()
    assert client.get(url).status_code == 302  # to the login page

    client.force_login(station_staff)
    page = client.get(reverse("workbench:suggestion", args=[suggestion.pk])).content.decode()
    assert f'src="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == path.read_bytes()

    client.force_login(superuser)
    admin_page = client.get(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    assert url in admin_page.content.decode()

    client.force_login(other_station_staff)
    assert client.get(url).status_code == 404
    path.unlink()
    client.force_login(station_staff)
    assert client.get(url).status_code == 404


def test_more_than_three_photos_are_refused(client, network, roads):
    photos = [
        SimpleUploadedFile(f"{i}.jpg", jpeg_bytes(), content_type="image/jpeg") for i in range(4)
    ]
    response = client.post(form_url(network.station), {**valid_form(roads), "photos": photos})
    assert response.status_code == 200
    assert "最多上传 3 张照片。" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_whatever_its_name(client, network, roads):
    fake = SimpleUploadedFile("road.jpg", b"MZ\x90\x00 this is an exe", content_type="image/jpeg")
    response = client.post(form_url(network.station), {**valid_form(roads), "photos": [fake]})
    assert (
        "照片“road.jpg”：无法识别该文件，请上传 JPEG 或 PNG 格式的照片。"
        in response.content.decode()
    )
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("phone", "12345", "请输入大陆手机号（11 位）或带区号的固定电话。"),
        ("phone", "", "请留下电话号码，或选择匿名提交。"),
        ("name", "", "请留下您的姓名，或选择匿名提交。"),
        ("consent", "", "请勾选同意，以便我们保存您的信息并办理您的意见建议。"),
        ("title", "路", "确保该变量至少包含 4 字符(目前字符数 1)。"),
        ("content", "太长" * 1001, "确保该变量包含不超过 2000 字符 (目前字符数 2002)。"),
        ("theme", "", "这个字段是必填项。"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(client, network, roads, field, value, message):
    response = client.post(form_url(network.station), valid_form(roads, **{field: value}))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert "请更正下面标红的内容。" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_an_anonymous_suggestion_keeps_no_contact_and_gets_a_secret(client, network, roads):
    data = valid_form(roads, is_anonymous="on", name="张三", phone="", consent="")
    response = client.post(form_url(network.station), data)
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.is_anonymous and suggestion.name == "" and suggestion.phone == ""
    assert suggestion.consent_at is None
    page = client.get(response["Location"])
    secret = page.context["secret"]
    assert len(secret) == 6 and secret in page.content.decode()
    assert secret not in suggestion.secret_digest
    assert not Message.objects.exists()


def test_a_landline_gets_no_sms(client, network, roads):
    client.post(form_url(network.station), valid_form(roads, phone="0357-7221234"))
    assert Suggestion.objects.get().phone == "03577221234"
    assert not Message.objects.exists()


def test_the_honeypot_saves_nothing_and_tells_nothing(client, network, roads):
    response = client.post(
        form_url(network.station), valid_form(roads, website="http://spam.example")
    )
    assert response.status_code == 200
    assert "我们已收到" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_too_many_submissions_from_one_address_are_refused_kindly(client, network, roads, settings):
    settings.SUGGESTION_RATE_PER_IP = "2/m"
    for _ in range(2):
        assert client.post(form_url(network.station), valid_form(roads)).status_code == 302
    response = client.post(form_url(network.station), valid_form(roads))
    assert response.status_code == 429
    assert "提交过于频繁，请稍后再试。" in response.content.decode()
    assert Suggestion.objects.count() == 2


def test_too_many_submissions_from_one_phone_are_refused(client, network, roads, settings):
    settings.SUGGESTION_RATE_PER_PHONE = "1/m"
    assert client.post(form_url(network.station), valid_form(roads)).status_code == 302
    other_address = {"REMOTE_ADDR": "10.1.2.3"}
    response = client.post(
        form_url(network.station), valid_form(roads, phone="13812345678"), **other_address
    )
    assert response.status_code == 429
    assert Suggestion.objects.count() == 1


def test_an_unknown_station_code_gives_the_404_page(client, db):
    response = client.get("/s/NOPE99/")
    assert response.status_code == 404
    assert "没有找到这个联络站或页面" in response.content.decode()


def test_a_forged_receipt_link_is_a_404(client, network, roads):
    client.post(form_url(network.station), valid_form(roads))
    assert client.get(f"/s/{network.station.code}/done/?t=forged").status_code == 404


def test_a_representatives_code_preselects_them(client, network, roads):
    response = client.get(f"/r/{network.rep_county.code}/")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.context["form"].initial["addressee"] == network.rep_county
    assert "您的意见建议将转给王建国代表。" in page.content.decode()


def test_a_representative_at_two_stations_lets_the_citizen_choose(client, network, roads):
    response = client.get(f"/r/{network.rep_township.code}/")
    assert response.status_code == 200
    assert [s.name for s in response.context["stations"]] == [
        "中垛乡人大代表联络站",
        "白额村代表联络点",
    ]


def _tokens(response) -> tuple[str, str]:
    body = response.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', body)[1]
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1]
    return token, csrf


def test_every_visitor_gets_fresh_tokens_even_from_the_page_cache(
    client, network, roads, django_assert_max_num_queries
):
    first_token, first_csrf = _tokens(client.get(form_url(network.station)))
    with django_assert_max_num_queries(0):
        cached = client.get(form_url(network.station))
    second_token, second_csrf = _tokens(cached)
    assert uuid.UUID(first_token) and uuid.UUID(second_token) and first_token != second_token
    assert first_csrf != second_csrf and "slot" not in second_csrf
    # The cached page's tokens work: submitting it saves the suggestion.
    response = client.post(form_url(network.station), valid_form(roads, token=second_token))
    assert response.status_code == 302


def test_the_page_cache_keeps_languages_and_text_sizes_apart(client, network, roads):
    assert "提交" in client.get(form_url(network.station)).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Submit" in client.get(form_url(network.station)).content.decode()
    client.get("/large-text/", {"on": "1"})
    assert '<body class="large-text">' in client.get(form_url(network.station)).content.decode()


def test_the_station_pages_button_marks_its_suggestions_as_from_the_website(client, network, roads):
    page = client.get(network.station.get_absolute_url()).content.decode()
    assert f"/s/{network.station.code}/?via=web" in page
    profile = client.get(network.rep_county.get_absolute_url()).content.decode()
    assert f"/r/{network.rep_county.code}/?via=web" in profile
    response = client.get(f"/r/{network.rep_county.code}/?via=web")
    assert response["Location"].endswith(f"?to={network.rep_county.code}&via=web")
