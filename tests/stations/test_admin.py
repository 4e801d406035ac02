import pytest
from django.urls import reverse

from representatives.models import Assignment, Representative
from stations.models import Region, Station


@pytest.mark.parametrize(
    "model",
    [
        "stations/region",
        "stations/station",
        "representatives/representative",
        "representatives/assignment",
    ],
)
def test_every_admin_list_and_add_page_renders(
    admin_client_, network, model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        assert admin_client_.get(f"/admin/{model}/").status_code == 200
    assert admin_client_.get(f"/admin/{model}/add/").status_code == 200


def test_change_pages_render(admin_client_, network):
    for obj in [network.jixian, network.station, network.rep_county]:
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        assert admin_client_.get(url).status_code == 200


def test_station_staff_see_only_their_station_and_its_points(staff_client, network):
    response = staff_client.get("/admin/stations/station/")
    names = {s.name for s in response.context["cl"].queryset}
    assert names == {"中垛乡人大代表联络站", "白额村代表联络点", "东村代表联络点"}
    other = reverse("admin:stations_station_change", args=[network.other_station.pk])
    # Issue 11: 404, not a redirect saying it "may have been deleted".
    assert staff_client.get(other).status_code == 404


def test_station_staff_cannot_pick_other_stations_in_autocomplete(staff_client, network):
    response = staff_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "representatives",
            "model_name": "assignment",
            "field_name": "station",
            "term": "镇",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_region_filter_takes_the_whole_subtree(admin_client_, network):
    response = admin_client_.get("/admin/stations/station/", {"region": network.jixian.pk})
    assert response.context["cl"].result_count == 4
    response = admin_client_.get("/admin/stations/station/", {"region": network.jilin.pk})
    assert response.context["cl"].result_count == 0


def test_admin_creates_a_region_with_its_path(admin_client_, network):
    response = admin_client_.post(
        "/admin/stations/region/add/",
        {"name": "西村", "level": Region.Level.VILLAGE, "parent": network.zhongduo.pk},
    )
    assert response.status_code == 302
    village = Region.objects.get(name="西村")
    assert village.path == f"{network.zhongduo.path}{village.pk}/"


def test_admin_creates_a_point_with_a_code_and_refuses_a_bad_one(admin_client_, network):
    data = {
        "kind": Station.Kind.POINT, "name": "西村代表联络点", "region": network.baie.pk,
        "parent": network.station.pk, "is_active": "on",
        "assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0",
    }  # fmt: skip
    assert admin_client_.post("/admin/stations/station/add/", data).status_code == 302
    assert len(Station.objects.get(name="西村代表联络点").code) == 6

    bad = {**data, "name": "越界点", "region": network.tunli.pk}
    response = admin_client_.post("/admin/stations/station/add/", bad)
    assert response.status_code == 200
    assert "联络点所在区域必须位于其所属联络站的区域（中垛乡）之内。" in response.content.decode()
    assert not Station.objects.filter(name="越界点").exists()


def _station_form(network, rows):
    data = {
        "kind": network.station.kind, "name": network.station.name, "region": network.station.region_id,
        "is_active": "on", "assignments-TOTAL_FORMS": str(len(rows)), "assignments-INITIAL_FORMS": "0",
    }  # fmt: skip
    for i, (rep, start) in enumerate(rows):
        data |= {
            f"assignments-{i}-representative": rep.pk,
            f"assignments-{i}-role": Assignment.Role.STATIONED,
            f"assignments-{i}-start_date": start,
        }
    return data


def test_the_station_inline_refuses_an_overlapping_duplicate(staff_client, network):
    url = reverse("admin:stations_station_change", args=[network.station.pk])
    response = staff_client.post(url, _station_form(network, [(network.rep_county, "2025-01-01")]))
    assert response.status_code == 200
    assert "王建国 在该时段内已编入 中垛乡人大代表联络站。" in response.content.decode()


def test_the_station_inline_refuses_the_same_person_twice_in_one_form(
    staff_client, station_staff, network
):
    # Entered by this staff member, so theirs to assign until assigned (issue 11).
    rep = Representative.objects.create(
        name="新代表", level=Representative.Level.TOWNSHIP, code="NEWREP", created_by=station_staff
    )
    url = reverse("admin:stations_station_change", args=[network.station.pk])
    response = staff_client.post(
        url, _station_form(network, [(rep, "2025-01-01"), (rep, "2025-03-01")])
    )
    assert response.status_code == 200
    assert "同一编入关系在重叠的时段内填写了两次。" in response.content.decode()
    assert not Assignment.objects.filter(representative=rep).exists()


def test_the_station_inline_adds_a_representative(staff_client, station_staff, network):
    rep = Representative.objects.create(
        name="新代表", level=Representative.Level.TOWNSHIP, code="NEWREP", created_by=station_staff
    )
    url = reverse("admin:stations_station_change", args=[network.station.pk])
    response = staff_client.post(url, _station_form(network, [(rep, "2025-01-01")]))
    assert response.status_code == 302
    assert Assignment.objects.get(representative=rep).station == network.station
