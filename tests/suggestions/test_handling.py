"""The handling lifecycle: every route, every allowed step, the forbidden ones, deadlines."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from notifications.models import Message
from suggestions import handling
from suggestions.handling import TransitionError
from suggestions.models import DepartmentTask, HandlingTimeLimit, PhoneAccess, Suggestion
from suggestions.reminders import remind_overdue

S = Suggestion.Status
R = Suggestion.Route


def accepted(h, **extra):
    suggestion = h.submit(**extra)
    return handling.suggestion_accept(suggestion=suggestion, actor=h.staff)


def escalated(h):
    return handling.suggestion_route(
        suggestion=accepted(h), actor=h.staff, route=R.COUNTY, lead=h.transport,
        co_departments=[h.water],
    )  # fmt: skip


def test_the_county_route_from_submission_to_closing(flow, django_capture_on_commit_callbacks):
    h = flow
    with time_machine.travel(dt.datetime(2026, 2, 12, 10, tzinfo=dt.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            suggestion = escalated(h)
        assert suggestion.status == S.ASSIGNED
        # 15 working days across the 2026 Spring Festival, make-up Saturdays counted.
        assert suggestion.deadline == dt.date(2026, 3, 11)
        assert not suggestion.deadline_provisional
        tasks = {t.department: t.role for t in suggestion.tasks.all()}
        assert tasks == {h.transport: "lead", h.water: "co"}
        assert Message.objects.filter(recipient="transport@jixian.example").exists()

        handling.task_sign(suggestion=suggestion, actor=h.water_handler)
        assert Suggestion.objects.get(pk=suggestion.pk).status == S.ASSIGNED  # co signing only
        handling.task_sign(suggestion=suggestion, actor=h.transport_handler)
        assert Suggestion.objects.get(pk=suggestion.pk).status == S.IN_HANDLING
        handling.task_complete(suggestion=suggestion, actor=h.water_handler,
                               result="排水沟已清淤。", outcome="A")  # fmt: skip
        assert Suggestion.objects.get(pk=suggestion.pk).status == S.IN_HANDLING
        handling.task_complete(suggestion=suggestion, actor=h.transport_handler,
                               result="道路已修复通车。", outcome="A")  # fmt: skip
        suggestion.refresh_from_db()
        assert (suggestion.status, suggestion.outcome, suggestion.result) == (
            S.COMPLETED,
            "A",
            "道路已修复通车。",
        )

        with django_capture_on_commit_callbacks(execute=True):
            handling.suggestion_feedback(suggestion=suggestion, actor=h.staff, method="phone",
                                         note="已电话告知张三道路修复情况。")  # fmt: skip
        assert Suggestion.objects.get(pk=suggestion.pk).status == S.FED_BACK
        assert Message.objects.filter(key__contains="suggestion_fed_back").count() == 1
        handling.suggestion_rate(suggestion=suggestion, rating="satisfied")
    suggestion.refresh_from_db()
    assert suggestion.status == S.CLOSED and suggestion.rating == "satisfied"
    actions = list(suggestion.events.values_list("action", flat=True))
    assert actions == [
        "submit",
        "accept",
        "route",
        "sign",
        "sign",
        "co_done",
        "complete",
        "feedback",
        "rate",
    ]


def test_the_township_route(flow):
    h = flow
    suggestion = handling_route(h, R.TOWNSHIP, lead=h.township_gov)
    assert suggestion.status == S.ASSIGNED
    assert suggestion.tasks.get().department == h.township_gov


def handling_route(h, route, **kwargs):
    return handling.suggestion_route(suggestion=accepted(h), actor=h.staff, route=route, **kwargs)


def test_resolved_on_site_goes_straight_to_completed(flow):
    suggestion = handling_route(flow, R.ON_SITE, answer="当场联系村委会，明天清理。")
    assert (suggestion.status, suggestion.outcome, suggestion.deadline) == (S.COMPLETED, "A", None)
    assert suggestion.completed_at is not None


def test_an_explained_decline_says_who_decided_and_where_to_turn(flow, client):
    h = flow
    suggestion = handling_route(
        h, R.EXPLAINED, answer="该土地纠纷属于法院受理范围。", decided_by="中垛乡人大主席团",
        refer_to="吉县人民法院或乡司法所",
    )  # fmt: skip
    assert (suggestion.status, suggestion.outcome) == (S.COMPLETED, "D")
    handling.suggestion_feedback(
        suggestion=suggestion, actor=h.staff, method="in_person", note="当面解释。"
    )
    body = client.post(
        "/track/", {"code": suggestion.tracking_code, "proof": "5678"}
    ).content.decode()
    assert "中垛乡人大主席团" in body and "吉县人民法院或乡司法所" in body


def test_an_explained_decline_without_who_decided_is_refused(flow):
    with pytest.raises(TransitionError):
        handling_route(flow, R.EXPLAINED, answer="不能办。")


def test_a_department_of_the_wrong_level_is_refused(flow):
    with pytest.raises(TransitionError):
        handling_route(flow, R.COUNTY, lead=flow.township_gov)


def test_reject_and_merge(flow, django_capture_on_commit_callbacks):
    h = flow
    spam = handling.suggestion_reject(suggestion=h.submit(), actor=h.staff, reason="广告内容")
    assert spam.status == S.REJECTED and spam.rejection_reason == "广告内容"

    original = h.submit()
    duplicate = h.submit(phone="13912345678")
    handling.suggestion_merge(suggestion=duplicate, actor=h.staff, original=original)
    duplicate.refresh_from_db()
    assert duplicate.status == S.MERGED and duplicate.merged_into == original
    original = handling.suggestion_route(
        suggestion=handling.suggestion_accept(suggestion=original, actor=h.staff),
        actor=h.staff, route=R.ON_SITE, answer="已处理。",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        handling.suggestion_feedback(
            suggestion=original, actor=h.staff, method="notice", note="已公示。"
        )
    told = set(
        Message.objects.filter(key__contains="suggestion_fed_back").values_list(
            "recipient", flat=True
        )
    )
    assert told == {"13812345678", "13912345678"}


def test_the_lead_handing_back_returns_it_to_the_station(flow, django_capture_on_commit_callbacks):
    h = flow
    suggestion = escalated(h)
    with django_capture_on_commit_callbacks(execute=True):
        handling.task_hand_back(
            suggestion=suggestion, actor=h.transport_handler, reason="属于水利局职责"
        )
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.route, suggestion.deadline) == (S.ACCEPTED, "", None)
    assert set(suggestion.tasks.values_list("state", flat=True)) == {"handed_back"}
    assert Message.objects.filter(
        recipient="staff@zhongduo.example", key__contains="handed_back"
    ).exists()
    # And it can be routed again, to another lead.
    handling.suggestion_route(suggestion=suggestion, actor=h.staff, route=R.COUNTY, lead=h.water)
    assert DepartmentTask.objects.get(suggestion=suggestion, state="assigned").department == h.water


def test_a_co_department_handing_back_leaves_the_rest(flow):
    h = flow
    suggestion = escalated(h)
    handling.task_hand_back(suggestion=suggestion, actor=h.water_handler, reason="不涉及水利")
    suggestion.refresh_from_db()
    assert suggestion.status == S.ASSIGNED
    assert suggestion.tasks.get(department=h.transport).state == "assigned"


def test_completing_needs_signing_first_and_a_result(flow):
    h = flow
    suggestion = escalated(h)
    with pytest.raises(TransitionError):
        handling.task_complete(
            suggestion=suggestion, actor=h.transport_handler, result="好", outcome="A"
        )
    handling.task_sign(suggestion=suggestion, actor=h.transport_handler)
    with pytest.raises(TransitionError):
        handling.task_complete(
            suggestion=suggestion, actor=h.transport_handler, result=" ", outcome="A"
        )
    with pytest.raises(TransitionError):
        handling.task_complete(
            suggestion=suggestion, actor=h.transport_handler, result="好", outcome="Z"
        )


def test_an_approved_extension_moves_the_deadline_by_working_days(flow):
    h = flow
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC), tick=False):
        suggestion = escalated(h)
        before = suggestion.deadline
        extension = handling.extension_request(suggestion=suggestion, actor=h.transport_handler,
                                               working_days=5, reason="需要协调资金")  # fmt: skip
        with pytest.raises(TransitionError):
            handling.extension_request(suggestion=suggestion, actor=h.transport_handler,
                                       working_days=3, reason="再延")  # fmt: skip
        assert Suggestion.objects.get(pk=suggestion.pk).deadline == before
        handling.extension_decide(extension=extension, actor=h.staff, approve=True)
    suggestion.refresh_from_db()
    from workdays.selectors import add_working_days

    assert suggestion.deadline == add_working_days(before, 5)
    assert suggestion.deadline > before


def test_a_refused_extension_keeps_the_deadline(flow):
    h = flow
    suggestion = escalated(h)
    extension = handling.extension_request(suggestion=suggestion, actor=h.transport_handler,
                                           working_days=5, reason="需要协调")  # fmt: skip
    handling.extension_decide(extension=extension, actor=h.staff, approve=False, note="请按期办结")
    assert Suggestion.objects.get(pk=suggestion.pk).deadline == suggestion.deadline
    with pytest.raises(TransitionError):
        handling.extension_decide(extension=extension, actor=h.staff, approve=True)


def test_urges_are_counted_and_sent(flow, django_capture_on_commit_callbacks):
    h = flow
    suggestion = escalated(h)
    with django_capture_on_commit_callbacks(execute=True):
        handling.suggestion_urge(suggestion=suggestion, actor=h.supervisor, note="请加快")
        handling.suggestion_urge(suggestion=suggestion, actor=h.staff)
    assert Suggestion.objects.get(pk=suggestion.pk).urge_count == 2
    assert (
        Message.objects.filter(
            recipient="transport@jixian.example", key__startswith="urge:"
        ).count()
        == 2
    )


def test_not_satisfied_reopens_once_then_only_closes(flow):
    h = flow
    suggestion = handling_route(h, R.ON_SITE, answer="已答复。")
    handling.suggestion_feedback(
        suggestion=suggestion, actor=h.staff, method="phone", note="已告知。"
    )
    handling.suggestion_rate(suggestion=suggestion, rating="unsatisfied", comment="路还没修")
    suggestion.refresh_from_db()
    assert suggestion.status == S.FED_BACK and suggestion.rating == "unsatisfied"

    handling.suggestion_reopen(suggestion=suggestion, actor=h.staff, note="重新办理")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reopen_count, suggestion.rating) == (S.ACCEPTED, 1, "")

    handling.suggestion_route(
        suggestion=suggestion, actor=h.staff, route=R.ON_SITE, answer="已修复。"
    )
    handling.suggestion_feedback(
        suggestion=suggestion, actor=h.staff, method="phone", note="已告知。"
    )
    handling.suggestion_rate(suggestion=suggestion, rating="unsatisfied")
    with pytest.raises(TransitionError, match="已重新办理过一次"):
        handling.suggestion_reopen(suggestion=suggestion, actor=h.staff, note="再次")
    handling.suggestion_close(suggestion=suggestion, actor=h.staff)
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.CLOSED


def test_a_satisfied_result_cannot_be_reopened_or_rated_twice(flow):
    h = flow
    suggestion = handling_route(h, R.ON_SITE, answer="已答复。")
    handling.suggestion_feedback(
        suggestion=suggestion, actor=h.staff, method="phone", note="已告知。"
    )
    handling.suggestion_rate(suggestion=suggestion, rating="basically")
    with pytest.raises(TransitionError):
        handling.suggestion_rate(suggestion=suggestion, rating="unsatisfied")
    with pytest.raises(TransitionError):
        handling.suggestion_reopen(suggestion=suggestion, actor=h.staff, note="")


@pytest.mark.parametrize(
    "step",
    [
        lambda h, s: handling.suggestion_accept(suggestion=s, actor=h.staff),
        lambda h, s: handling.suggestion_reject(suggestion=s, actor=h.staff, reason="x"),
        lambda h, s: handling.suggestion_route(
            suggestion=s, actor=h.staff, route="on_site", answer="x"
        ),
        lambda h, s: handling.suggestion_rate(suggestion=s, rating="satisfied"),
        lambda h, s: handling.suggestion_reopen(suggestion=s, actor=h.staff, note="x"),
        lambda h, s: handling.suggestion_close(suggestion=s, actor=h.staff),
        lambda h, s: handling.task_sign(suggestion=s, actor=h.transport_handler),
        lambda h, s: handling.suggestion_urge(suggestion=s, actor=h.staff),
    ],
)
def test_steps_in_the_wrong_state_are_refused(flow, step):
    h = flow
    # A completed (on-site) suggestion: none of these steps applies to it.
    suggestion = handling_route(h, R.ON_SITE, answer="已答复。")
    with pytest.raises((TransitionError, PermissionDenied)):
        step(h, suggestion)
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.COMPLETED


@pytest.mark.parametrize(
    "actor, step",
    [
        ("transport_handler", lambda h, s, a: handling.suggestion_accept(suggestion=s, actor=a)),
        ("supervisor", lambda h, s, a: handling.suggestion_accept(suggestion=s, actor=a)),
        ("rep_user", lambda h, s, a: handling.suggestion_accept(suggestion=s, actor=a)),
        ("outsider", lambda h, s, a: handling.suggestion_accept(suggestion=s, actor=a)),
        ("outsider", lambda h, s, a: handling.suggestion_reject(suggestion=s, actor=a, reason="x")),
    ],
)
def test_only_the_stations_staff_accept(flow, actor, step):
    h = flow
    suggestion = h.submit()
    with pytest.raises(PermissionDenied):
        step(h, suggestion, getattr(h, actor))
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.RECEIVED


@pytest.mark.parametrize(
    "actor", ["staff", "supervisor", "water_handler_other", "outsider", "rep_user"]
)
def test_only_the_lead_departments_handler_completes(flow, actor):
    h = flow
    suggestion = escalated(h)
    handling.task_sign(suggestion=suggestion, actor=h.transport_handler)
    if actor == "water_handler_other":
        # The co-department completes only its own part; the suggestion stays in handling.
        handling.task_sign(suggestion=suggestion, actor=h.water_handler)
        handling.task_complete(
            suggestion=suggestion, actor=h.water_handler, result="配合完成", outcome="A"
        )
        assert Suggestion.objects.get(pk=suggestion.pk).status == S.IN_HANDLING
        return
    with pytest.raises((PermissionDenied, TransitionError)):
        handling.task_complete(
            suggestion=suggestion, actor=getattr(h, actor), result="好", outcome="A"
        )
    assert Suggestion.objects.get(pk=suggestion.pk).status == S.IN_HANDLING


def test_supervisors_urge_and_mark_key_but_do_not_route(flow):
    h = flow
    suggestion = accepted(h)
    with pytest.raises(PermissionDenied):
        handling.suggestion_route(
            suggestion=suggestion, actor=h.supervisor, route="on_site", answer="x"
        )
    handling.suggestion_mark_key(suggestion=suggestion, actor=h.supervisor, supervisor=h.supervisor)
    suggestion.refresh_from_db()
    assert suggestion.is_key and suggestion.key_supervisor == h.supervisor


def test_representatives_add_notes_to_suggestions_addressed_to_them(flow):
    h = flow
    mine = h.submit(addressee=h.network.rep_county)
    handling.suggestion_add_note(suggestion=mine, actor=h.rep_user, note="我已实地查看。")
    assert mine.events.filter(action="note").exists()
    with pytest.raises(PermissionDenied):
        handling.suggestion_add_note(suggestion=h.submit(), actor=h.rep_user, note="x")


def test_a_regions_own_time_limit_wins(flow):
    h = flow
    HandlingTimeLimit.objects.create(region=h.network.jixian, route=R.COUNTY, working_days=5)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        suggestion = escalated(h)
    assert suggestion.deadline == dt.date(2026, 3, 9)


def test_a_deadline_in_an_unpublished_year_is_provisional(flow):
    with time_machine.travel(dt.datetime(2026, 12, 20, 10, tzinfo=dt.UTC), tick=False):
        suggestion = escalated(flow)
    assert suggestion.deadline.year == 2027 and suggestion.deadline_provisional


def test_overdue_is_flagged_and_reminded_once_a_day(flow, django_capture_on_commit_callbacks):
    h = flow
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        suggestion = escalated(h)
        assert not suggestion.is_overdue
    deadline = suggestion.deadline
    day_after = dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC)
    with time_machine.travel(day_after, tick=False):
        suggestion.refresh_from_db()
        assert suggestion.is_overdue
        with django_capture_on_commit_callbacks(execute=True):
            first = remind_overdue()
            again = remind_overdue()
        assert first == 2 and again == 0  # the transport handler and the station staff, once
    with time_machine.travel(day_after + dt.timedelta(days=1), tick=False):
        assert remind_overdue() == 2


def test_revealing_a_phone_is_logged_and_only_for_handlers(flow):
    h = flow
    suggestion = escalated(h)
    assert handling.phone_reveal(suggestion=suggestion, actor=h.transport_handler) == "13812345678"
    assert handling.phone_reveal(suggestion=suggestion, actor=h.staff) == "13812345678"
    assert PhoneAccess.objects.filter(suggestion=suggestion).count() == 2
    for outsider in (h.supervisor, h.rep_user, h.outsider, h.township_handler):
        with pytest.raises(PermissionDenied):
            handling.phone_reveal(suggestion=suggestion, actor=outsider)
    assert PhoneAccess.objects.filter(suggestion=suggestion).count() == 2


def test_bulk_accept_skips_what_moved_on(flow):
    h = flow
    fresh = [h.submit() for _ in range(3)]
    handling.suggestion_reject(suggestion=fresh[0], actor=h.staff, reason="广告")
    assert handling.suggestions_bulk_accept(suggestions=fresh, actor=h.staff) == 2


@pytest.mark.parametrize(
    "routed_on, route, expected",
    [
        # 15 working days over National Day 2025 (days off 10-01..10-08, make-up 09-28, 10-11).
        (dt.datetime(2025, 9, 26, 10, tzinfo=dt.UTC), R.COUNTY, dt.date(2025, 10, 23)),
        # 10 working days over National Day 2026 (days off 10-01..10-07, make-up 10-10).
        (dt.datetime(2026, 9, 28, 10, tzinfo=dt.UTC), R.TOWNSHIP, dt.date(2026, 10, 16)),
    ],
)
def test_deadlines_count_working_days_across_national_day(flow, routed_on, route, expected):
    h = flow
    lead = h.transport if route == R.COUNTY else h.township_gov
    with time_machine.travel(routed_on, tick=False):
        suggestion = handling_route(h, route, lead=lead)
    assert suggestion.deadline == expected and not suggestion.deadline_provisional


def test_due_soon_is_shown_in_the_last_working_days_before_the_deadline(flow, client):
    h = flow
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        suggestion = escalated(h)  # due 2026-03-23, 15 working days later
        assert not suggestion.is_due_soon
    with time_machine.travel(dt.datetime(2026, 3, 18, 10, tzinfo=dt.UTC), tick=False):
        suggestion.refresh_from_db()
        assert suggestion.is_due_soon and not suggestion.is_overdue
        client.force_login(h.staff)
        body = client.get(f"/workbench/suggestions/{suggestion.pk}/").content.decode()
        assert "即将到期" in body
