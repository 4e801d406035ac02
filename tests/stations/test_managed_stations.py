"""Who manages which stations: the queryset and the eager id set say the same."""

from stations.selectors import managed_station_ids, stations_managed_by
from tests.factories import make_user


def ids(user) -> set[int]:
    return set(stations_managed_by(user).values_list("pk", flat=True))


def test_staff_manage_their_station_and_its_points(network, station_staff, other_station_staff):
    n = network
    assert managed_station_ids(station_staff) == ids(station_staff) == {
        n.station.pk, n.point_baie.pk, n.point_dong.pk,
    }  # fmt: skip
    assert (
        managed_station_ids(other_station_staff) == ids(other_station_staff) == {n.other_station.pk}
    )


def test_a_head_manages_the_station_they_head(network):
    head = make_user("head")
    network.rep_county.user = head
    network.rep_county.save()
    network.other_station.head = network.rep_county
    network.other_station.save()
    assert managed_station_ids(head) == ids(head) == {network.other_station.pk}


def test_others_manage_nothing_and_a_superuser_everything(network, superuser):
    nobody = make_user("nobody")
    assert managed_station_ids(nobody) == ids(nobody) == set()
    assert (
        managed_station_ids(superuser)
        == ids(superuser)
        == set(network.station.__class__.objects.values_list("pk", flat=True))
    )
    nobody.is_active = False
    assert managed_station_ids(nobody) == set()
