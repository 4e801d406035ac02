import pytest
from django.core.exceptions import ValidationError

from stations.models import Region, Station
from stations.services import region_save
from tests.factories import make_region, make_station


def test_subtree_of_a_county_is_one_query_and_holds_every_descendant(
    network, django_assert_num_queries
):
    with django_assert_num_queries(1):
        names = set(Region.objects.subtree(network.jixian).values_list("name", flat=True))
    assert names == {"吉县", "中垛乡", "白额村", "东村", "屯里镇"}


def test_subtree_can_leave_out_the_region_itself(network):
    names = set(
        Region.objects.subtree(network.zhongduo, include_self=False).values_list("name", flat=True)
    )
    assert names == {"白额村", "东村"}


def test_subtree_does_not_confuse_paths_that_share_leading_digits(db):
    # Region 1's path "1/" must not match region 11's path "11/".
    regions = [make_region(f"省{i}", Region.Level.PROVINCE) for i in range(12)]
    first = regions[0]
    assert list(Region.objects.subtree(first)) == [first]


def test_stations_in_a_region_include_points_in_its_villages_in_one_query(
    network, django_assert_num_queries
):
    with django_assert_num_queries(1):
        names = set(Station.objects.in_region(network.zhongduo).values_list("name", flat=True))
    assert names == {"中垛乡人大代表联络站", "白额村代表联络点", "东村代表联络点"}
    assert set(Station.objects.in_region(network.jilin)) == set()


def test_ancestors_run_from_the_top_down(network):
    assert [r.name for r in network.baie.ancestors()] == [
        "山西省",
        "临汾市",
        "吉县",
        "中垛乡",
        "白额村",
    ]


def test_moving_a_region_carries_its_subtree_and_stations(network):
    network.zhongduo.parent = network.linfen
    network.zhongduo.level = Region.Level.COUNTY
    region_save(region=network.zhongduo)

    baie = Region.objects.get(pk=network.baie.pk)
    assert baie.path == f"{network.shanxi.pk}/{network.linfen.pk}/{network.zhongduo.pk}/{baie.pk}/"
    assert baie.depth == 4
    assert network.point_baie in Station.objects.in_region(network.linfen)
    assert network.point_baie not in Station.objects.in_region(network.jixian)


def test_a_region_cannot_move_under_its_own_descendant(network):
    network.jixian.parent = network.baie
    with pytest.raises(ValidationError) as excinfo:
        region_save(region=network.jixian)
    assert "parent" in excinfo.value.message_dict


def test_a_child_region_must_be_of_a_lower_level(network):
    with pytest.raises(ValidationError) as excinfo:
        make_region("临汾市二", Region.Level.CITY, network.jixian)
    assert excinfo.value.message_dict["level"] == ["县/区之下不能设市。"]


def test_moving_a_village_away_from_its_station_region_is_refused(network):
    network.baie.parent = network.tunli
    with pytest.raises(ValidationError) as excinfo:
        region_save(region=network.baie)
    assert "白额村代表联络点" in str(excinfo.value)


def test_division_codes_are_checked(network):
    with pytest.raises(ValidationError) as excinfo:
        make_region("错误县", Region.Level.COUNTY, network.linfen, code="14102")
    assert "code" in excinfo.value.message_dict


def test_points_can_be_listed_by_station(network):
    assert set(network.station.points.all()) == {network.point_baie, network.point_dong}


def test_station_code_is_generated_readable_and_unique(network):
    codes = set(Station.objects.values_list("code", flat=True))
    assert len(codes) == Station.objects.count()
    for code in codes:
        assert len(code) == 6
        assert not set(code) & set("01OIL")


def test_a_new_station_in_a_new_township_is_found_under_the_county(network):
    village = make_region("新村", Region.Level.VILLAGE, network.tunli)
    point = make_station(
        "新村代表联络点", village, kind=Station.Kind.POINT, parent=network.other_station
    )
    assert point in Station.objects.in_region(network.jixian)
