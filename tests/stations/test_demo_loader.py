"""`manage.py load_demo`: the demo network matches DOMAIN.md and loads the same way twice."""

from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from liaison.roles import Role
from representatives.models import Assignment, Representative
from stations.models import Region, Station

Level = Representative.Level
COUNTED = (Region, Station, Representative, Assignment, get_user_model())


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The demo hashes five passwords per run; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def township(name: str) -> Region:
    return Region.objects.get(name=name, level=Region.Level.TOWNSHIP)


@pytest.mark.django_db
def test_demo_builds_zhongduo_and_xingfu_as_domain_describes():
    load_demo()

    zhongduo = township("中垛乡")
    assert Region.objects.subtree(zhongduo).count() == 11
    assert zhongduo.children.filter(name="白额村", level=Region.Level.VILLAGE).exists()
    station = Station.objects.get(region=zhongduo, name="中垛乡人大代表联络站")
    assert station.kind == Station.Kind.STATION
    assert station.head.level == Level.COUNTY
    stationed = Assignment.objects.current().filter(station=station)
    assert stationed.count() == 77
    assert Counter(stationed.values_list("representative__level", flat=True)) == {
        Level.COUNTY: 22,
        Level.TOWNSHIP: 55,
    }
    points = station.points.all()
    assert points.count() == 10
    for point in points:
        assert point.kind == Station.Kind.POINT
        assert point.region.parent == zhongduo
        leaders = Assignment.objects.current().filter(
            station=point, role=Assignment.Role.POINT_LEADER
        )
        assert leaders.count() == 1
        assert leaders.get().representative.level == Level.TOWNSHIP

    xingfu = township("幸福乡")
    stations = Station.objects.in_region(xingfu)
    assert stations.count() == 8
    assert stations.filter(kind=Station.Kind.HOME, region=xingfu).count() == 1
    representatives = Representative.objects.filter(assignments__station__in=stations).distinct()
    assert representatives.count() == 72
    assert Counter(representatives.values_list("level", flat=True)) == {
        Level.PROVINCIAL: 2,
        Level.CITY: 6,
        Level.COUNTY: 24,
        Level.TOWNSHIP: 40,
    }


@pytest.mark.django_db
def test_running_demo_twice_changes_nothing():
    load_demo()
    counts = {model: model.objects.count() for model in COUNTED}
    updated = dict(Representative.objects.values_list("pk", "updated"))
    stations_updated = dict(Station.objects.values_list("pk", "updated"))

    output = load_demo()

    assert {model: model.objects.count() for model in COUNTED} == counts
    assert dict(Representative.objects.values_list("pk", "updated")) == updated
    assert dict(Station.objects.values_list("pk", "updated")) == stations_updated
    assert "demo-pass-2026" in output


@pytest.mark.django_db
def test_demo_users_can_log_in_with_their_roles(client):
    load_demo()

    for username in ("admin", "zhongduo_staff", "xingfu_staff", "supervisor", "rep_demo"):
        assert client.login(username=username, password="demo-pass-2026"), username
        client.logout()
    users = get_user_model().objects
    staff = users.get(username="zhongduo_staff")
    assert Station.objects.get(name="中垛乡人大代表联络站").staff.filter(pk=staff.pk).exists()
    assert staff.groups.filter(name=Role.STATION_STAFF).exists()
    assert (
        Station.objects.get(name="幸福乡人大代表之家")
        .staff.filter(username="xingfu_staff")
        .exists()
    )
    assert users.get(username="admin").is_superuser
    assert users.get(username="supervisor").groups.filter(name=Role.SUPERVISOR).exists()
    rep_demo = users.get(username="rep_demo")
    assert rep_demo.representative.level == Level.COUNTY
    assert rep_demo.representative.assignments.filter(station__name="中垛乡人大代表联络站").exists()
    assert rep_demo.groups.filter(name=Role.REPRESENTATIVE).exists()
