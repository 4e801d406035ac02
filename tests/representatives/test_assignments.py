import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from representatives.models import Assignment
from tests.factories import assign, make_representative


def test_an_overlapping_duplicate_assignment_is_refused(network):
    with pytest.raises(ValidationError) as excinfo:
        assign(network.rep_county, network.station, start=datetime.date(2025, 6, 1))
    assert excinfo.value.messages == ["王建国 在该时段内已编入 中垛乡人大代表联络站。"]


def test_a_new_assignment_after_the_last_one_ended_is_allowed(network):
    rep = make_representative("赵敏")
    assign(rep, network.station, start=datetime.date(2023, 1, 1), end=datetime.date(2023, 12, 31))
    assign(rep, network.station, start=datetime.date(2024, 1, 1))
    assert Assignment.objects.filter(representative=rep).count() == 2


def test_a_representative_may_serve_several_stations(network):
    assign(network.rep_county, network.other_station)
    stations = {
        a.station for a in Assignment.objects.current().filter(representative=network.rep_county)
    }
    assert stations == {network.station, network.other_station}


def test_only_points_have_point_leaders(network):
    rep = make_representative("钱磊")
    with pytest.raises(ValidationError) as excinfo:
        assign(rep, network.station, role=Assignment.Role.POINT_LEADER)
    assert excinfo.value.message_dict["role"] == ["只有联络点才设点长。"]


def test_a_point_has_one_leader_at_a_time(network):
    rep = make_representative("孙丽")
    with pytest.raises(ValidationError) as excinfo:
        assign(rep, network.point_baie, role=Assignment.Role.POINT_LEADER)
    assert "李秀英" in excinfo.value.message_dict["role"][0]


def test_end_before_start_is_refused(network):
    rep = make_representative("周強")
    with pytest.raises(ValidationError) as excinfo:
        assign(rep, network.station, start=datetime.date(2025, 1, 2), end=datetime.date(2025, 1, 1))
    assert "end_date" in excinfo.value.message_dict


def test_the_database_refuses_two_open_assignments_even_without_clean(network):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(representative=network.rep_county, station=network.station)


def test_current_assignments_respect_start_and_end(network):
    rep = make_representative("吴芳")
    assign(
        rep, network.other_station, start=datetime.date(2020, 1, 1), end=datetime.date(2020, 12, 31)
    )
    assert not Assignment.objects.current().filter(representative=rep).exists()
    assert Assignment.objects.current(datetime.date(2020, 6, 1)).filter(representative=rep).exists()
