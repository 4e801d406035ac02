"""Personal data of ended suggestions is anonymised after PERSONAL_DATA_RETENTION_DAYS counted
from the last handling step; the suggestion, its statistics and its public reply stay."""

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile

from ledger.models import RegionMonthBreakdown, RegionMonthSummary
from ledger.statistics.summaries import rebuild_all
from notifications.models import Message
from suggestions import handling
from suggestions.models import Suggestion, SuggestionPhoto
from suggestions.privacy import PrivacyError, personal_data_expire, suggestion_anonymise
from suggestions.tasks import expire_personal_data

from .conftest import jpeg_bytes

R = Suggestion.Route
FINISHED_AT = dt.datetime(2023, 3, 10, 10, 0, tzinfo=dt.UTC)


def finished(h, **extra) -> Suggestion:
    """A suggestion resolved on site and fed back at FINISHED_AT, with a photo and a comment."""
    with time_machine.travel(FINISHED_AT - dt.timedelta(days=2), tick=False):
        suggestion = h.submit(**extra)
        SuggestionPhoto.objects.create(
            suggestion=suggestion, image=ContentFile(jpeg_bytes(40, 30), name="p.jpg")
        )
        handling.suggestion_accept(suggestion=suggestion, actor=h.staff)
        handling.suggestion_route(
            suggestion=suggestion, actor=h.staff, route=R.ON_SITE, answer="当场联系村委会修复。"
        )
    with time_machine.travel(FINISHED_AT, tick=False):
        handling.suggestion_feedback(
            suggestion=suggestion, actor=h.staff, method="phone", note="电话告知已修复。"
        )
    Suggestion.objects.filter(pk=suggestion.pk).update(rating_comment="谢谢，张三住3组。")
    suggestion.refresh_from_db()
    return suggestion


def summaries() -> list[tuple]:
    rows = RegionMonthSummary.objects.order_by("region_id", "month").values_list()
    breakdowns = RegionMonthBreakdown.objects.order_by("pk").values_list(
        "region_id", "month", "dimension", "key", "received", "completed", "overdue"
    )
    return [row[1:] for row in rows] + list(breakdowns)


def test_a_suggestion_finished_three_years_and_a_day_ago_is_anonymised(
    flow, django_capture_on_commit_callbacks
):
    suggestion = finished(flow)
    photo_file = suggestion.photos.get().image
    storage, name = photo_file.storage, photo_file.name
    assert storage.exists(name)
    # Long since sent; a message still on its way keeps its address until it is done.
    Message.objects.update(status=Message.Status.SENT)
    with time_machine.travel(FINISHED_AT + dt.timedelta(days=1095 + 1), tick=False):
        rebuild_all()
        before = summaries()
        with django_capture_on_commit_callbacks(execute=True):
            assert expire_personal_data.delay().get() == 1
        rebuild_all()
        assert summaries() == before
    suggestion.refresh_from_db()
    assert (suggestion.name, suggestion.phone, suggestion.rating_comment) == ("", "", "")
    assert suggestion.anonymised_at is not None
    assert not suggestion.photos.exists() and not storage.exists(name)
    # The suggestion, its handling and its public reply stay.
    assert suggestion.status == Suggestion.Status.FED_BACK
    assert suggestion.result == "当场联系村委会修复。"
    assert suggestion.feedback_note == "电话告知已修复。"
    event = suggestion.events.get(action="anonymise")
    assert event.actor is None and not event.public and "1095" in event.note
    assert suggestion.events.filter(public=True).count() >= 3
    # The SMS receipts sent to the number keep it masked only.
    assert not Message.objects.filter(recipient="13812345678").exists()
    assert Message.objects.filter(recipient="138****5678").count() == 3


def test_a_suggestion_finished_a_day_short_of_three_years_is_kept(flow):
    suggestion = finished(flow)
    with time_machine.travel(FINISHED_AT + dt.timedelta(days=1095 - 1), tick=False):
        assert personal_data_expire() == 0
    suggestion.refresh_from_db()
    assert suggestion.phone == "13812345678" and suggestion.photos.exists()


def test_a_second_run_does_nothing(flow):
    suggestion = finished(flow)
    with time_machine.travel(FINISHED_AT + dt.timedelta(days=1200), tick=False):
        assert personal_data_expire() == 1
        assert personal_data_expire() == 0
        assert suggestion_anonymise(suggestion=suggestion, actor=None, note="") is False
    assert suggestion.events.filter(action="anonymise").count() == 1


def test_a_late_handling_step_restarts_the_clock_and_open_ones_are_never_due(flow):
    h = flow
    suggestion = finished(h)
    with time_machine.travel(FINISHED_AT + dt.timedelta(days=400), tick=False):
        handling.suggestion_add_note(suggestion=suggestion, actor=h.staff, note="回访。")
    still_open = h.submit(phone="13912345678")
    with time_machine.travel(FINISHED_AT + dt.timedelta(days=1200), tick=False):
        assert personal_data_expire() == 0
    with time_machine.travel(FINISHED_AT + dt.timedelta(days=400 + 1096), tick=False):
        assert personal_data_expire() == 1
    still_open.refresh_from_db()
    assert still_open.phone == "13912345678"


def test_a_merged_duplicate_waits_for_its_original(flow):
    h = flow
    with time_machine.travel(FINISHED_AT, tick=False):
        original = h.submit()
        duplicate = h.submit(phone="13912345678")
        handling.suggestion_merge(suggestion=duplicate, actor=h.staff, original=original)
    with time_machine.travel(FINISHED_AT + dt.timedelta(days=1200), tick=False):
        assert personal_data_expire() == 0
        with pytest.raises(PrivacyError):
            suggestion_anonymise(suggestion=duplicate, actor=h.staff, note="")
    duplicate.refresh_from_db()
    assert duplicate.phone == "13912345678"


def test_the_task_is_scheduled(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["suggestions-expire-personal-data"]
    assert entry["task"] == expire_personal_data.name


def test_the_consent_notice_names_processor_period_and_how_to_ask(client, network, settings):
    settings.PERSONAL_INFORMATION_PROCESSOR = "吉县人大常委会"
    body = client.get(f"/s/{network.station.code}/").content.decode()
    assert "吉县人大常委会" in body
    assert "3" in body and "0357-7921234" in body and "吉县中垛乡政府院内" in body
    settings.PERSONAL_INFORMATION_PROCESSOR = ""
    settings.PERSONAL_DATA_RETENTION_DAYS = 400
    from django.core.cache import caches

    caches["pages"].clear()
    body = client.get(f"/s/{network.station.code}/").content.decode()
    assert "400" in body and network.station.name in body


def test_staff_registration_shows_the_consent_notice(staff_client, network):
    url = f"/workbench/suggestions/new/?station={network.station.code}"
    body = staff_client.get(url).content.decode()
    assert "0357-7921234" in body and 'id="consent-notice"' in body
