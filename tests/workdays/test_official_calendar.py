"""Years the chinesecalendar library covers: its answer is the calendar, make-up days included.

Expected days come from the library itself, never from a list typed in here.
"""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workdays.selectors import (
    LIBRARY_YEARS,
    add_working_days,
    day_info,
    is_provisional,
    is_working_day,
    next_working_day,
    working_days_between,
)

FESTIVALS = ["Spring Festival", "Tomb-sweeping Day", "Labour Day", "National Day"]


def library_days(table: dict, year: int, festival: str) -> list[dt.date]:
    return sorted(day for day, name in table.items() if day.year == year and name == festival)


def library_add(start: dt.date, n: int) -> dt.date:
    """n working days after start, asking the library day by day."""
    day = start
    while n:
        day += dt.timedelta(days=1)
        if chinese_calendar.is_workday(day):
            n -= 1
    return day


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("festival", FESTIVALS)
def test_festival_days_are_off_and_their_make_up_weekend_days_are_working(db, year, festival):
    days_off = library_days(chinese_calendar.holidays, year, festival)
    make_up_days = library_days(chinese_calendar.workdays, year, festival)
    assert days_off, f"the library lists no {festival} in {year}"

    for day in days_off:
        info = day_info(day)
        assert not info.is_working
        assert (info.name, info.source, info.provisional) == (festival, "official", False)
        assert info.is_holiday
    for day in make_up_days:
        assert day.weekday() >= 5
        info = day_info(day)
        assert info.is_working and info.is_makeup_workday
        assert (info.name, info.source) == (festival, "official")
        assert next_working_day(day) == day
    # After the last day off comes the library's next working day.
    assert next_working_day(days_off[0]) == library_add(days_off[-1], 1)


def test_make_up_days_exist_where_the_library_has_them(db):
    # Spring Festival and National Day always borrow weekend days; so do these Labour Days.
    for year, festival in [
        (2025, "Spring Festival"),
        (2026, "Spring Festival"),
        (2025, "Labour Day"),
        (2026, "Labour Day"),
        (2025, "National Day"),
        (2026, "National Day"),
    ]:
        assert library_days(chinese_calendar.workdays, year, festival)


def test_pinned_dates_of_2026(db):
    # Checked against chinesecalendar 1.11 before pinning.
    saturday = dt.date(2026, 1, 10)
    assert (saturday.weekday(), is_working_day(saturday)) == (5, False)
    assert next_working_day(saturday) == dt.date(2026, 1, 12)

    make_up_saturday = dt.date(2026, 10, 10)  # 国庆节调休上班
    assert make_up_saturday.weekday() == 5
    assert chinese_calendar.is_workday(make_up_saturday)
    assert is_working_day(make_up_saturday)
    assert next_working_day(make_up_saturday) == make_up_saturday
    assert day_info(make_up_saturday).name == "National Day"

    spring_tuesday = dt.date(2026, 2, 17)
    assert spring_tuesday.weekday() == 1
    assert not is_working_day(spring_tuesday)
    assert day_info(spring_tuesday).name == "Spring Festival"
    assert next_working_day(spring_tuesday) == dt.date(2026, 2, 24)

    for day in [dt.date(2026, 2, 14), dt.date(2026, 2, 28)]:  # 春节调休上班 (Saturdays)
        assert is_working_day(day) and day_info(day).is_makeup_workday


def test_a_fifteen_working_day_deadline_across_the_2026_spring_festival(db):
    received = dt.date(2026, 2, 13)  # the Friday before the holiday
    due = add_working_days(received, 15)
    assert due == library_add(received, 15) == dt.date(2026, 3, 12)
    # 02-14 (make-up Saturday) counts; 02-15 … 02-23 do not.
    assert add_working_days(received, 1) == dt.date(2026, 2, 14)
    assert add_working_days(received, 2) == dt.date(2026, 2, 24)
    assert working_days_between(received, due) == 15


def test_a_fifteen_working_day_deadline_across_the_2025_national_day(db):
    received = dt.date(2025, 9, 30)
    due = add_working_days(received, 15)
    assert due == library_add(received, 15) == dt.date(2025, 10, 28)
    assert add_working_days(received, 1) == dt.date(2025, 10, 9)
    assert add_working_days(dt.date(2025, 9, 26), 1) == dt.date(2025, 9, 28)  # make-up Sunday
    assert working_days_between(received, due) == 15


def test_start_is_not_counted_and_zero_days_means_the_next_working_day(db):
    saturday = dt.date(2026, 1, 10)
    assert add_working_days(saturday, 0) == dt.date(2026, 1, 12)
    assert add_working_days(saturday, 1) == dt.date(2026, 1, 12)
    assert add_working_days(dt.date(2026, 1, 12), 0) == dt.date(2026, 1, 12)
    assert add_working_days(dt.date(2026, 1, 12), 1) == dt.date(2026, 1, 13)
    with pytest.raises(ValueError):
        add_working_days(saturday, -1)


def test_working_days_between_is_zero_unless_end_is_later(db):
    day = dt.date(2026, 3, 3)
    assert working_days_between(day, day) == 0
    assert working_days_between(day, day - dt.timedelta(days=10)) == 0
    # (Fri, Mon]: Saturday and Sunday off, Monday counts.
    assert working_days_between(dt.date(2026, 3, 6), dt.date(2026, 3, 9)) == 1


def test_the_library_years_are_official_and_firm(db):
    assert 2004 in LIBRARY_YEARS and 2026 in LIBRARY_YEARS and 2027 not in LIBRARY_YEARS
    for year in (2004, 2015, 2026):
        assert not is_provisional(dt.date(year, 6, 1))
        assert day_info(dt.date(year, 6, 1)).source == "official"


def test_every_day_of_2025_and_2026_agrees_with_the_library(db):
    day = dt.date(2025, 1, 1)
    while day.year < 2027:
        assert is_working_day(day) is chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_aware_moments_count_on_their_day_in_china(db):
    # 17:00 UTC on Friday 2026-01-09 is 01:00 on Saturday 2026-01-10 in Beijing.
    moment = dt.datetime(2026, 1, 9, 17, 0, tzinfo=dt.UTC)
    assert not is_working_day(moment)
    assert next_working_day(moment) == dt.date(2026, 1, 12)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31)),
    n=st.integers(min_value=1, max_value=40),
)
def test_working_days_between_undoes_add_working_days(db, start, n):
    due = add_working_days(start, n)
    assert is_working_day(due)
    assert due > start
    assert working_days_between(start, due) == n
    assert working_days_between(start, due - dt.timedelta(days=1)) == n - 1
