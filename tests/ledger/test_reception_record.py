"""One held reception's page in the receptions ledger: the log, the rota, the photos (private),
and the suggestions raised there, as far as the reader may open them."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from receptions.models import Duty, DutyLogPhoto
from tests.ledger.test_ledger_filters import receptions  # noqa: F401 (the fixture)
from tests.suggestions.conftest import jpeg_bytes


@pytest.fixture
def photographed(receptions):  # noqa: F811
    log = receptions.june
    photo = DutyLogPhoto.objects.create(log=log, image=ContentFile(jpeg_bytes(), name="hall.jpg"))
    receptions.photo = photo
    return receptions


def test_the_receptions_ledger_links_each_day_to_its_record(client, receptions):  # noqa: F811
    client.force_login(receptions.h.staff)
    body = client.get(reverse("ledger:receptions")).content.decode()
    assert reverse("ledger:reception", args=[receptions.june.pk]) in body


def test_the_record_shows_the_log_rota_photos_and_raised_suggestions(
    client, photographed, django_assert_max_num_queries
):
    r = photographed
    client.force_login(r.h.staff)
    url = reverse("ledger:reception", args=[r.june.pk])
    # Session and scope (7), the log with its station, attendees and photos (3), the rota (1),
    # the raised suggestions and their count (2).
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "2025-06-10" in body and "中垛乡人大代表联络站" in body and "道路交通" in body
    assert "王建国" in body and "值班代表" in body
    assert "3 / 7" in body and "接待群众。" in body
    assert f'src="{r.photo.get_absolute_url()}"' in body
    record = response.context["record"]
    assert (record.raised_total, len(record.raised), record.hidden_count) == (2, 2, 0)
    for suggestion in record.raised:
        assert reverse("workbench:suggestion", args=[suggestion.pk]) in body


def test_reception_photos_are_private_and_shown_to_those_who_see_the_record(
    client, photographed, settings
):
    r = photographed
    path = Path(r.photo.image.path)
    assert Path(settings.PRIVATE_ROOT) in path.parents
    assert client.get(f"/{settings.MEDIA_URL}{r.photo.image.name}").status_code == 404
    url = r.photo.get_absolute_url()
    assert client.get(url).status_code == 302  # to the login page
    for user in (r.h.staff, r.h.supervisor, r.h.rep_user):  # the rep was on duty that day
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content) == path.read_bytes()
    for user in (r.h.outsider, r.h.transport_handler):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("ledger:reception", args=[r.june.pk])).status_code == 404
    # Another reception's photo number does not open this one.
    client.force_login(r.h.staff)
    other = reverse("ledger:reception_photo", args=[r.july.pk, r.photo.pk])
    assert client.get(other).status_code == 404


def test_a_representative_sees_how_many_raised_suggestions_are_handled_elsewhere(
    client,
    receptions,  # noqa: F811
):
    r = receptions
    # Present at the reception, but not on its rota: the suggestions raised there are the
    # station's and the duty representatives' to follow; this one is told they exist.
    Duty.objects.filter(day=r.june.day, representative=r.h.rep_user.representative).delete()
    assert r.june.attendees.filter(pk=r.h.rep_user.representative.pk).exists()
    client.force_login(r.h.rep_user)
    response = client.get(reverse("ledger:reception", args=[r.june.pk]))
    assert response.status_code == 200
    record = response.context["record"]
    assert (record.raised_total, record.raised, record.hidden_count) == (2, [], 2)
    assert "另有 2 条由其他人员办理" in response.content.decode()
