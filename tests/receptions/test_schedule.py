"""When reception days fall: rules across real Chinese holidays, generation ahead of time, and
following the holiday calendar as staff enter the State Council's notice for 2027."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from liaison.months import add_months
from receptions.models import Duty, DutyLog, ReceptionDay, ReceptionRule
from receptions.schedule import nominal_dates, nth_weekday, occurrences, rule_errors
from receptions.selectors import describe_rule
from receptions.services import GenerationReport, reception_days_generate
from receptions.tasks import generate_reception_days
from tests.factories import make_user
from workdays.models import DayOverride, PublishedYear
from workdays.selectors import forget_snapshot
from workdays.services import override_save, published_year_save

Kind = ReceptionRule.Kind
Policy = ReceptionRule.HolidayPolicy
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOTICE_2027 = "国务院办公厅关于2027年部分节假日安排的通知"


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def on(day: str, hour: int = 10):
    """Travel to `day` at `hour` o'clock in China, with the clock standing still."""
    return time_machine.travel(
        dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Calendar writes in a test are rolled back behind the snapshot's back: start and end
    without one."""
    forget_snapshot()
    yield
    forget_snapshot()


def rule(**fields) -> ReceptionRule:
    """An unsaved rule: the schedule functions read fields only."""
    defaults = dict(
        kind=Kind.MONTHLY_DAY, day_of_month=10, holiday_policy=Policy.NEXT_WORKING_DAY,
        start_time=dt.time(9), end_time=dt.time(11, 30), start_date=d("2024-01-01"),
    )  # fmt: skip
    return ReceptionRule(**{**defaults, **fields})


def moved(r: ReceptionRule, first: str, last: str) -> list[tuple[dt.date, dt.date | None]]:
    return [(o.nominal, o.date) for o in occurrences(r, d(first), d(last))]


# --- Nominal dates ------------------------------------------------------------------------------


def test_a_short_month_uses_its_last_day():
    assert nominal_dates(rule(day_of_month=31), d("2026-01-01"), d("2026-04-30")) == [
        d("2026-01-31"), d("2026-02-28"), d("2026-03-31"), d("2026-04-30"),
    ]  # fmt: skip
    assert nominal_dates(rule(day_of_month=30), d("2028-02-01"), d("2028-02-29")) == [
        d("2028-02-29")
    ]
    assert add_months(d("2026-11-30"), 3) == d("2027-02-28")


def test_tuesday_of_the_third_week_is_the_third_tuesday():
    wuxi = rule(kind=Kind.NTH_WEEKDAY, day_of_month=None, week_of_month=3, weekday=1)
    assert nominal_dates(wuxi, d("2026-01-01"), d("2026-06-30")) == [
        d("2026-01-20"), d("2026-02-17"), d("2026-03-17"), d("2026-04-21"), d("2026-05-19"),
        d("2026-06-16"),
    ]  # fmt: skip
    assert all(day.weekday() == 1 for day in nominal_dates(wuxi, d("2026-01-01"), d("2026-12-31")))


def test_the_last_weekday_and_a_missing_fifth_weekday():
    assert nth_weekday(2026, 2, -1, 4) == d("2026-02-27")  # last Friday
    assert nth_weekday(2026, 3, 5, 1) == d("2026-03-31")  # March 2026 has five Tuesdays
    assert nth_weekday(2026, 2, 5, 1) is None  # February 2026 has four
    fifth = rule(kind=Kind.NTH_WEEKDAY, week_of_month=5, weekday=1)
    assert nominal_dates(fifth, d("2026-02-01"), d("2026-03-31")) == [d("2026-03-31")]


def test_every_two_months_counts_from_the_start_dates_month():
    liaoyuan = rule(
        kind=Kind.EVERY_K_MONTHS, day_of_month=15, interval_months=2, start_date=d("2025-11-20")
    )
    assert nominal_dates(liaoyuan, d("2026-01-01"), d("2026-12-31")) == [
        d("2026-01-15"), d("2026-03-15"), d("2026-05-15"), d("2026-07-15"), d("2026-09-15"),
        d("2026-11-15"),
    ]  # fmt: skip
    # The start month's own date is before the start date: the first reception is in January.
    assert nominal_dates(liaoyuan, d("2025-11-01"), d("2025-12-31")) == []


def test_only_dates_inside_the_rules_validity_count():
    bounded = rule(start_date=d("2026-03-11"), end_date=d("2026-06-10"))
    assert nominal_dates(bounded, d("2026-01-01"), d("2026-12-31")) == [
        d("2026-04-10"), d("2026-05-10"), d("2026-06-10"),
    ]  # fmt: skip


def test_an_incomplete_rule_names_no_dates_and_says_what_it_lacks():
    broken = rule(kind=Kind.NTH_WEEKDAY, week_of_month=None, weekday=None)
    assert set(rule_errors(broken)) == {"week_of_month", "weekday"}
    assert nominal_dates(broken, d("2026-01-01"), d("2026-12-31")) == []
    assert set(rule_errors(rule(end_time=dt.time(8)))) == {"end_time"}
    assert rule_errors(rule()) == {}


# --- The holiday policy against the official calendar -------------------------------------------


def test_a_tenth_on_a_make_up_working_saturday_stays(db):
    # 2026-10-10 is a Saturday worked to make up for National Day (班).
    assert moved(rule(), "2026-10-01", "2026-10-31") == [(d("2026-10-10"), d("2026-10-10"))]


def test_a_tenth_on_a_weekend_moves_to_the_next_working_day(db):
    assert moved(rule(), "2026-01-01", "2026-01-31") == [(d("2026-01-10"), d("2026-01-12"))]


def test_spring_festival_2025(db):
    # 28 January – 4 February 2025 off; Sunday 26 January and Saturday 8 February worked.
    assert moved(rule(day_of_month=28), "2025-01-01", "2025-01-31") == [
        (d("2025-01-28"), d("2025-02-05"))
    ]
    assert moved(rule(day_of_month=26), "2025-01-01", "2025-01-31") == [
        (d("2025-01-26"), d("2025-01-26"))
    ]
    assert moved(rule(day_of_month=8), "2025-02-01", "2025-02-28") == [
        (d("2025-02-08"), d("2025-02-08"))
    ]


def test_spring_festival_2026(db):
    # 15–23 February 2026 off (with the weekends); Saturday 28 February worked.
    assert moved(rule(day_of_month=16), "2026-02-01", "2026-02-28") == [
        (d("2026-02-16"), d("2026-02-24"))
    ]
    assert moved(rule(day_of_month=31), "2026-02-01", "2026-02-28") == [
        (d("2026-02-28"), d("2026-02-28"))
    ]


def test_national_day_2025_and_2026(db):
    # 1–8 October 2025 off (with Mid-autumn), Saturday 11 October worked.
    assert moved(rule(day_of_month=1), "2025-10-01", "2025-10-31") == [
        (d("2025-10-01"), d("2025-10-09"))
    ]
    assert moved(rule(day_of_month=11), "2025-10-01", "2025-10-31") == [
        (d("2025-10-11"), d("2025-10-11"))
    ]
    # 1–7 October 2026 off.
    assert moved(rule(day_of_month=1), "2026-10-01", "2026-10-31") == [
        (d("2026-10-01"), d("2026-10-08"))
    ]


@pytest.mark.parametrize(
    "policy, expected",
    [
        (Policy.NEXT_WORKING_DAY, d("2026-02-24")),  # after the holiday and its weekend
        (Policy.SKIP, None),  # not held in February
        (Policy.KEEP, d("2026-02-17")),  # held on the holiday
    ],
)
def test_the_third_tuesday_of_february_2026_falls_in_the_spring_festival(db, policy, expected):
    wuxi = rule(kind=Kind.NTH_WEEKDAY, week_of_month=3, weekday=1, holiday_policy=policy)
    [occurrence] = occurrences(wuxi, d("2026-02-01"), d("2026-02-28"))
    assert (occurrence.nominal, occurrence.date, occurrence.provisional) == (
        d("2026-02-17"), expected, False,
    )  # fmt: skip


def test_dates_in_an_unpublished_year_are_provisional(db):
    [december, january] = occurrences(rule(), d("2026-12-01"), d("2027-01-31"))
    assert (december.date, december.provisional) == (d("2026-12-10"), False)
    # Sunday 10 January 2027: Monday 11 by the estimate, until the notice is published.
    assert (january.date, january.provisional) == (d("2027-01-11"), True)
    # A firm nominal date moved into an unpublished year is provisional too.
    [new_year] = occurrences(rule(day_of_month=31), d("2026-12-01"), d("2026-12-31"))
    assert new_year.date == d("2026-12-31") and not new_year.provisional


def test_rules_in_words():
    with translation.override("en"):
        assert describe_rule(rule()) == (
            "On day 10 of every month, moved to the next working day on holidays"
        )
        wuxi = rule(kind=Kind.NTH_WEEKDAY, week_of_month=3, weekday=1, holiday_policy=Policy.KEEP)
        assert describe_rule(wuxi) == (
            "On the Tuesday of the third week of every month, held on holidays too"
        )
        liaoyuan = rule(
            kind=Kind.EVERY_K_MONTHS, day_of_month=15, interval_months=2,
            start_date=d("2026-01-01"), holiday_policy=Policy.SKIP,
        )  # fmt: skip
        assert describe_rule(liaoyuan) == (
            "On day 15 every 2 months, from January 2026, not held on holidays"
        )


# --- Generation ---------------------------------------------------------------------------------


def make_rule(station, **fields) -> ReceptionRule:
    defaults = dict(
        kind=Kind.MONTHLY_DAY, day_of_month=10, holiday_policy=Policy.NEXT_WORKING_DAY,
        start_time=dt.time(9), end_time=dt.time(11, 30), start_date=d("2026-01-01"),
        place="中垛乡人大代表联络站接待室", default_theme="道路交通",
    )  # fmt: skip
    return ReceptionRule.objects.create(station=station, **{**defaults, **fields})


def days_of(station) -> list[tuple[dt.date, dt.date, bool]]:
    return [
        (day.nominal_date, day.date, day.provisional)
        for day in ReceptionDay.objects.filter(station=station).order_by("date")
    ]


def test_the_horizon_is_three_months_by_default():
    assert settings.RECEPTION_HORIZON_MONTHS == 3


def test_generation_fills_the_horizon_and_never_duplicates(network):
    zhongduo = make_rule(network.station)
    with on("2026-11-22"):
        assert reception_days_generate() == 3
        assert days_of(network.station) == [
            (d("2026-12-10"), d("2026-12-10"), False),
            (d("2027-01-10"), d("2027-01-11"), True),
            (d("2027-02-10"), d("2027-02-11"), True),  # 2027's Spring Festival, estimated
        ]
        day = ReceptionDay.objects.get(date=d("2026-12-10"))
        assert (day.rule, day.start_time, day.end_time) == (zhongduo, dt.time(9), dt.time(11, 30))
        assert (day.place, day.theme, day.status) == (
            "中垛乡人大代表联络站接待室",
            "道路交通",
            "planned",
        )

        report = GenerationReport()
        assert reception_days_generate(report=report) == 0
        assert report == GenerationReport()
        assert reception_days_generate(station=network.station) == 0
        assert reception_days_generate(rule=zhongduo) == 0
        assert ReceptionDay.objects.count() == 3

    with on("2026-12-22"):
        # A month later the window has moved on by one reception.
        assert reception_days_generate() == 1
        assert days_of(network.station)[-1] == (d("2027-03-10"), d("2027-03-10"), True)


def test_a_day_moved_into_today_is_generated_from_a_nominal_date_just_past(network):
    make_rule(network.station, day_of_month=1)
    with on("2026-10-05"):  # National Day week: the 1 October reception is held on the 8th
        reception_days_generate(until=d("2026-10-31"))
    assert days_of(network.station) == [(d("2026-10-01"), d("2026-10-08"), False)]


def test_regeneration_never_moves_a_day_with_a_duty_a_log_or_a_staff_change(network):
    rule_ = make_rule(network.station)
    staff = make_user("recorder")
    with on("2026-06-01"):
        reception_days_generate()  # 10 June, 10 July (a Friday), 10 August (a Monday)
        june, july, august = ReceptionDay.objects.order_by("date")
        Duty.objects.create(day=june, representative=network.rep_county, role="representative")
        DutyLog.objects.create(day=july, recorded_by=staff, summary="提前接待")
        august.date, august.moved_by_staff, august.change_reason = d("2026-08-12"), True, "防汛"
        august.save()

        # Staff change the rule to the 15th: every day above has been built on.
        rule_.day_of_month = 15
        rule_.save()
        report = GenerationReport()
        reception_days_generate(report=report)
    assert (report.created, report.updated, report.removed, report.kept) == (3, 0, 0, 2)
    assert [day.date for day in ReceptionDay.objects.order_by("date")] == [
        d("2026-06-10"), d("2026-06-15"), d("2026-07-10"), d("2026-07-15"), d("2026-08-12"),
        d("2026-08-17"),
    ]  # fmt: skip


def test_days_nobody_built_on_follow_an_edited_or_retired_rule(network):
    rule_ = make_rule(network.station)
    with on("2026-06-01"):
        reception_days_generate()
        rule_.day_of_month = 15
        rule_.save()
        report = GenerationReport()
        reception_days_generate(report=report)
        assert (report.created, report.removed) == (3, 3)
        assert [day.date for day in ReceptionDay.objects.all()] == [
            d("2026-06-15"), d("2026-07-15"), d("2026-08-17"),
        ]  # fmt: skip

        cancelled = ReceptionDay.objects.get(date=d("2026-07-15"))
        cancelled.status, cancelled.change_reason = ReceptionDay.Status.CANCELLED, "换届选举"
        cancelled.save()
        rule_.is_active = False
        rule_.save()
        assert reception_days_generate() == 2
    # A cancelled day stays on the notice with its reason.
    assert list(ReceptionDay.objects.values_list("date", "status")) == [
        (d("2026-07-15"), "cancelled")
    ]


def test_past_days_are_history(network):
    make_rule(network.station)
    with on("2026-06-01"):
        reception_days_generate()
    with on("2026-07-20"):
        rule_ = ReceptionRule.objects.get()
        rule_.day_of_month = 25
        rule_.save()
        reception_days_generate()
    assert [day.date for day in ReceptionDay.objects.all()] == [
        d("2026-06-10"), d("2026-07-10"),  # already past: left as they were
        d("2026-07-27"), d("2026-08-25"),
        d("2026-09-28"),  # Friday 25 September 2026 is the Mid-autumn Festival
    ]  # fmt: skip


# --- 2027: following the calendar as staff publish it --------------------------------------------


def test_2027_days_become_firm_and_follow_the_notice_unless_someone_is_on_duty(
    network, django_capture_on_commit_callbacks
):
    make_rule(network.station)
    make_rule(network.other_station)
    with on("2026-11-22"):
        reception_days_generate()
        assert days_of(network.station)[1:] == [
            (d("2027-01-10"), d("2027-01-11"), True),
            (d("2027-02-10"), d("2027-02-11"), True),
        ]
        # Tunli's February day already has its rota.
        tunli_february = ReceptionDay.objects.get(station=network.other_station, date="2027-02-11")
        Duty.objects.create(
            day=tunli_february, representative=network.rep_county, role=Duty.Role.REPRESENTATIVE
        )

        # The notice is out: the Spring Festival holiday runs to Thursday 11 February.
        with django_capture_on_commit_callbacks(execute=True):
            for day in ("2027-02-10", "2027-02-11"):
                override_save(
                    override=DayOverride(
                        date=d(day), kind=DayOverride.Kind.HOLIDAY, name="春节", note=NOTICE_2027
                    )
                )
        # Recomputed through calendar_changed, still provisional until the year is published.
        assert days_of(network.station)[2] == (d("2027-02-10"), d("2027-02-12"), True)
        tunli_february.refresh_from_db()
        assert tunli_february.date == d("2027-02-11")

        with django_capture_on_commit_callbacks(execute=True):
            published_year_save(published_year=PublishedYear(year=2027, note=NOTICE_2027))
        assert days_of(network.station) == [
            (d("2026-12-10"), d("2026-12-10"), False),
            (d("2027-01-10"), d("2027-01-11"), False),
            (d("2027-02-10"), d("2027-02-12"), False),
        ]
        # The day with a rota was not moved, and it is no longer provisional either.
        tunli_february.refresh_from_db()
        assert (tunli_february.date, tunli_february.provisional) == (d("2027-02-11"), False)
        assert days_of(network.other_station)[1] == (d("2027-01-10"), d("2027-01-11"), False)


def test_a_skipped_day_appears_when_the_notice_makes_its_date_a_working_day(
    network, django_capture_on_commit_callbacks
):
    make_rule(network.station, holiday_policy=Policy.SKIP)
    with on("2026-11-22"):
        reception_days_generate()
        # Sunday 10 January and the estimated Spring Festival on 10 February are skipped.
        assert days_of(network.station) == [(d("2026-12-10"), d("2026-12-10"), False)]
        with django_capture_on_commit_callbacks(execute=True):
            override_save(
                override=DayOverride(
                    date=d("2027-01-10"), kind=DayOverride.Kind.WORKDAY, name="元旦"
                )
            )
        assert days_of(network.station)[1] == (d("2027-01-10"), d("2027-01-10"), True)
        # The make-up day was entered by mistake: the day nobody built on is taken back.
        mistake = DayOverride.objects.get(date=d("2027-01-10"))
        mistake.kind = DayOverride.Kind.HOLIDAY
        with django_capture_on_commit_callbacks(execute=True):
            override_save(override=mistake)
        assert days_of(network.station) == [(d("2026-12-10"), d("2026-12-10"), False)]


def test_a_calendar_change_outside_the_horizon_touches_nothing(
    network, django_capture_on_commit_callbacks
):
    make_rule(network.station)
    with on("2026-11-22"):
        reception_days_generate()
        before = list(ReceptionDay.objects.values_list("pk", "date", "updated"))
        with django_capture_on_commit_callbacks(execute=True):
            override_save(override=DayOverride(date=d("2029-05-02"), kind=DayOverride.Kind.HOLIDAY))
        assert list(ReceptionDay.objects.values_list("pk", "date", "updated")) == before


# --- The task and the command ------------------------------------------------------------------


def test_the_daily_task_generates_for_every_active_rule(network):
    make_rule(network.station)
    make_rule(network.other_station, kind=Kind.NTH_WEEKDAY, week_of_month=3, weekday=1)
    make_rule(network.point_baie, is_active=False)
    with on("2026-11-22"):
        assert generate_reception_days.apply().get() == 6
    assert ReceptionDay.objects.filter(station=network.point_baie).count() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["receptions-generate-days"]
    assert entry["task"] == "receptions.tasks.generate_reception_days"


def test_the_command_generates_one_station_for_some_months(network):
    make_rule(network.station)
    make_rule(network.other_station)
    out = io.StringIO()
    with on("2026-11-22"):
        call_command(
            "generate_reception_days", "--station", network.station.code.lower(), "--months", "6",
            stdout=out,
        )  # fmt: skip
    assert "6 created, 0 updated, 0 removed" in out.getvalue()
    assert ReceptionDay.objects.filter(station=network.other_station).count() == 0
