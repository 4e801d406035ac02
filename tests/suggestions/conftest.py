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
