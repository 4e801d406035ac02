"""The duty rota: fair proposals and the batch planner."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from receptions.models import Duty, ReceptionDay, ReceptionRule, Unavailability
from receptions.rota import (
    duty_set,
    propose_rota,
    propose_rota_for_days,
)
from stations.services import station_save
from tests.factories import assign, make_representative, make_station
from tests.receptions.rota.helpers import (
    LEADER,
    REPRESENTATIVE,
    L,
    make_day,
    tenths,
)

# --- proposing -----------------------------------------------------------------------------------


def test_the_head_leads_and_the_representatives_take_turns_evenly(zhongduo):
    days = [make_day(zhongduo.station, d) for d in tenths(5)]
    for day in days:
        added = propose_rota(day=day)
        assert len(added) == 3
        roles = Counter(d.role for d in added)
        assert roles == {LEADER: 1, REPRESENTATIVE: 2}
        assert [d.representative for d in added if d.role == LEADER] == [zhongduo.head]

    counts = Counter(
        Duty.objects.filter(role=REPRESENTATIVE).values_list("representative_id", flat=True)
    )
    # Ten representative duties over five people: two each, nobody skipped.
    assert sorted(counts.values()) == [2, 2, 2, 2, 2]
    assert set(counts) == {r.pk for r in zhongduo.stationed}


def test_who_served_least_recently_goes_first_when_counts_are_equal(zhongduo):
    first, second, third = (make_day(zhongduo.station, d) for d in tenths(3))
    propose_rota(day=first)
    propose_rota(day=second)
    on_first = set(
        first.duties.filter(role=REPRESENTATIVE).values_list("representative", flat=True)
    )
    on_second = set(
        second.duties.filter(role=REPRESENTATIVE).values_list("representative", flat=True)
    )
    assert not on_first & on_second
    # The fifth person, plus the one of the first day's two whose turn came longest ago.
    propose_rota(day=third)
    on_third = set(
        third.duties.filter(role=REPRESENTATIVE).values_list("representative", flat=True)
    )
    rested = {r.pk for r in zhongduo.stationed} - on_first - on_second
    assert rested <= on_third
    assert len(on_third & on_first) == 1


def test_assignment_dates_and_absences_are_respected(zhongduo):
    n = zhongduo
    leaving = make_representative("钱代表", L.TOWNSHIP)
    assign(leaving, n.station, end=datetime.date(2025, 2, 28))
    arriving = make_representative("郑代表", L.TOWNSHIP)
    assign(arriving, n.station, start=datetime.date(2025, 4, 1))
    Unavailability.objects.create(
        representative=n.rep_a, start_date=datetime.date(2025, 3, 8),
        end_date=datetime.date(2025, 3, 12), reason="外出学习",
    )  # fmt: skip
    n.rep_b.is_active = False
    n.rep_b.save()

    march = make_day(n.station, datetime.date(2025, 3, 10), rule=None)
    march_reps = {d.representative for d in propose_rota(day=march)}
    assert not march_reps & {leaving, arriving, n.rep_a, n.rep_b}

    # Over the next months the newcomer takes turns too; the one who left never does.
    later = [make_day(n.station, d) for d in tenths(4, start=(2025, 4))]
    propose_rota_for_days(days=later)
    later_reps = set(
        Duty.objects.filter(day__in=later).values_list("representative__name", flat=True)
    )
    assert "郑代表" in later_reps
    assert "钱代表" not in later_reps
    assert "吴代表" not in later_reps


def test_without_the_head_the_highest_level_leads_taking_turns(zhongduo):
    n = zhongduo
    Unavailability.objects.create(
        representative=n.head, start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 12, 31),
    )  # fmt: skip
    second_city = make_representative("陈市代表", L.CITY)
    assign(second_city, n.station)
    days = [make_day(n.station, d) for d in tenths(4)]
    propose_rota_for_days(days=days)
    leaders = list(
        Duty.objects.filter(role=LEADER)
        .order_by("day__date")
        .values_list("representative", flat=True)
    )
    # City level outranks county and township; the two city representatives alternate.
    assert set(leaders) == {n.rep_city.pk, second_city.pk}
    assert leaders[0] != leaders[1] and leaders[:2] == leaders[2:]


def test_a_head_away_that_day_is_replaced_and_leads_again_after(zhongduo):
    n = zhongduo
    Unavailability.objects.create(
        representative=n.head, start_date=datetime.date(2025, 3, 9),
        end_date=datetime.date(2025, 3, 11),
    )  # fmt: skip
    march, april = (
        make_day(n.station, datetime.date(2025, 3, 10)),
        make_day(n.station, datetime.date(2025, 4, 10)),
    )
    propose_rota(day=march)
    propose_rota(day=april)
    assert march.duties.get(role=LEADER).representative == n.rep_city
    assert april.duties.get(role=LEADER).representative == n.head


def test_proposing_again_adds_nothing_and_existing_duties_stay(zhongduo, station_staff):
    day = make_day(zhongduo.station, datetime.date(2025, 3, 10))
    duty_set(day=day, actor=station_staff, representative=zhongduo.rep_a, role=REPRESENTATIVE)
    added = propose_rota(day=day)
    assert len(added) == 2
    assert zhongduo.rep_a not in {d.representative for d in added}
    assert propose_rota(day=day) == []
    assert day.duties.count() == 3
    assert day.duties.values("representative").distinct().count() == 3


def test_the_rule_says_how_many_are_on_duty(zhongduo):
    rule = ReceptionRule.objects.create(
        station=zhongduo.station, kind=ReceptionRule.Kind.MONTHLY_DAY, day_of_month=10,
        start_time=datetime.time(9), end_time=datetime.time(11, 30),
        start_date=datetime.date(2025, 1, 1), duty_representatives=4, duty_leaders=0,
    )  # fmt: skip
    day = make_day(zhongduo.station, datetime.date(2025, 3, 10), rule=rule)
    added = propose_rota(day=day)
    assert Counter(d.role for d in added) == {REPRESENTATIVE: 4}


def test_too_few_free_people_leave_the_rota_short_without_duplicates(network):
    day = make_day(network.station, datetime.date(2025, 3, 10))
    added = propose_rota(day=day)
    # Two stationed representatives, no head: one leads, one is left for two places.
    assert Counter(d.role for d in added) == {LEADER: 1, REPRESENTATIVE: 1}
    assert len({d.representative_id for d in added}) == 2


def test_cancelled_days_get_no_rota(zhongduo):
    day = make_day(
        zhongduo.station, datetime.date(2025, 3, 10), status=ReceptionDay.Status.CANCELLED
    )
    assert propose_rota(day=day) == []


def test_nobody_is_on_duty_at_two_stations_on_the_same_date(zhongduo):
    n = zhongduo
    for rep in n.stationed:
        assign(rep, n.other_station)
    here = make_day(n.station, datetime.date(2025, 3, 10))
    there = make_day(n.other_station, datetime.date(2025, 3, 10))
    propose_rota_for_days(days=[here, there])
    here_people = set(here.duties.values_list("representative", flat=True))
    there_people = set(there.duties.values_list("representative", flat=True))
    # The head and two representatives here, the other three there.
    assert len(here_people) == len(there_people) == 3
    assert not here_people & there_people


def test_duties_older_than_twelve_months_do_not_count(zhongduo):
    n = zhongduo
    old = make_day(n.station, datetime.date(2024, 2, 10), status=ReceptionDay.Status.HELD)
    recent = make_day(n.station, datetime.date(2024, 12, 10), status=ReceptionDay.Status.HELD)
    for rep in (n.rep_county, n.rep_township, n.rep_city):
        Duty.objects.create(day=old, representative=rep, role=REPRESENTATIVE)
    Duty.objects.create(day=recent, representative=n.rep_a, role=REPRESENTATIVE)
    day = make_day(n.station, datetime.date(2025, 3, 10))
    added = propose_rota(day=day)
    reps = [d.representative for d in added if d.role == REPRESENTATIVE]
    # rep_a served within the year; the others' duties are more than twelve months back.
    assert n.rep_a not in reps
    assert n.rep_b in reps


# --- the batch planner ---------------------------------------------------------------------------


@pytest.fixture
def county(network):
    """Twenty stations in Zhongduo with four representatives each, some shared, some heads."""
    reps, stations = [], []
    for i in range(20):
        station = make_station(f"第{i:02d}联络站", network.zhongduo)
        members = [
            make_representative(f"代表{i:02d}{j}", level=[L.CITY, L.COUNTY, L.TOWNSHIP][j % 3])
            for j in range(4)
        ]
        for rep in members:
            assign(rep, station)
        if i % 2:
            station.head = members[1]
            station_save(station=station)
        if i:
            assign(reps[-1], station)  # each station also has the last of the previous one's
        reps += members
        stations.append(station)
    Unavailability.objects.create(
        representative=reps[5], start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 4, 30),
    )  # fmt: skip
    days = [make_day(s, d) for s in stations for d in tenths(3)]
    return stations, days


def _snapshot() -> dict[int, list[tuple[int, str]]]:
    result: dict[int, list] = {}
    for day_id, rep_id, role in Duty.objects.values_list("day_id", "representative_id", "role"):
        result.setdefault(day_id, []).append((rep_id, role))
    return {day_id: sorted(rows) for day_id, rows in result.items()}


def test_the_batch_gives_the_same_rota_as_day_by_day(county):
    _stations, days = county
    for day in sorted(days, key=lambda d: (d.date, d.start_time, d.pk)):
        propose_rota(day=day)
    one_by_one = _snapshot()
    Duty.objects.all().delete()

    added = propose_rota_for_days(days=ReceptionDay.objects.all())
    assert _snapshot() == one_by_one
    assert len(added) == sum(len(rows) for rows in one_by_one.values()) == 20 * 3 * 3


def test_the_batch_reads_in_a_fixed_number_of_queries(county, django_assert_max_num_queries):
    _stations, days = county
    # Days (locked), assignments, absences, duties, the insert, and the transaction's own.
    with django_assert_max_num_queries(8):
        added = propose_rota_for_days(days=days)
    assert len(added) == 180
    per_day = Counter(d.day_id for d in added)
    assert set(per_day.values()) == {3}


def test_the_batch_needs_no_more_queries_for_more_days(county):
    stations, days = county
    more = [make_day(s, d) for s in stations for d in tenths(9, start=(2025, 6))]
    with CaptureQueriesContext(connection) as few:
        propose_rota_for_days(days=days)
    with CaptureQueriesContext(connection) as many:
        propose_rota_for_days(days=more)

    def reads(context):
        # SQLite splits a large insert by its limit on parameters; the reads must not grow.
        return [q for q in context.captured_queries if not q["sql"].startswith("INSERT")]

    assert len(reads(many)) == len(reads(few))
