"""The duty rota: fair proposals, the batch planner, swaps and the services' permissions."""

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.roles import Role
from receptions.models import Duty, ReceptionDay, ReceptionRule, SwapRequest, Unavailability
from receptions.rota import (
    duty_remove,
    duty_set,
    propose_rota,
    propose_rota_for_days,
    unavailability_add,
)
from receptions.swaps import swap_decide, swap_request
from representatives.models import Representative
from stations.services import station_save
from tests.factories import assign, make_representative, make_station, make_user

TODAY = datetime.date(2025, 3, 1)
L = Representative.Level
LEADER, REPRESENTATIVE = Duty.Role.LEADER, Duty.Role.REPRESENTATIVE


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(
        datetime.datetime(2025, 3, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


def make_day(station, date, *, rule=None, **extra) -> ReceptionDay:
    return ReceptionDay.objects.create(
        station=station, rule=rule, date=date, start_time=datetime.time(9),
        end_time=datetime.time(11, 30), **extra,
    )  # fmt: skip


def tenths(n: int, start=(2025, 3)) -> list[datetime.date]:
    """The 10th of `n` consecutive months (the Zhongduo rule, without holiday moves)."""
    year, month = start
    dates = []
    for _ in range(n):
        dates.append(datetime.date(year, month, 10))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def rota_of(day: ReceptionDay) -> list[tuple[str, str]]:
    return sorted(day.duties.values_list("role", "representative__name"))


@pytest.fixture
def zhongduo(network):
    """Zhongduo station: its chairman as head (not stationed there) and five representatives."""
    n = network
    n.head = make_representative("赵站长", L.TOWNSHIP, phone="13903570001")
    n.station.head = n.head
    station_save(station=n.station)
    n.rep_city = make_representative("孙市代表", L.CITY, phone="13903570002")
    n.rep_a = make_representative("周代表", L.TOWNSHIP, phone="13903570003")
    n.rep_b = make_representative("吴代表", L.TOWNSHIP, phone="13903570004")
    for rep in (n.rep_city, n.rep_a, n.rep_b):
        assign(rep, n.station)
    # With rep_county and rep_township from the conftest: five stationed representatives.
    n.stationed = [n.rep_county, n.rep_township, n.rep_city, n.rep_a, n.rep_b]
    return n


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


# --- changing the rota ---------------------------------------------------------------------------


@pytest.fixture
def duty_day(zhongduo):
    day = make_day(zhongduo.station, datetime.date(2025, 3, 10), theme="道路交通")
    propose_rota(day=day)
    return day


def _with_user(rep: Representative, username: str):
    user = make_user(username, role=Role.REPRESENTATIVE)
    rep.user = user
    rep.save()
    return user


def test_only_station_staff_set_and_remove_duties(
    zhongduo, duty_day, station_staff, other_station_staff
):
    duty = duty_day.duties.get(role=LEADER)
    with pytest.raises(PermissionDenied):
        duty_remove(duty=duty, actor=other_station_staff)
    with pytest.raises(PermissionDenied):
        duty_set(
            day=duty_day, actor=other_station_staff, representative=zhongduo.rep_b, role=LEADER
        )
    duty_remove(duty=duty, actor=station_staff)
    assert not duty_day.duties.filter(role=LEADER).exists()


def test_staff_cannot_put_someone_on_duty_who_cannot_come(zhongduo, duty_day, station_staff):
    outsider = make_representative("外站代表", L.TOWNSHIP)
    assign(outsider, zhongduo.other_station)
    with pytest.raises(ValidationError, match="未编入"):
        duty_set(day=duty_day, actor=station_staff, representative=outsider, role=REPRESENTATIVE)
    free = next(
        r for r in zhongduo.stationed if not duty_day.duties.filter(representative=r).exists()
    )
    Unavailability.objects.create(
        representative=free, start_date=duty_day.date, end_date=duty_day.date
    )
    with pytest.raises(ValidationError, match="不能值班"):
        duty_set(day=duty_day, actor=station_staff, representative=free, role=REPRESENTATIVE)


def test_setting_a_duty_twice_changes_its_role_and_adds_no_row(zhongduo, duty_day, station_staff):
    duty = duty_day.duties.filter(role=REPRESENTATIVE).first()
    changed = duty_set(
        day=duty_day, actor=station_staff, representative=duty.representative, role=LEADER
    )
    assert changed.pk == duty.pk and changed.role == LEADER
    assert duty_day.duties.count() == 3


def test_representatives_record_their_own_absences_and_staff_those_of_their_station(
    zhongduo, station_staff, other_station_staff
):
    user = _with_user(zhongduo.rep_a, "rep_zhou")
    absence = unavailability_add(
        representative=zhongduo.rep_a, actor=user, start_date=datetime.date(2025, 3, 5),
        end_date=datetime.date(2025, 3, 20), reason="住院",
    )  # fmt: skip
    assert absence.pk
    with pytest.raises(PermissionDenied):
        unavailability_add(
            representative=zhongduo.rep_b, actor=user, start_date=TODAY, end_date=TODAY
        )
    with pytest.raises(PermissionDenied):
        unavailability_add(
            representative=zhongduo.rep_b, actor=other_station_staff, start_date=TODAY,
            end_date=TODAY,
        )  # fmt: skip
    with pytest.raises(ValidationError):
        unavailability_add(
            representative=zhongduo.rep_b, actor=station_staff, start_date=TODAY,
            end_date=TODAY - datetime.timedelta(days=1),
        )  # fmt: skip
    unavailability_add(
        representative=zhongduo.rep_b, actor=station_staff, start_date=TODAY, end_date=TODAY
    )


# --- swaps ---------------------------------------------------------------------------------------


def _free_rep(zhongduo, day) -> Representative:
    on_duty = set(day.duties.values_list("representative", flat=True))
    return next(r for r in zhongduo.stationed if r.pk not in on_duty)


def test_only_the_representative_on_duty_can_ask_for_a_swap(zhongduo, duty_day, station_staff):
    duty = duty_day.duties.filter(role=REPRESENTATIVE).first()
    other = duty_day.duties.exclude(pk=duty.pk).first()
    other_user = _with_user(other.representative, "rep_other")
    with pytest.raises(PermissionDenied):
        swap_request(duty=duty, actor=other_user, reason="家中有事")
    with pytest.raises(PermissionDenied):
        swap_request(duty=duty, actor=station_staff, reason="家中有事")
    user = _with_user(duty.representative, "rep_on_duty")
    swap = swap_request(duty=duty, actor=user, reason="家中有事")
    assert swap.state == SwapRequest.State.PENDING
    with pytest.raises(ValidationError, match="等待审批"):
        swap_request(duty=duty, actor=user, reason="再次申请")


def test_staff_approve_a_swap_to_the_named_replacement(zhongduo, duty_day, station_staff):
    duty = duty_day.duties.filter(role=REPRESENTATIVE).first()
    requester = duty.representative
    user = _with_user(requester, "rep_on_duty")
    replacement = _free_rep(zhongduo, duty_day)
    swap = swap_request(duty=duty, actor=user, reason="出差", replacement=replacement)

    swap = swap_decide(swap=swap, actor=station_staff, approve=True)
    duty.refresh_from_db()
    assert duty.representative == replacement
    assert swap.state == SwapRequest.State.APPROVED and swap.decided_by == station_staff
    assert not duty_day.duties.filter(representative=requester).exists()
    with pytest.raises(ValidationError, match="已经审批过了"):
        swap_decide(swap=swap, actor=station_staff, approve=False)


def test_approval_without_a_replacement_takes_whose_turn_it_is(zhongduo, duty_day, station_staff):
    duty = duty_day.duties.filter(role=REPRESENTATIVE).first()
    user = _with_user(duty.representative, "rep_on_duty")
    free = [r for r in zhongduo.stationed if not duty_day.duties.filter(representative=r).exists()]
    swap = swap_request(duty=duty, actor=user, reason="出差")
    swap = swap_decide(swap=swap, actor=station_staff, approve=True)
    duty.refresh_from_db()
    assert duty.representative in free
    assert swap.replacement == duty.representative


def test_a_refused_swap_leaves_the_duty_alone(
    zhongduo, duty_day, station_staff, other_station_staff
):
    duty = duty_day.duties.filter(role=REPRESENTATIVE).first()
    requester = duty.representative
    user = _with_user(requester, "rep_on_duty")
    swap = swap_request(duty=duty, actor=user, reason="开会")
    with pytest.raises(PermissionDenied):
        swap_decide(swap=swap, actor=other_station_staff, approve=True)
    with pytest.raises(PermissionDenied):
        swap_decide(swap=swap, actor=user, approve=True)
    swap = swap_decide(swap=swap, actor=station_staff, approve=False)
    duty.refresh_from_db()
    assert swap.state == SwapRequest.State.REFUSED
    assert duty.representative == requester


def test_the_station_head_decides_swaps_at_his_station(zhongduo, duty_day):
    duty = duty_day.duties.filter(role=REPRESENTATIVE).first()
    swap = swap_request(duty=duty, actor=_with_user(duty.representative, "rep"), reason="开会")
    head_user = _with_user(zhongduo.head, "head")
    assert swap_decide(swap=swap, actor=head_user, approve=False).decided_by == head_user


def test_a_replacement_already_on_duty_that_day_is_refused(zhongduo, duty_day, station_staff):
    duty, other = duty_day.duties.filter(role=REPRESENTATIVE)[:2]
    user = _with_user(duty.representative, "rep_on_duty")
    with pytest.raises(ValidationError, match="已在值班表中"):
        swap_request(duty=duty, actor=user, reason="出差", replacement=other.representative)
    # Named while free, but on duty by the time staff decide.
    replacement = _free_rep(zhongduo, duty_day)
    swap = swap_request(duty=duty, actor=user, reason="出差", replacement=replacement)
    duty_set(day=duty_day, actor=station_staff, representative=replacement, role=REPRESENTATIVE)
    with pytest.raises(ValidationError, match="已在值班表中"):
        swap_decide(swap=swap, actor=station_staff, approve=True)
    swap.refresh_from_db()
    assert swap.state == SwapRequest.State.PENDING


# --- the staff page ------------------------------------------------------------------------------


def test_the_rota_page_lists_the_days_of_the_staffs_stations(
    zhongduo, duty_day, staff_client, django_assert_max_num_queries
):
    make_day(zhongduo.other_station, datetime.date(2025, 3, 12), theme="屯里镇的主题")
    short = make_day(zhongduo.station, datetime.date(2025, 3, 20), theme="环境卫生")
    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("rota:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "道路交通" in html and "环境卫生" in html
    assert "屯里镇的主题" not in html
    assert zhongduo.head.name in html
    assert reverse("rota:propose", args=[short.pk]) in html
    assert reverse("rota:propose", args=[duty_day.pk]) not in html


def test_staff_propose_a_rota_and_decide_a_swap_on_the_page(zhongduo, staff_client):
    day = make_day(zhongduo.station, datetime.date(2025, 3, 20))
    response = staff_client.post(reverse("rota:propose", args=[day.pk]))
    assert response.status_code == 302
    assert day.duties.count() == 3

    duty = day.duties.filter(role=REPRESENTATIVE).first()
    swap = SwapRequest.objects.create(duty=duty, reason="出差")
    page = staff_client.get(reverse("rota:index")).content.decode()
    assert "出差" in page
    staff_client.post(reverse("rota:decide", args=[swap.pk]), {"decision": "refuse"})
    swap.refresh_from_db()
    assert swap.state == SwapRequest.State.REFUSED


def test_other_stations_days_and_swaps_are_not_found(zhongduo, client, other_station_staff):
    day = make_day(zhongduo.station, datetime.date(2025, 3, 20))
    propose_rota(day=day)
    swap = SwapRequest.objects.create(duty=day.duties.first(), reason="出差")
    client.force_login(other_station_staff)
    assert client.post(reverse("rota:propose", args=[day.pk])).status_code == 404
    assert (
        client.post(reverse("rota:decide", args=[swap.pk]), {"decision": "approve"}).status_code
        == 404
    )


def test_a_representative_asks_for_a_swap_on_the_page(zhongduo, duty_day, client):
    duty = duty_day.duties.filter(role=REPRESENTATIVE).first()
    user = _with_user(duty.representative, "rep_on_duty")
    client.force_login(user)
    page = client.get(reverse("rota:index")).content.decode()
    assert reverse("rota:request_swap", args=[duty.pk]) in page
    client.post(reverse("rota:request_swap", args=[duty.pk]), {"reason": "出差"})
    assert duty.swap_requests.get().reason == "出差"
    other = duty_day.duties.exclude(pk=duty.pk).first()
    assert (
        client.post(reverse("rota:request_swap", args=[other.pk]), {"reason": "x"}).status_code
        == 404
    )
