import datetime as dt

from workdays.models import DayOverride
from workdays.selectors import add_working_days, is_working_day, working_days_between
from workdays.services import override_save


def test_a_thousand_questions_over_a_year_cost_at_most_two_queries(
    db, cold_calendar, django_assert_max_num_queries
):
    start = dt.date(2026, 1, 1)
    with django_assert_max_num_queries(2):
        for k in range(1000):
            is_working_day(start + dt.timedelta(days=k % 365))


def test_deadlines_across_two_years_cost_at_most_two_queries(
    db, cold_calendar, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        for k in range(1000):
            start = dt.date(2026, 1, 1) + dt.timedelta(days=k % 500)
            due = add_working_days(start, 15)
            assert working_days_between(start, due) == 15


def test_after_a_change_one_reload_serves_again(db, django_assert_max_num_queries):
    override_save(override=DayOverride(date=dt.date(2026, 3, 3), kind=DayOverride.Kind.HOLIDAY))
    with django_assert_max_num_queries(2):
        for k in range(1000):
            is_working_day(dt.date(2026, 1, 1) + dt.timedelta(days=k % 365))
