"""The public notice of reception days, the poster, staff moving and cancelling a day, and the
calendar feeds a phone subscribes to."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from receptions.models import Duty, ReceptionDay, ReceptionRule
from receptions.selectors import describe_rule, station_schedule_summary
from receptions.services import reception_day_cancel, reception_day_move, reception_days_generate
from representatives.models import Representative
from tests.factories import assign, make_representative
from workdays.selectors import forget_snapshot

SHANGHAI = ZoneInfo("Asia/Shanghai")
PROVISIONAL_NOTE = (
    "The official holiday arrangements for %(year)s are not published yet, so this date may "
    "still change."
)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(autouse=True)
def today():
    """22 November 2026, 10:00 in China; the clock moves so that changes get later stamps."""
    forget_snapshot()
    with time_machine.travel(dt.datetime(2026, 11, 22, 10, tzinfo=SHANGHAI), tick=False) as t:
        yield t
    forget_snapshot()


@pytest.fixture
def zhongduo(network):
    """Zhongduo's rule (the 10th, moved on holidays) and its three days up to February 2027."""
    rule = ReceptionRule.objects.create(
        station=network.station, kind=ReceptionRule.Kind.MONTHLY_DAY, day_of_month=10,
        start_time=dt.time(9), end_time=dt.time(11, 30), start_date=d("2026-01-01"),
        place="乡政府一楼接待室", default_theme="道路交通",
    )  # fmt: skip
    reception_days_generate()
    december, january, february = ReceptionDay.objects.filter(station=network.station)
    Duty.objects.create(day=december, representative=network.rep_county, role="representative")
    Duty.objects.create(day=december, representative=network.rep_township, role="leader")
    return rule, december, january, february


def zh(message: str, **values) -> str:
    """What the Chinese page says for `message`, translated or not (yet)."""
    with translation.override("zh-hans"):
        return translation.gettext(message) % values if values else translation.gettext(message)


# --- The station page -------------------------------------------------------------------------


def test_the_station_page_lists_the_next_reception_days_with_who_is_on_duty(
    client, network, zhongduo
):
    rule, december, january, february = zhongduo
    response = client.get(network.station.get_absolute_url())
    assert response.context["page"].reception_days == [december, january, february]
    body = response.content.decode()
    assert "2026年12月10日 星期四" in body and "09:00–11:30" in body
    assert "乡政府一楼接待室" in body and "道路交通" in body
    assert f'<a href="{network.rep_county.get_absolute_url()}">王建国</a>' in body
    assert f'<a href="{network.rep_township.get_absolute_url()}">李秀英</a>' in body
    with translation.override("zh-hans"):
        assert describe_rule(rule) in body
    assert reverse("receptions:station_ics", args=[network.station.code]) in body


def test_provisional_days_carry_a_badge_and_a_short_explanation(client, network, zhongduo):
    body = client.get(network.station.get_absolute_url()).content.decode()
    # January and February 2027 are worked out from an estimate of 2027's holidays.
    assert body.count("reception-provisional") == 2
    assert zh(PROVISIONAL_NOTE, year=2027) in body
    assert "2027年1月11日 星期一" in body


def test_a_moved_or_cancelled_day_shows_its_reason_to_the_public(
    client, network, zhongduo, station_staff, today
):
    _rule, december, january, february = zhongduo
    today.shift(dt.timedelta(hours=1))
    reception_day_move(
        day=january, actor=station_staff, new_date=d("2027-01-14"), reason="乡人代会召开，改期"
    )
    reception_day_cancel(day=february, actor=station_staff, reason="春节期间暂停一次")
    january.refresh_from_db()
    assert (january.date, january.moved_by_staff, january.provisional) == (
        d("2027-01-14"),
        True,
        False,
    )

    body = client.get(network.station.get_absolute_url()).content.decode()
    assert "乡人代会召开，改期" in body and "2027年1月14日" in body
    assert "春节期间暂停一次" in body
    assert 'data-status="cancelled"' in body
    # Regeneration leaves both alone.
    assert reception_days_generate() == 0
    assert ReceptionDay.objects.get(pk=january.pk).date == d("2027-01-14")


def test_moving_or_cancelling_needs_a_reason_and_the_station(
    network, zhongduo, station_staff, other_station_staff
):
    _rule, december, _january, _february = zhongduo
    with pytest.raises(ValidationError) as error:
        reception_day_cancel(day=december, actor=station_staff, reason="  ")
    assert "change_reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        reception_day_cancel(day=december, actor=other_station_staff, reason="临时有事")
    with pytest.raises(ValidationError):
        reception_day_move(day=december, actor=station_staff, new_date=d("2026-11-01"), reason="x")
    reception_day_cancel(day=december, actor=station_staff, reason="临时有事")
    with pytest.raises(ValidationError):
        reception_day_move(day=december, actor=station_staff, new_date=d("2026-12-11"), reason="x")


def test_the_station_page_runs_in_a_constant_number_of_queries_whatever_the_rota(
    client, network, zhongduo, django_assert_max_num_queries
):
    client.get(network.station.get_absolute_url())  # warm the calendar snapshot
    with django_assert_max_num_queries(7) as few:  # 4 for the page, 3 for reception days
        client.get(network.station.get_absolute_url())
    levels = list(Representative.Level)
    for day in ReceptionDay.objects.all():
        for i in range(12):
            rep = make_representative(f"值班代表{day.pk}-{i:02d}", levels[i % len(levels)])
            assign(rep, network.station)
            Duty.objects.create(day=day, representative=rep, role="representative")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(network.station.get_absolute_url())
    assert (
        sum(len(day.representatives_on_duty) for day in response.context["page"].reception_days)
        == 37
    )


def test_a_station_without_reception_days_says_so(client, network):
    response = client.get(network.station.get_absolute_url())
    assert response.context["page"].reception_days == []
    assert response.context["page"].reception is None
    assert zh("No reception days are scheduled yet.") in response.content.decode()


# --- The poster ---------------------------------------------------------------------------------


def test_the_poster_shows_the_rule_and_the_next_date(client, network, zhongduo):
    rule, december, *_ = zhongduo
    with translation.override("en"):
        assert station_schedule_summary(network.station).rule == (
            "On day 10 of every month, moved to the next working day on holidays"
        )
    response = client.get(reverse("stations:poster", args=[network.station.code]))
    reception = response.context["reception"]
    assert (reception.next_date, reception.next_start) == (d("2026-12-10"), dt.time(9))
    body = response.content.decode()
    with translation.override("zh-hans"):
        assert describe_rule(rule) in body
    assert "2026年12月10日" in body and "09:00–11:30" in body


def test_the_poster_works_out_the_next_date_before_any_day_is_generated(client, network):
    ReceptionRule.objects.create(
        station=network.station, kind=ReceptionRule.Kind.NTH_WEEKDAY, week_of_month=3,
        weekday=1, start_time=dt.time(14, 30), end_time=dt.time(17), start_date=d("2026-01-01"),
    )  # fmt: skip
    reception = client.get(reverse("stations:poster", args=[network.station.code])).context[
        "reception"
    ]
    assert (reception.next_date, reception.next_start) == (d("2026-12-15"), dt.time(14, 30))
    assert ReceptionDay.objects.count() == 0


def test_the_poster_skips_cancelled_days(network, zhongduo, station_staff):
    _rule, december, january, _february = zhongduo
    reception_day_cancel(day=december, actor=station_staff, reason="临时有事")
    assert station_schedule_summary(network.station).next_date == january.date
    upcoming = list(ReceptionDay.objects.filter(pk=december.pk))
    summary = station_schedule_summary(network.station, upcoming=upcoming)
    assert summary.next_date == january.date


# --- Calendar feeds -----------------------------------------------------------------------------


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def test_the_station_feed_is_a_calendar_with_one_event_per_day(
    client, network, zhongduo, station_staff
):
    _rule, december, _january, february = zhongduo
    reception_day_cancel(day=february, actor=station_staff, reason="春节期间暂停一次")
    calendar = parse(client.get(f"/receptions/stations/{network.station.code}.ics"))

    assert calendar["VERSION"] == "2.0" and "liaison" in calendar["PRODID"]
    assert calendar["X-WR-TIMEZONE"] == "Asia/Shanghai"
    assert "中垛乡人大代表联络站" in calendar["X-WR-CALNAME"]
    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Asia/Shanghai"
    [standard] = timezone.walk("STANDARD")
    assert standard["TZOFFSETTO"].td == dt.timedelta(hours=8)

    events = calendar.walk("VEVENT")
    assert [e["UID"] for e in events] == [
        f"reception-{day.pk}@testserver" for day in ReceptionDay.objects.order_by("date")
    ]
    first = events[0]
    assert first["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert first["DTSTART"].dt == dt.datetime(2026, 12, 10, 9, tzinfo=SHANGHAI)
    assert first["DTEND"].dt == dt.datetime(2026, 12, 10, 11, 30, tzinfo=SHANGHAI)
    assert first["LOCATION"] == "乡政府一楼接待室"
    assert "中垛乡人大代表联络站" in first["SUMMARY"] and "道路交通" in first["SUMMARY"]
    assert "王建国" in first["DESCRIPTION"] and "李秀英" in first["DESCRIPTION"]
    assert first["STATUS"] == "CONFIRMED" and "DTSTAMP" in first
    assert events[1]["STATUS"] == "TENTATIVE"  # provisional
    assert events[2]["STATUS"] == "CANCELLED"
    assert "春节期间暂停一次" in events[2]["DESCRIPTION"]
    assert (
        b"DTSTART;TZID=Asia/Shanghai:20261210T090000"
        in client.get(
            reverse("receptions:station_ics", args=[network.station.code.lower()])
        ).content
    )


def test_an_event_keeps_its_uid_and_raises_its_sequence_when_it_changes(
    client, network, zhongduo, station_staff, today
):
    _rule, december, *_ = zhongduo
    url = reverse("receptions:station_ics", args=[network.station.code])
    before = parse(client.get(url)).walk("VEVENT")[0]
    today.shift(dt.timedelta(minutes=5))
    reception_day_move(day=december, actor=station_staff, new_date=d("2026-12-11"), reason="停电")
    after = parse(client.get(url)).walk("VEVENT")[0]
    assert after["UID"] == before["UID"]
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"]) == 0
    assert after["DTSTART"].dt.date() == d("2026-12-11")


def test_a_representatives_feed_holds_their_duties_only(client, network, zhongduo):
    _rule, december, *_ = zhongduo
    calendar = parse(client.get(f"/receptions/representatives/{network.rep_county.code}.ics"))
    assert [e["UID"] for e in calendar.walk("VEVENT")] == [f"reception-{december.pk}@testserver"]
    assert "王建国" in calendar["X-WR-CALNAME"]
    other = make_representative("赵六")
    assert parse(client.get(f"/receptions/representatives/{other.code}.ics")).walk("VEVENT") == []


def test_feeds_of_unknown_or_inactive_stations_and_representatives_are_404(client, network):
    assert client.get("/receptions/stations/NOPE99.ics").status_code == 404
    assert client.get("/receptions/representatives/NOPE99.ics").status_code == 404
    network.other_station.is_active = False
    network.other_station.save()
    assert client.get(f"/receptions/stations/{network.other_station.code}.ics").status_code == 404


def test_the_profile_links_the_representatives_feed(client, network):
    body = client.get(network.rep_county.get_absolute_url()).content.decode()
    assert reverse("receptions:representative_ics", args=[network.rep_county.code]) in body
    assert zh("Subscribe to the calendar") in body


# --- The admin --------------------------------------------------------------------------------


def test_staff_cancel_and_move_days_in_the_admin_with_a_public_reason(
    client, network, zhongduo, station_staff
):
    from django.contrib.auth.models import Permission

    station_staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="receptions",
            codename__in=["view_receptionday", "change_receptionday"],
        )
    )
    client.force_login(station_staff)
    _rule, december, january, _february = zhongduo
    changelist = reverse("admin:receptions_receptionday_changelist")
    assert client.get(changelist).status_code == 200

    asked = client.post(changelist, {"action": "cancel_days", "_selected_action": [december.pk]})
    assert asked.status_code == 200 and "reason" in asked.context["form"].fields
    done = client.post(
        changelist,
        {
            "action": "cancel_days",
            "_selected_action": [december.pk],
            "apply": "1",
            "reason": "临时有事",
        },
    )
    assert done.status_code == 302
    december.refresh_from_db()
    assert (december.status, december.change_reason) == ("cancelled", "临时有事")

    client.post(
        changelist,
        {
            "action": "move_day", "_selected_action": [january.pk], "apply": "1",
            "new_date": "2027-01-13", "reason": "与乡人代会冲突",
        },
    )  # fmt: skip
    january.refresh_from_db()
    assert (january.date, january.change_reason, january.moved_by_staff) == (
        d("2027-01-13"), "与乡人代会冲突", True,
    )  # fmt: skip


def test_staff_see_only_their_stations_days_in_the_admin(
    client, network, zhongduo, other_station_staff
):
    from django.contrib.auth.models import Permission

    other_station_staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="receptions", codename="view_receptionday"
        )
    )
    client.force_login(other_station_staff)
    response = client.get(reverse("admin:receptions_receptionday_changelist"))
    assert response.context["cl"].result_count == 0


def test_the_rule_admin_generates_days_now(admin_client_, network):
    rule = ReceptionRule.objects.create(
        station=network.other_station, kind=ReceptionRule.Kind.MONTHLY_DAY, day_of_month=20,
        start_time=dt.time(9), end_time=dt.time(11), start_date=d("2026-01-01"),
    )  # fmt: skip
    admin_client_.post(
        reverse("admin:receptions_receptionrule_changelist"),
        {"action": "generate_days_now", "_selected_action": [rule.pk]},
    )
    assert ReceptionDay.objects.filter(rule=rule).count() == 3


def test_the_rule_admin_refuses_an_incomplete_rule(admin_client_, network):
    response = admin_client_.post(
        reverse("admin:receptions_receptionrule_add"),
        {
            "station": network.station.pk, "is_active": "on", "start_date": "2026-01-01",
            "kind": "nth_weekday", "interval_months": "1", "holiday_policy": "next",
            "start_time": "09:00", "end_time": "11:00", "duty_representatives": "2",
            "duty_leaders": "1", "week_of_month": "3",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "weekday" in response.context["adminform"].form.errors
    assert ReceptionRule.objects.count() == 0
