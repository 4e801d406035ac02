import io
import uuid

import pytest
from django.core.cache import cache, caches
from PIL import Image

from suggestions.models import Theme


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    # Rate-limit counters live in the cache (Redis under CI); every test starts from zero.
    cache.clear()
    caches["pages"].clear()
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    yield
    cache.clear()
    caches["pages"].clear()


def jpeg_bytes(width=1200, height=900, *, gps=False) -> bytes:
    image = Image.new("RGB", (width, height), (60, 120, 60))
    out = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (36.0, 5.0, 0.0)}
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def valid_form(theme_choice: Theme, **extra) -> dict:
    data = {
        "theme": theme_choice.pk,
        "title": "白额村田间道路被冲毁",
        "content": "七月暴雨后，白额村通往南坡的田间道路被冲毁，农机无法通行，请尽快修复。",
        "name": "张三",
        "phone": "138 1234 5678",
        "consent": "on",
        "website": "",
        "token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


@pytest.fixture
def django_settings_for_properties(settings):
    # Hypothesis sends many examples from one address within seconds.
    settings.SUGGESTION_RATE_PER_IP = "100000/m"
    settings.SUGGESTION_RATE_PER_PHONE = "100000/m"
    return settings


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
