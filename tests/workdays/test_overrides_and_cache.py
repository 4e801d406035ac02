"""Staff overrides, and a snapshot that never serves a stale answer."""

import datetime as dt

import chinese_calendar
import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workdays import selectors as services
from workdays.models import DayOverride, PublishedYear
from workdays.selectors import (
    HOLIDAY_NAMES,
    add_working_days,
    day_info,
    is_provisional,
    is_working_day,
    next_working_day,
    working_days_between,
)
from workdays.services import (
    override_delete,
    override_save,
    overrides_delete,
    published_year_delete,
    published_year_save,
)

TUESDAY = dt.date(2026, 3, 3)


def holiday(day: dt.date, name: str = "") -> DayOverride:
    return override_save(override=DayOverride(date=day, kind=DayOverride.Kind.HOLIDAY, name=name))


def test_an_override_beats_the_library(db):
    make_up_saturday = dt.date(2026, 10, 10)
    spring_tuesday = dt.date(2026, 2, 17)
    assert chinese_calendar.is_workday(make_up_saturday)
    assert not chinese_calendar.is_workday(spring_tuesday)

    holiday(make_up_saturday, "国庆节")
    override_save(
        override=DayOverride(date=spring_tuesday, kind=DayOverride.Kind.WORKDAY, note="值班")
    )

    info = day_info(make_up_saturday)
    assert (info.is_working, info.name, info.source, info.provisional) == (
        False,
        "国庆节",
        "override",
        False,
    )
    assert next_working_day(make_up_saturday) == dt.date(2026, 10, 12)
    assert is_working_day(spring_tuesday)
    assert day_info(spring_tuesday).source == "override"


def test_an_override_shows_at_once_and_disappears_when_deleted(db):
    assert is_working_day(TUESDAY)
    override = holiday(TUESDAY)
    assert not is_working_day(TUESDAY)
    assert add_working_days(dt.date(2026, 3, 2), 1) == dt.date(2026, 3, 4)
    override.kind = DayOverride.Kind.WORKDAY
    override_save(override=override)
    assert is_working_day(TUESDAY)
    override_delete(override=override)
    assert is_working_day(TUESDAY)
    assert day_info(TUESDAY).source == "official"


def test_the_answer_changes_after_commit_too(
    db, calendar_changes, django_capture_on_commit_callbacks
):
    assert is_working_day(TUESDAY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        override = holiday(TUESDAY)
    assert len(callbacks) == 1
    assert not is_working_day(TUESDAY)
    with django_capture_on_commit_callbacks(execute=True):
        override_delete(override=override)
    assert is_working_day(TUESDAY)
    assert calendar_changes == [(DayOverride, {2026}), (DayOverride, {2026})]


def test_a_rolled_back_override_leaves_no_trace(db, calendar_changes):
    with pytest.raises(RuntimeError), transaction.atomic():
        holiday(TUESDAY)
        assert not is_working_day(TUESDAY)
        raise RuntimeError("the surrounding work failed")
    assert is_working_day(TUESDAY)
    assert calendar_changes == []


def test_the_signal_waits_for_the_commit(db, calendar_changes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        holiday(TUESDAY)
    assert calendar_changes == []
    for callback in callbacks:
        callback()
    assert calendar_changes == [(DayOverride, {2026})]


def test_the_previous_test_left_nothing_behind(db):
    # The tests above saved overrides for TUESDAY inside rolled-back transactions.
    assert not DayOverride.objects.exists()
    assert is_working_day(TUESDAY)


def test_bulk_delete_is_one_change(db, calendar_changes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        holiday(TUESDAY)
        holiday(dt.date(2027, 3, 3))
    calendar_changes.clear()
    with django_capture_on_commit_callbacks(execute=True):
        deleted = overrides_delete(overrides=DayOverride.objects.all())
    assert deleted == 2
    assert calendar_changes == [(DayOverride, {2026, 2027})]
    assert is_working_day(TUESDAY)


def test_unpublishing_a_year_makes_it_provisional_again(
    db, calendar_changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        published = published_year_save(published_year=PublishedYear(year=2027))
    assert not is_provisional(dt.date(2027, 1, 1)) and is_working_day(dt.date(2027, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        published_year_delete(published_year=published)
    assert is_provisional(dt.date(2027, 1, 1)) and not is_working_day(dt.date(2027, 1, 1))
    assert calendar_changes == [(PublishedYear, {2027}), (PublishedYear, {2027})]


def test_a_duplicate_date_is_refused_before_saving(db):
    from django.core.exceptions import ValidationError

    holiday(TUESDAY)
    with pytest.raises(ValidationError):
        holiday(TUESDAY)


def test_another_process_change_shows_once_the_version_moves(db, cold_calendar, monkeypatch):
    assert is_working_day(TUESDAY)
    # Another process commits an override and sets a new version; this process has its snapshot.
    DayOverride.objects.create(date=TUESDAY, kind=DayOverride.Kind.HOLIDAY)
    assert is_working_day(TUESDAY)
    cache.set(services._VERSION_KEY, "set-by-another-process", timeout=None)
    monkeypatch.setattr(services, "VERSION_CHECK_SECONDS", 0)  # instead of waiting a second
    assert not is_working_day(TUESDAY)


def test_a_cleared_cache_makes_the_process_reload(db, cold_calendar, monkeypatch):
    assert is_working_day(TUESDAY)
    DayOverride.objects.create(date=TUESDAY, kind=DayOverride.Kind.HOLIDAY)
    cache.delete(services._VERSION_KEY)
    monkeypatch.setattr(services, "VERSION_CHECK_SECONDS", 0)
    assert not is_working_day(TUESDAY)


def test_library_holiday_names_have_display_names(db):
    from django.utils import translation

    assert {holiday.value for holiday in chinese_calendar.Holiday} <= set(HOLIDAY_NAMES)
    with translation.override("en"):
        assert day_info(dt.date(2026, 2, 17)).label == "Spring Festival"
    assert day_info(dt.date(2026, 3, 3)).label == ""


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_no_date_makes_the_calendar_raise(db, day):
    info = day_info(day)
    assert info.is_working is is_working_day(day)
    assert info.provisional is is_provisional(day)
    assert info.provisional is not (2004 <= day.year <= 2026)
    assert info.source in {"official", "estimate"}
    assert is_working_day(next_working_day(day))
    due = add_working_days(day, 15)
    assert working_days_between(day, due) == 15


def test_the_ends_of_the_date_range_do_not_raise(db):
    for day in (dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(9999, 12, 31)):
        assert isinstance(is_working_day(day), bool)
        assert is_provisional(day)


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_reaches_everyone_at_once(calendar_changes):
    holiday(TUESDAY)  # outside any transaction: committed, and the signal sent, on return
    assert calendar_changes == [(DayOverride, {2026})]
    assert not is_working_day(TUESDAY)


@pytest.mark.django_db(transaction=True)
def test_the_flush_after_a_transactional_test_leaves_no_stale_snapshot():
    # pytest-django runs transactional tests last, in file order: this one follows the test
    # above, whose committed override the flush removed without telling the services.
    assert not DayOverride.objects.exists()
    assert is_working_day(TUESDAY)
