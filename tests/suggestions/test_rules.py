"""The suggestion rules that every page, export, statistic and reminder asks, pinned once each:
overdue/open (the model and its queryset), the deadline rules (suggestions.deadlines), the
tracking-code format, and who may see a phone number (suggestions.permissions)."""

import datetime as dt

import pytest

from suggestions import handling
from suggestions.deadlines import is_due_soon, set_deadline, time_limit
from suggestions.models import HandlingTimeLimit, Suggestion, format_tracking_code
from suggestions.permissions import can_view_phone, scope_of, shown_contact

S = Suggestion.Status
TODAY = dt.date(2026, 3, 18)


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize(
    "deadline", [None, TODAY - dt.timedelta(days=1), TODAY, TODAY + dt.timedelta(days=1)]
)
def test_overdue_means_open_and_past_its_deadline_in_sql_and_in_python(flow, status, deadline):
    suggestion = flow.submit()
    Suggestion.objects.filter(pk=suggestion.pk).update(status=status, deadline=deadline)
    expected = status in Suggestion.OPEN_STATUSES and deadline is not None and deadline < TODAY

    rows = Suggestion.objects.filter(pk=suggestion.pk)
    assert rows.overdue(TODAY).exists() is expected
    assert rows.not_overdue(TODAY).exists() is not expected
    assert rows.with_overdue(TODAY).values_list("overdue_on_day", flat=True).get() is expected
    assert Suggestion.overdue_on(status=status, deadline=deadline, today=TODAY) is expected
    assert rows.open().exists() is (status in Suggestion.OPEN_STATUSES)


def test_time_limits_come_from_the_nearest_region_then_the_settings(flow, settings):
    h = flow
    suggestion = h.submit()
    assert time_limit(suggestion, "county") == settings.HANDLING_WORKING_DAYS["county"] == 15
    HandlingTimeLimit.objects.create(region=h.network.jixian, route="county", working_days=20)
    assert time_limit(suggestion, "county") == 20
    HandlingTimeLimit.objects.create(region=h.network.zhongduo, route="county", working_days=12)
    assert time_limit(suggestion, "county") == 12

    # 12 working days from Monday 2026-03-02: Wednesday 2026-03-18.
    set_deadline(suggestion, "county", today=dt.date(2026, 3, 2))
    assert suggestion.deadline == dt.date(2026, 3, 18) and not suggestion.deadline_provisional


def test_due_soon_is_the_last_working_days_of_an_open_suggestion(flow, settings):
    settings.DUE_SOON_WORKING_DAYS = 3
    suggestion = flow.submit()
    # Due Monday 2026-03-23: Wednesday the 18th is three working days before, Tuesday the 17th four.
    suggestion.status, suggestion.deadline = S.IN_HANDLING, dt.date(2026, 3, 23)
    assert not is_due_soon(suggestion, today=dt.date(2026, 3, 17))
    assert is_due_soon(suggestion, today=dt.date(2026, 3, 18))
    assert is_due_soon(suggestion, today=dt.date(2026, 3, 23))
    assert not is_due_soon(suggestion, today=dt.date(2026, 3, 24))  # overdue, no longer "soon"
    suggestion.status = S.COMPLETED
    assert not is_due_soon(suggestion, today=dt.date(2026, 3, 18))


def test_the_tracking_code_is_shown_in_two_groups_of_four():
    assert format_tracking_code("7K3M9QXP") == "7K3M-9QXP"
    assert format_tracking_code("ABC") == "ABC"  # not a tracking code: left alone


def test_only_the_people_handling_a_suggestion_may_see_its_phone(flow, superuser):
    h = flow
    suggestion = handling.suggestion_route(
        suggestion=handling.suggestion_accept(suggestion=h.submit(), actor=h.staff),
        actor=h.staff, route=Suggestion.Route.COUNTY, lead=h.transport, co_departments=[],
    )  # fmt: skip
    may = {h.staff, h.transport_handler, superuser}
    may_not = {h.water_handler, h.township_handler, h.supervisor, h.rep_user, h.outsider}
    for user in may | may_not:
        handled = scope_of(user).handled().filter(pk=suggestion.pk).exists()
        assert can_view_phone(user, suggestion) is handled is (user in may), user.username


def test_lists_and_exports_show_a_phone_in_full_only_to_those_who_handle_it():
    full = shown_contact(name="张三", phone="13812345678", anonymous=False, handled=True)
    assert full == ("张三", "13812345678")
    name, phone = shown_contact(name="张三", phone="13812345678", anonymous=False, handled=False)
    assert name == "张*" and phone.startswith("138") and "1234" not in phone
    assert shown_contact(name="", phone="", anonymous=True, handled=True)[1] == ""
