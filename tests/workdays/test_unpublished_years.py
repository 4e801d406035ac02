"""Years without a published calendar (2027 as of late 2026): an estimate until staff enter the
State Council's notice and mark the year published."""

import datetime as dt

import holidays
import time_machine
from django.utils import timezone

from workdays.models import DayOverride, PublishedYear
from workdays.selectors import (
    add_working_days,
    day_info,
    is_provisional,
    is_working_day,
    next_working_day,
)
from workdays.services import override_save, published_year_save

NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知"


def days_of(year: int):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


def test_2027_is_an_estimate_weekends_and_statutory_holidays_off_no_make_up_days(db):
    guessed = holidays.China(years=2027)
    assert dt.date(2027, 1, 1) in guessed

    new_year = day_info(dt.date(2027, 1, 1))
    assert not new_year.is_working
    assert (new_year.source, new_year.provisional) == ("estimate", True)
    assert new_year.name == "New Year's Day"
    assert is_provisional(dt.date(2027, 7, 1))

    for day in days_of(2027):
        info = day_info(day)
        assert info.provisional and info.source == "estimate"
        assert info.is_working is (day.weekday() < 5 and day not in guessed), day
        assert not info.is_makeup_workday


def test_staff_enter_the_notice_and_publish_2027(
    db, calendar_changes, django_capture_on_commit_callbacks
):
    make_up_saturday = dt.date(2027, 2, 20)
    extra_holiday = dt.date(2027, 2, 11)  # a Thursday the estimate keeps as a working day
    tomb_sweeping = dt.date(2027, 4, 5)  # a Monday the estimate takes off
    new_year = dt.date(2027, 1, 1)
    assert make_up_saturday.weekday() == 5 and not is_working_day(make_up_saturday)
    assert extra_holiday.weekday() == 3 and is_working_day(extra_holiday)
    assert tomb_sweeping.weekday() == 0 and not is_working_day(tomb_sweeping)

    with django_capture_on_commit_callbacks(execute=True):
        override_save(
            override=DayOverride(
                date=make_up_saturday, kind=DayOverride.Kind.WORKDAY, name="春节", note=NOTICE_2027
            )
        )
    assert calendar_changes == [(DayOverride, {2027})]
    assert is_working_day(make_up_saturday)
    assert day_info(make_up_saturday).source == "override"
    # Still unpublished: the rest of 2027 stays an estimate.
    assert is_provisional(make_up_saturday)
    assert not is_working_day(tomb_sweeping)

    with django_capture_on_commit_callbacks(execute=True):
        override_save(
            override=DayOverride(date=extra_holiday, kind=DayOverride.Kind.HOLIDAY, name="春节")
        )
    assert calendar_changes[-1] == (DayOverride, {2027})
    assert not is_working_day(extra_holiday)

    with django_capture_on_commit_callbacks(execute=True):
        published_year_save(published_year=PublishedYear(year=2027, note=NOTICE_2027))
    assert calendar_changes == [
        (DayOverride, {2027}),
        (DayOverride, {2027}),
        (PublishedYear, {2027}),
    ]

    assert not is_provisional(dt.date(2027, 7, 1))
    saturday = day_info(make_up_saturday)
    assert (saturday.is_working, saturday.provisional, saturday.source) == (True, False, "override")
    assert saturday.is_makeup_workday and saturday.label == "春节"
    assert not is_working_day(extra_holiday)
    # The notice lists every holiday, so days without an entry are plain weekdays and weekends:
    # the package's guesses are no longer used.
    for day in (tomb_sweeping, new_year):
        info = day_info(day)
        assert (info.is_working, info.name, info.source, info.provisional) == (
            True,
            "",
            "official",
            False,
        )
    assert not is_working_day(dt.date(2027, 1, 2))  # a Saturday
    for day in days_of(2027):
        if day not in (make_up_saturday, extra_holiday):
            assert is_working_day(day) is (day.weekday() < 5), day


def test_moving_an_override_to_another_year_changes_both_years(
    db, calendar_changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        override = override_save(
            override=DayOverride(date=dt.date(2026, 12, 31), kind=DayOverride.Kind.HOLIDAY)
        )
    assert not is_working_day(dt.date(2026, 12, 31))
    with django_capture_on_commit_callbacks(execute=True):
        override.date = dt.date(2027, 1, 4)
        override_save(override=override)
    assert calendar_changes == [(DayOverride, {2026}), (DayOverride, {2026, 2027})]
    assert is_working_day(dt.date(2026, 12, 31))
    assert not is_working_day(dt.date(2027, 1, 4))


@time_machine.travel(dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC), tick=False)
def test_reception_days_of_the_next_three_months_reach_into_provisional_2027(db):
    """The 10th of each month, moved to the next working day on holidays (节假日顺延)."""
    today = timezone.localdate()
    assert today == dt.date(2026, 11, 22)
    tenths = [dt.date(2026, 12, 10), dt.date(2027, 1, 10), dt.date(2027, 2, 10)]
    assert all(today < tenth <= today + dt.timedelta(days=92) for tenth in tenths)
    guessed = holidays.China(years=2027)

    december = next_working_day(tenths[0])
    assert december == tenths[0]  # a Thursday, and the library has no holiday on it
    assert not is_provisional(december)

    january = next_working_day(tenths[1])  # a Sunday
    assert tenths[1].weekday() == 6 and dt.date(2027, 1, 11) not in guessed
    assert january == dt.date(2027, 1, 11)
    assert is_provisional(january) and day_info(january).source == "estimate"

    february = next_working_day(tenths[2])
    assert february >= tenths[2] and february.weekday() < 5 and february not in guessed
    assert is_provisional(february)


def test_deadlines_run_on_through_an_unpublished_year(db):
    received = dt.date(2026, 12, 25)  # a Friday
    due = add_working_days(received, 15)
    assert due.year == 2027 and is_working_day(due) and is_provisional(due)
    assert not is_provisional(received)
