"""Personas over one small, realistic network.

Ji county (吉县) has two townships: Zhongduo (中垛乡) with a station and two village points, and
Wutai (屯里镇) with a station of its own that Zhongduo's staff must not manage.
"""

import os

import pytest
from django.conf import settings
from django.test import Client

from liaison.roles import Role
from representatives.models import Assignment, Representative
from stations.models import Region, Station
from suggestions.models import Theme
from tests.factories import (
    assign,
    make_region,
    make_representative,
    make_station,
    make_user,
    pass_second_factor,
)


def pytest_sessionstart(session):
    """Under CI the tests must run against the real PostgreSQL and Redis, never silently less."""
    if os.environ.get("CI") != "true":
        return
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        pytest.exit(f"CI=true but the database engine is {engine}; set DATABASE_URL.", returncode=3)
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.exit("CI=true but the cache is not Redis; set REDIS_URL.", returncode=3)
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL).ping()
    except redis.RedisError as exc:
        pytest.exit(
            f"CI=true but Redis at {settings.REDIS_URL} cannot be reached: {exc}", returncode=3
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # A process re-reads the working-day calendar (two queries) when its once-a-second version
    # check finds a new version, and every cleared cache is a new version. Whether a request
    # in the test paid for that read would then depend on how long the set-up took. Every test
    # body starts without a snapshot instead, so pinned query counts always include the read.
    from workdays.selectors import forget_snapshot

    forget_snapshot()
    return (yield)


@pytest.fixture(autouse=True)
def _test_storage_and_language(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    # Real hashing costs a third of a second per persona; the tests do not test hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "zh-hans"
    # The test client speaks plain http; production's redirect to https has its own test
    # (tests/accounts/test_deploy_settings.py).
    settings.SECURE_SSL_REDIRECT = False
    # Production serves hashed files after collectstatic; tests read the source folder.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(monkeypatch):
    """`client.force_login(user)` stands for a whole login, so it passes the second step too:
    the user gets an authenticator and the session is verified with it (tests.factories
    .pass_second_factor). Tests of the second step itself log in through the real forms."""
    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_verified)


class Network:
    """Handles on the small network the personas work in."""


@pytest.fixture
def network(db) -> Network:
    n = Network()
    n.shanxi = make_region("山西省", Region.Level.PROVINCE, code="140000")
    n.linfen = make_region("临汾市", Region.Level.CITY, n.shanxi, code="141000")
    n.jixian = make_region("吉县", Region.Level.COUNTY, n.linfen, code="141028")
    n.zhongduo = make_region("中垛乡", Region.Level.TOWNSHIP, n.jixian)
    n.baie = make_region("白额村", Region.Level.VILLAGE, n.zhongduo)
    n.dongcun = make_region("东村", Region.Level.VILLAGE, n.zhongduo)
    n.tunli = make_region("屯里镇", Region.Level.TOWNSHIP, n.jixian)
    n.jilin = make_region("吉林省", Region.Level.PROVINCE, code="220000")

    n.station = make_station(
        "中垛乡人大代表联络站", n.zhongduo, address="吉县中垛乡政府院内", phone="0357-7921234",
        opening_hours="工作日 8:30–12:00",
    )  # fmt: skip
    n.point_baie = make_station(
        "白额村代表联络点", n.baie, kind=Station.Kind.POINT, parent=n.station
    )
    n.point_dong = make_station(
        "东村代表联络点", n.dongcun, kind=Station.Kind.POINT, parent=n.station
    )
    n.other_station = make_station("屯里镇人大代表联络站", n.tunli)

    n.rep_county = make_representative(
        "王建国",
        Representative.Level.COUNTY,
        position="白额村党支部书记",
        phone="13903571234",
        show_phone=True,
    )
    n.rep_township = make_representative(
        "李秀英", Representative.Level.TOWNSHIP, phone="13903575678"
    )
    assign(n.rep_county, n.station)
    assign(n.rep_township, n.station)
    assign(n.rep_township, n.point_baie, role=Assignment.Role.POINT_LEADER)
    return n


@pytest.fixture
def roads(db) -> Theme:
    """The 道路交通 theme, one of those the migrations seed."""
    return Theme.objects.get_or_create(name="道路交通", defaults={"position": 2})[0]


@pytest.fixture
def station_staff(network):
    user = make_user("zhongduo_staff", role=Role.STATION_STAFF, staff=True)
    network.station.staff.add(user)
    return user


@pytest.fixture
def other_station_staff(network):
    user = make_user("tunli_staff", role=Role.STATION_STAFF, staff=True)
    network.other_station.staff.add(user)
    return user


@pytest.fixture
def superuser(db):
    return make_user("root", superuser=True)


@pytest.fixture
def staff_client(client, station_staff):
    client.force_login(station_staff)
    return client


@pytest.fixture
def admin_client_(client, superuser):
    client.force_login(superuser)
    return client


# --- handling personas -----------------------------------------------------------------------


class Handling:
    """Departments and the people of the handling flow, over the shared small network."""


@pytest.fixture
def flow(network, station_staff, roads, settings):
    from liaison.roles import Role
    from suggestions.models import Department
    from suggestions.services import Submission, suggestion_submit
    from tests.factories import make_user

    settings.CELERY_TASK_ALWAYS_EAGER = True
    h = Handling()
    h.network, h.staff, h.roads = network, station_staff, roads
    station_staff.email = "staff@zhongduo.example"
    station_staff.save()
    h.township_gov = Department.objects.create(
        name="中垛乡人民政府", level=Department.Level.TOWNSHIP, region=network.zhongduo
    )
    h.transport = Department.objects.create(
        name="吉县交通运输局", level=Department.Level.COUNTY, region=network.jixian
    )
    h.water = Department.objects.create(
        name="吉县水利局", level=Department.Level.COUNTY, region=network.jixian
    )
    h.transport_handler = make_user("transport", role=Role.DEPARTMENT_HANDLER)
    h.transport_handler.email = "transport@jixian.example"
    h.transport_handler.save()
    h.transport.handlers.add(h.transport_handler)
    h.water_handler = make_user("water", role=Role.DEPARTMENT_HANDLER)
    h.water.handlers.add(h.water_handler)
    h.township_handler = make_user("township", role=Role.DEPARTMENT_HANDLER)
    h.township_gov.handlers.add(h.township_handler)
    h.supervisor = make_user("supervisor", role=Role.SUPERVISOR)
    network.jixian.supervisors.add(h.supervisor)
    h.rep_user = make_user("rep", role=Role.REPRESENTATIVE)
    network.rep_county.user = h.rep_user
    network.rep_county.save()
    h.outsider = make_user("tunli_staff2", role=Role.STATION_STAFF)
    network.other_station.staff.add(h.outsider)

    def submit(**extra):
        data = {
            "theme": roads, "title": "白额村田间道路被冲毁",
            "content": "七月暴雨后，白额村通往南坡的田间道路被冲毁。", "name": "张三",
            "phone": "13812345678", **extra,
        }  # fmt: skip
        station = data.pop("station", network.station)
        return suggestion_submit(
            station=station, submission=Submission(**data), channel="qr"
        ).suggestion

    h.submit = submit
    return h
