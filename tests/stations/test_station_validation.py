import pytest
from django.core.exceptions import ValidationError

from stations.models import Station
from tests.factories import make_station


def test_a_point_must_belong_to_a_station(network):
    with pytest.raises(ValidationError) as excinfo:
        make_station("孤立联络点", network.baie, kind=Station.Kind.POINT)
    assert excinfo.value.message_dict["parent"] == ["联络点必须隶属于一个代表之家或联络站。"]


def test_a_points_region_must_lie_inside_its_stations_region(network):
    with pytest.raises(ValidationError) as excinfo:
        make_station("越界联络点", network.tunli, kind=Station.Kind.POINT, parent=network.station)
    assert excinfo.value.message_dict["region"] == [
        "联络点所在区域必须位于其所属联络站的区域（中垛乡）之内。"
    ]


def test_a_point_cannot_have_points(network):
    with pytest.raises(ValidationError) as excinfo:
        make_station("下级联络点", network.baie, kind=Station.Kind.POINT, parent=network.point_baie)
    assert "parent" in excinfo.value.message_dict


def test_only_a_point_belongs_to_another_station(network):
    with pytest.raises(ValidationError) as excinfo:
        make_station("分站", network.baie, kind=Station.Kind.STATION, parent=network.station)
    assert "parent" in excinfo.value.message_dict


def test_a_station_with_points_cannot_become_a_point(network):
    network.station.kind = Station.Kind.POINT
    with pytest.raises(ValidationError) as excinfo:
        network.station.full_clean()
    assert "kind" in excinfo.value.message_dict


def test_moving_a_station_away_from_its_points_is_refused(network):
    network.station.region = network.tunli
    with pytest.raises(ValidationError) as excinfo:
        network.station.full_clean()
    assert "白额村代表联络点" in excinfo.value.message_dict["region"][0]


def test_station_names_are_unique_within_a_region(network):
    with pytest.raises(ValidationError):
        make_station("中垛乡人大代表联络站", network.zhongduo)


def test_a_bad_station_phone_is_refused_with_the_field_named(network):
    with pytest.raises(ValidationError) as excinfo:
        make_station("新站", network.tunli, phone="call me")
    assert excinfo.value.message_dict["phone"] == [
        "请输入有效的电话号码，例如 13812345678 或 0357-7221234。"
    ]


def test_nothing_is_saved_when_validation_fails(network):
    before = Station.objects.count()
    with pytest.raises(ValidationError):
        make_station("孤立联络点", network.baie, kind=Station.Kind.POINT)
    assert Station.objects.count() == before
