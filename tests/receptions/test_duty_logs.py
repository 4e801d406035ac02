"""Representatives log held receptions; what visitors raised enters the handling flow."""

import datetime as dt

import pytest
from django.utils import timezone

from receptions.models import Duty, DutyLog, ReceptionDay
from suggestions.models import Suggestion
from suggestions.permissions import scope_of
from suggestions.selectors import inbox


@pytest.fixture
def reception(flow):
    day = ReceptionDay.objects.create(
        station=flow.network.station, date=timezone.localdate(), start_time=dt.time(9),
        end_time=dt.time(11, 30), theme="道路交通",
    )  # fmt: skip
    Duty.objects.create(day=day, representative=flow.network.rep_county, role="representative")
    Duty.objects.create(day=day, representative=flow.network.rep_township, role="leader")
    return day


def log_data(flow, **extra):
    data = {
        "attendees": [flow.network.rep_county.pk, flow.network.rep_township.pk],
        "visitor_batches": 3, "visitors": 7, "summary": "接待群众7人次，反映道路和灌溉问题。",
        "raised-TOTAL_FORMS": "3", "raised-INITIAL_FORMS": "0",
        "raised-0-theme": flow.roads.pk, "raised-0-title": "村道坑洼",
        "raised-0-content": "东村村道坑洼不平，雨天积水。", "raised-0-name": "李四",
        "raised-0-phone": "13912345678",
        "raised-1-theme": flow.roads.pk, "raised-1-title": "路灯不亮",
        "raised-1-content": "村口路灯坏了。",
    }  # fmt: skip
    return data | extra


def test_a_representative_on_duty_logs_the_reception_and_its_suggestions(client, flow, reception):
    client.force_login(flow.rep_user)
    page = client.get(f"/workbench/receptions/{reception.pk}/log/")
    assert page.status_code == 200
    response = client.post(f"/workbench/receptions/{reception.pk}/log/", log_data(flow))
    assert response.status_code == 302
    log = DutyLog.objects.get(day=reception)
    assert (log.visitor_batches, log.visitors, log.recorded_by) == (3, 7, flow.rep_user)
    assert set(log.attendees.all()) == {flow.network.rep_county, flow.network.rep_township}
    reception.refresh_from_db()
    assert reception.status == ReceptionDay.Status.HELD
    raised = Suggestion.objects.filter(reception_day=reception).order_by("pk")
    assert [s.title for s in raised] == ["村道坑洼", "路灯不亮"]
    assert all(s.channel == "reception" and s.addressee == flow.network.rep_county for s in raised)
    assert raised[0].phone == "13912345678" and raised[1].is_anonymous
    # They wait in the station staff's inbox like any other suggestion.
    box = inbox(scope_of(flow.staff), "to_accept", timezone.localdate())
    assert set(raised) <= set(box.suggestions)
    # And the representative follows them.
    assert set(raised) <= set(scope_of(flow.rep_user).visible())


def test_only_those_on_duty_and_the_staff_log(client, flow, reception):
    client.force_login(flow.outsider)
    assert client.get(f"/workbench/receptions/{reception.pk}/log/").status_code == 403
    client.force_login(flow.transport_handler)
    assert (
        client.post(f"/workbench/receptions/{reception.pk}/log/", log_data(flow)).status_code == 403
    )
    client.force_login(flow.staff)
    assert (
        client.post(f"/workbench/receptions/{reception.pk}/log/", log_data(flow)).status_code == 302
    )


def test_a_future_day_cannot_be_logged_and_a_day_only_once(client, flow, reception):
    client.force_login(flow.rep_user)
    reception.date = timezone.localdate() + dt.timedelta(days=3)
    reception.save()
    response = client.post(
        f"/workbench/receptions/{reception.pk}/log/", log_data(flow), follow=True
    )
    assert "接待日当天或之后才能记录" in response.content.decode()
    reception.date = timezone.localdate()
    reception.save()
    client.post(f"/workbench/receptions/{reception.pk}/log/", log_data(flow))
    again = client.post(f"/workbench/receptions/{reception.pk}/log/", log_data(flow), follow=True)
    assert "已经记录过" in again.content.decode()
    assert (
        DutyLog.objects.count() == 1
        and Suggestion.objects.filter(reception_day=reception).count() == 2
    )


def test_bad_numbers_and_half_filled_suggestions_are_refused_with_nothing_saved(
    client, flow, reception
):
    client.force_login(flow.rep_user)
    url = f"/workbench/receptions/{reception.pk}/log/"
    response = client.post(url, log_data(flow, visitors=2))
    assert response.status_code == 400 and "来访人次不能少于批次" in response.content.decode()
    response = client.post(url, log_data(flow, **{"raised-1-title": ""}))
    assert (
        response.status_code == 400
        and "接待中反映的意见建议需要填写此项" in response.content.decode()
    )
    assert (
        not DutyLog.objects.exists()
        and not Suggestion.objects.filter(reception_day=reception).exists()
    )


def test_the_list_flags_past_days_without_a_log(client, flow, reception):
    reception.date = timezone.localdate() - dt.timedelta(days=2)
    reception.save()
    client.force_login(flow.staff)
    body = client.get("/workbench/receptions/").content.decode()
    assert "尚未记录" in body and "记录本次接待" in body
