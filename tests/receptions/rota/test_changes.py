"""Changing the rota: duties set by staff, absences, swaps, and the staff's rota page."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liaison.roles import Role
from receptions.models import SwapRequest, Unavailability
from receptions.rota import (
    duty_remove,
    duty_set,
    propose_rota,
    unavailability_add,
)
from receptions.swaps import swap_decide, swap_request
from representatives.models import Representative
from tests.factories import assign, make_representative, make_user
from tests.receptions.rota.helpers import (
    LEADER,
    REPRESENTATIVE,
    TODAY,
    L,
    make_day,
)

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
