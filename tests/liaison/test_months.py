"""The month arithmetic every app uses (liaison.months): pinned here once."""

import datetime as dt

from liaison.months import (
    add_months,
    iter_months,
    month_end,
    month_start_after,
    months_between,
    next_month,
)


def test_add_months_keeps_the_day_and_clamps_to_a_short_month():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 11, 10), 3) == dt.date(2027, 2, 10)
    assert add_months(dt.date(2026, 3, 31), -1) == dt.date(2026, 2, 28)


def test_month_start_after_answers_with_the_first_of_a_month():
    assert month_start_after(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 1)
    assert month_start_after(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 1)
    assert month_start_after(dt.date(2026, 1, 15), -12) == dt.date(2025, 1, 1)
    assert next_month(dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)


def test_month_end_and_the_months_between_two_days():
    assert month_end(dt.date(2028, 2, 3)) == dt.date(2028, 2, 29)
    assert months_between(dt.date(2026, 11, 20), dt.date(2027, 1, 2)) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
    ]
    assert list(iter_months(dt.date(2026, 12, 1), dt.date(2027, 1, 1))) == [(2026, 12), (2027, 1)]
