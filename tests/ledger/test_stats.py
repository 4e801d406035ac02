"""Statistics: the reported numbers on a known network, summaries against live counts, who may
read which dashboard, and the printable monthly report."""

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.templatetags.static import static
from django.urls import reverse

from ledger.models import RegionMonthSummary, SummaryMonth
from ledger.statistics import charts
from ledger.statistics.dashboard import station_stats
from ledger.statistics.measures import SUMMARY_FIELDS
from ledger.statistics.periods import WorkingDayIndex
from ledger.statistics.summaries import months_changed_since, refresh_statistics
from receptions.models import Duty, DutyLog, ReceptionDay
from suggestions import handling
from suggestions.models import Suggestion
from suggestions.services import Submission, suggestion_submit
from tests.factories import make_user
from workdays.selectors import working_days_between

CST = ZoneInfo("Asia/Shanghai")
S = Suggestion.Status
R = Suggestion.Route
MARCH, APRIL, MAY = dt.date(2025, 3, 1), dt.date(2025, 4, 1), dt.date(2025, 5, 1)
TODAY = dt.datetime(2025, 5, 20, 10, 0, tzinfo=CST)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Coverage of big regions is cached for ten minutes; every test starts without it.
    cache.clear()
    yield
    cache.clear()


def at(day: dt.date, hour: int = 10):
    return time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=CST), tick=False)


class Known:
    """Handles on the suggestions of the known fixture."""


@pytest.fixture
def known(flow, settings):
    """Zhongduo's March and April 2025, every number worked out by hand in the tests below.

    station (with its points):        s1 on site → closed, satisfied
      s2 township, on time → closed, basically     s3 county, late → fed back, not satisfied
      s4 not accepted   s5 merged into s2   s6 county, still assigned (overdue by May)
      s7 raised at the 10 March reception, untouched   s11 on site → not satisfied → reopened
      s8 (April, at the Bai'e point) explained and declined
    other station (Tunli, same county): s9 (April), received only
    """
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    h, n, staff = flow, flow.network, flow.staff
    k = Known()

    def submit(channel="qr", station=None, **extra):
        data = {
            "theme": h.roads, "title": "白额村田间道路被冲毁",
            "content": "七月暴雨后道路被冲毁。", "name": "张三", "phone": "13812345678", **extra,
        }  # fmt: skip
        return suggestion_submit(
            station=station or n.station, submission=Submission(**data), channel=channel
        ).suggestion

    def accept(s):
        return handling.suggestion_accept(suggestion=s, actor=staff)

    def on_site(s):
        return handling.suggestion_route(
            suggestion=accept(s), actor=staff, route=R.ON_SITE, answer="已当场答复。"
        )

    def feedback_and_rate(s, rating):
        handling.suggestion_feedback(suggestion=s, actor=staff, method="phone", note="电话告知。")
        return handling.suggestion_rate(suggestion=s, rating=rating)

    with at(dt.date(2025, 3, 3)):  # a Monday
        k.s1 = feedback_and_rate(on_site(submit()), "satisfied")
        k.s2 = handling.suggestion_route(
            suggestion=accept(submit()), actor=staff, route=R.TOWNSHIP, lead=h.township_gov
        )
        handling.task_sign(suggestion=k.s2, actor=h.township_handler)
        k.s3 = handling.suggestion_route(
            suggestion=accept(submit(channel="web")), actor=staff, route=R.COUNTY,
            lead=h.transport,
        )  # fmt: skip
        handling.task_sign(suggestion=k.s3, actor=h.transport_handler)
        k.s4 = handling.suggestion_reject(suggestion=submit(), actor=staff, reason="广告。")
        k.s5 = handling.suggestion_merge(suggestion=submit(), actor=staff, original=k.s2)
        k.s6 = handling.suggestion_route(
            suggestion=accept(submit(channel="walk_in")), actor=staff, route=R.COUNTY,
            lead=h.water,
        )  # fmt: skip
        k.s11 = feedback_and_rate(on_site(submit()), "unsatisfied")
        handling.suggestion_reopen(suggestion=k.s11, actor=staff, note="再办一次。")
    with at(dt.date(2025, 3, 7)):
        handling.task_complete(
            suggestion=k.s2, actor=h.township_handler, result="已修复。", outcome="A"
        )
        k.s2 = feedback_and_rate(Suggestion.objects.get(pk=k.s2.pk), "basically")
    with at(dt.date(2025, 3, 10), 15):
        k.day = ReceptionDay.objects.create(
            station=n.station, date=dt.date(2025, 3, 10), start_time=dt.time(9),
            end_time=dt.time(12), theme="道路交通", status=ReceptionDay.Status.HELD,
        )  # fmt: skip
        Duty.objects.create(day=k.day, representative=n.rep_county, role="representative")
        Duty.objects.create(day=k.day, representative=n.rep_township, role="representative")
        DutyLog.objects.create(
            day=k.day, recorded_by=h.rep_user, visitor_batches=3, visitors=7, summary="接待群众。"
        )
        k.s7 = suggestion_submit(
            station=n.station,
            submission=Submission(theme=h.roads, title="路灯不亮", content="村口路灯坏了。"),
            channel="reception",
            reception_day=k.day,
        ).suggestion
        # Planned, not held: counts nowhere.
        planned = ReceptionDay.objects.create(
            station=n.station, date=dt.date(2025, 4, 10), start_time=dt.time(9),
            end_time=dt.time(12),
        )  # fmt: skip
        Duty.objects.create(day=planned, representative=n.rep_county, role="representative")
    with at(dt.date(2025, 4, 8)):
        k.s8 = handling.suggestion_route(
            suggestion=accept(submit(station=n.point_baie)), actor=staff, route=R.EXPLAINED,
            answer="属于法院管辖。", decided_by="中垛乡人民政府", refer_to="吉县人民法院",
        )  # fmt: skip
        k.s9 = submit(channel="phone", station=n.other_station)
    with at(dt.date(2025, 4, 15)):
        handling.task_complete(
            suggestion=k.s3, actor=h.transport_handler, result="已列入计划。", outcome="B"
        )
        k.s3 = feedback_and_rate(Suggestion.objects.get(pk=k.s3.pk), "unsatisfied")
    k.h, k.n = h, n
    return k


def test_a_stations_numbers_match_the_hand_count(known):
    k = known
    with at(TODAY.date()):
        stats = station_stats(station=k.n.station, start=MARCH, end=dt.date(2025, 4, 30))

    # Received 9 (s9 is another station's); 1 not accepted, 1 merged, 4 finished.
    assert (stats.received, stats.rejected, stats.merged, stats.completed) == (9, 1, 1, 4)
    assert stats.pending == 3  # s6 assigned, s7 received, s11 reopened
    assert stats.overdue == 1  # s6: due 24 March
    assert stats.handling_rate.value == pytest.approx(4 / (9 - 1 - 1))
    assert str(stats.handling_rate) == "57.1%"
    # Deadlines only on the township and county routes: s2 on time, s3 late.
    assert (stats.on_time_rate.numerator, stats.on_time_rate.denominator) == (1, 2)
    assert stats.rated == 3
    assert stats.satisfaction_rate.value == pytest.approx(2 / 3)
    assert {f.key: f.count for f in stats.ratings} == {
        "satisfied": 1, "basically": 1, "unsatisfied": 1,
    }  # fmt: skip
    assert {f.key: f.count for f in stats.routes} == {
        "on_site": 1, "township": 1, "county": 2, "explained": 1,
    }  # fmt: skip
    assert {f.key: f.count for f in stats.outcomes} == {"A": 2, "B": 1, "C": 0, "D": 1}
    assert {f.key: f.count for f in stats.channels} == {
        "qr": 6, "web": 1, "walk_in": 1, "phone": 0, "reception": 1,
    }  # fmt: skip
    assert stats.reopened == 1
    assert stats.raised == 1  # s7, raised at the reception

    days = [0, 4, working_days_between(dt.date(2025, 3, 3), dt.date(2025, 4, 15)), 0]
    assert days[2] == 30  # 20 in March after the 3rd, 10 in April (Qingming, 4 April, off)
    assert stats.average_working_days == round(sum(days) / 4, 1)
    assert stats.days_counted == 4

    march, april = stats.by_month
    assert (march.month, march.received, march.completed) == (MARCH, 8, 3)
    assert (march.receptions_held, march.visitors) == (1, 7)  # the 10 March reception
    assert (april.receptions_held, april.visitors) == (0, 0)
    assert march.handling_rate.value == pytest.approx(3 / 6)
    assert (april.received, april.completed, april.handling_rate.value) == (1, 1, 1.0)
    assert [(r.label, r.received, r.completed, r.overdue) for r in stats.by_theme] == [
        ("道路交通", 9, 4, 1)
    ]
    assert {(r.label, r.received, r.completed, r.overdue) for r in stats.by_department} == {
        ("中垛乡人民政府", 1, 1, 0), ("吉县交通运输局", 1, 1, 0), ("吉县水利局", 1, 0, 1),
    }  # fmt: skip

    assert (stats.receptions_held, stats.visitor_batches, stats.visitors) == (1, 3, 7)
    assert (stats.duties_done, stats.receptions_logged) == (2, 1)
    # Bai'e has a point with a point leader; Dongcun's point has nobody assigned.
    assert (stats.coverage.covered, stats.coverage.total) == (1, 2)
    reps = {r.name: (r.duties_done, r.suggestions_raised, r.receptions_logged)
            for r in stats.representatives}  # fmt: skip
    assert reps == {"王建国": (1, 1, 1), "李秀英": (1, 1, 0)}


def _without_source(stats):
    return dataclasses.replace(stats, summarised_months=[], summaries_refreshed=None)


def test_summaries_give_the_same_numbers_as_counting_live(known):
    k = known
    county = k.n.jixian
    with at(TODAY.date()):
        assert refresh_statistics(now=TODAY) != []
        live = station_stats(region=county, start=MARCH, end=dt.date(2025, 4, 30),
                             use_summaries=False)  # fmt: skip
        summed = station_stats(region=county, start=MARCH, end=dt.date(2025, 4, 30))
    assert summed.summarised_months == [MARCH, APRIL]
    assert live.summarised_months == []
    assert _without_source(summed) == _without_source(live)
    assert live.received == 10  # Tunli's s9 counts in the county
    # The province's row holds the same months as the county's (no other county has any).
    province = RegionMonthSummary.objects.get(region=k.n.shanxi, month=MARCH)
    county_row = RegionMonthSummary.objects.get(region=county, month=MARCH)
    assert all(getattr(province, f) == getattr(county_row, f) for f in SUMMARY_FIELDS)


def test_the_current_month_is_summarised_up_to_yesterday_and_today_counted_live(known):
    k = known
    with at(dt.date(2025, 5, 5)):
        handling.suggestion_accept(
            suggestion=k.h.submit(title="五月初的建议", station=k.n.other_station),
            actor=k.h.outsider,
        )
    with at(TODAY.date()):
        assert MAY in refresh_statistics(now=TODAY)
        assert SummaryMonth.objects.get(month=MAY).until == TODAY.date()
        suggestion_submit(
            station=k.n.station,
            submission=Submission(theme=k.h.roads, title="五月的新建议", content="内容。"),
            channel="web",
        )
        live = station_stats(region=k.n.jixian, start=MARCH, end=dt.date(2025, 5, 31),
                             use_summaries=False)  # fmt: skip
        summed = station_stats(region=k.n.jixian, start=MARCH, end=dt.date(2025, 5, 31))
    assert summed.summarised_months == [MARCH, APRIL, MAY]
    assert summed.by_month[-1].received == 2  # 5 May from the summary, today's live
    assert _without_source(summed) == _without_source(live)


def test_the_ten_minute_refresh_rebuilds_only_the_months_that_changed(known):
    k = known
    with at(TODAY.date()):
        refresh_statistics(now=TODAY)
        # Read (and cache) the summaries before the change: the refresh must not leave it stale.
        before = station_stats(region=k.n.jixian, start=MARCH, end=dt.date(2025, 4, 30))
        assert before.overdue == 1
    later = TODAY + dt.timedelta(minutes=10)
    with time_machine.travel(later - dt.timedelta(minutes=5), tick=False):
        # The water bureau finally finishes s6, a March suggestion.
        handling.task_sign(suggestion=k.s6, actor=k.h.water_handler)
        handling.task_complete(
            suggestion=k.s6, actor=k.h.water_handler, result="已解决。", outcome="A"
        )
    with time_machine.travel(later, tick=False):
        assert months_changed_since(TODAY) == {MARCH}
        assert refresh_statistics(now=later) == [MARCH]
        live = station_stats(region=k.n.jixian, start=MARCH, end=dt.date(2025, 4, 30),
                             use_summaries=False)  # fmt: skip
        summed = station_stats(region=k.n.jixian, start=MARCH, end=dt.date(2025, 4, 30))
    assert summed.summarised_months == [MARCH, APRIL]
    assert summed.overdue == 0 and summed.completed == 5
    assert _without_source(summed) == _without_source(live)


def test_the_first_refresh_of_a_day_rebuilds_every_month(known):
    with at(TODAY.date()):
        refresh_statistics(now=TODAY, months=3)
    assert set(SummaryMonth.objects.values_list("month", flat=True)) == {
        dt.date(2025, 2, 1), MARCH, APRIL, MAY,
    }  # fmt: skip
    tomorrow = TODAY + dt.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        everything = [dt.date(2025, 2, 1), MARCH, APRIL, MAY]
        assert refresh_statistics(now=tomorrow, months=3) == everything
        assert refresh_statistics(now=tomorrow + dt.timedelta(minutes=10), months=3) == []


def test_the_working_day_index_agrees_with_the_calendar(db):
    index = WorkingDayIndex(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    for start, end in [
        ((2025, 1, 1), (2025, 2, 10)),  # across the Spring Festival and its make-up days
        ((2025, 4, 30), (2025, 5, 12)),
        ((2025, 9, 28), (2025, 10, 9)),
        ((2025, 6, 6), (2025, 6, 6)),
        ((2025, 6, 9), (2025, 6, 6)),
    ]:
        a, b = dt.date(*start), dt.date(*end)
        assert index.between(a, b) == working_days_between(a, b)


# --- the pages ----------------------------------------------------------------------------


def test_station_staff_see_their_station_and_no_other(known, client):
    k = known
    client.force_login(k.h.staff)
    with at(TODAY.date()):
        mine = client.get(reverse("stats:dashboard"), {"start": "2025-03", "end": "2025-04"})
        assert mine.status_code == 200
        assert mine.context["stats"].received == 9
        other = client.get(reverse("stats:dashboard"), {"station": k.n.other_station.code})
        assert other.status_code == 404
        region = client.get(reverse("stats:dashboard"), {"region": k.n.jixian.pk})
        assert region.status_code == 404
        report = client.get(reverse("stats:report", args=[k.n.other_station.code, "2025", "03"]))
        assert report.status_code == 404


def test_the_other_stations_staff_cannot_read_zhongduo(known, client):
    k = known
    client.force_login(k.h.outsider)
    with at(TODAY.date()):
        assert (
            client.get(reverse("stats:dashboard"), {"station": k.n.station.code}).status_code == 404
        )
        assert (
            client.get(reverse("stats:report", args=[k.n.station.code, "2025", "03"])).status_code
            == 404
        )
        own = client.get(reverse("stats:dashboard"), {"start": "2025-03", "end": "2025-04"})
    assert own.context["stats"].received == 1  # Tunli's s9 only


def test_people_without_a_station_or_region_are_refused(known, client):
    client.force_login(known.h.transport_handler)
    assert client.get(reverse("stats:dashboard")).status_code == 403
    client.logout()
    assert client.get(reverse("stats:dashboard")).status_code == 302


def test_a_supervisor_reads_the_county_from_summaries_in_bounded_queries(
    known, client, django_assert_max_num_queries
):
    k = known
    with at(TODAY.date()):
        refresh_statistics(now=TODAY)
        client.force_login(k.h.supervisor)
        with django_assert_max_num_queries(30):
            response = client.get(
                reverse("stats:dashboard"), {"start": "2025-03", "end": "2025-05"}
            )
    assert response.status_code == 200
    stats = response.context["stats"]
    assert stats.label == "吉县" and stats.received == 10
    assert stats.summarised_months == [MARCH, APRIL, MAY]
    html = response.content.decode()
    assert "<svg" in html and "<title" in html and 'role="img"' in html
    assert "中垛乡" in html  # drill-down to the townships


def test_a_supervisor_cannot_read_outside_their_regions(known, client):
    k = known
    outside = k.n.jilin
    client.force_login(k.h.supervisor)
    assert client.get(reverse("stats:dashboard"), {"region": outside.pk}).status_code == 404
    assert (
        client.get(reverse("stats:dashboard"), {"station": k.n.other_station.code}).status_code
        == 200
    )


def test_the_station_dashboard_stays_within_a_fixed_number_of_queries(
    known, client, django_assert_max_num_queries
):
    client.force_login(known.h.staff)
    with at(TODAY.date()), django_assert_max_num_queries(30):
        response = client.get(
            reverse("stats:dashboard"),
            {"station": known.n.station.code, "start": "2025-03", "end": "2025-04"},
        )
    assert response.status_code == 200
    assert reverse("stats:report", args=[known.n.station.code, "2025", "03"]) in (
        response.content.decode()
    )


def test_a_bad_period_falls_back_to_the_last_twelve_months(known, client):
    client.force_login(known.h.staff)
    with at(TODAY.date()):
        response = client.get(reverse("stats:dashboard"), {"start": "2025-13", "end": "x"})
    assert response.status_code == 200
    assert response.context["stats"].start == dt.date(2024, 6, 1)
    assert response.context["stats"].end == dt.date(2025, 5, 31)


def test_the_printable_monthly_report_renders(known, client, django_assert_max_num_queries):
    k = known
    client.force_login(k.h.staff)
    # Session, the second factor's device and scope (8), the figures (20), the working-day
    # calendar (2), the receptions with their rota and the suggestions (4): a fixed number,
    # however many rows the month has.
    with at(TODAY.date()), django_assert_max_num_queries(34):
        response = client.get(reverse("stats:report", args=[k.n.station.code, "2025", "03"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{static("css/report.css")}"' in html
    assert "@page { size: A4" in Path(finders.find("css/report.css")).read_text()
    assert k.s2.display_tracking_code in html and k.s9.display_tracking_code not in html
    assert "王建国" in html  # on duty at the 10 March reception
    assert "13812345678" not in html
    stats = response.context["stats"]
    assert (stats.received, stats.receptions_held, stats.visitors) == (8, 1, 7)
    assert (
        client.get(reverse("stats:report", args=[k.n.station.code, "2025", "13"])).status_code
        == 404
    )


def test_charts_escape_labels_and_read_out_their_values():
    svg = charts.stacked_bar(title="满意度 <b>", shares=[("满意", 3), ("<script>", 1)])
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "满意: 3 (75.0%)" in svg
    empty = charts.grouped_bars(title="t", categories=["2025-03"], series=[("a", [0])])
    assert 'role="img"' in empty


def test_a_superuser_sees_every_top_region(known, client):
    client.force_login(make_user("root2", superuser=True))
    with at(TODAY.date()):
        response = client.get(reverse("stats:dashboard"), {"start": "2025-03", "end": "2025-04"})
    assert response.status_code == 200
    assert response.context["stats"].received == 10
