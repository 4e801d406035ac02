import datetime as dt
import io

import pytest
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from ledger.models import Export
from receptions.models import Duty, DutyLog, DutyLogPhoto, ReceptionDay, SwapRequest
from suggestions import handling
from suggestions.models import DataRequest, SuggestionPhoto


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    cache.clear()
    caches["pages"].clear()
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    yield
    cache.clear()
    caches["pages"].clear()


def small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (60, 120, 60)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def hostile_world(flow, superuser):
    """One of everything a URL can name: a routed suggestion with a photo, a held reception with
    its log and photo, a duty with a swap request, a finished export."""
    w = flow
    w.superuser = superuser
    w.suggestion = handling.suggestion_route(
        suggestion=handling.suggestion_accept(suggestion=w.submit(), actor=w.staff),
        actor=w.staff, route="county", lead=w.transport,
    )  # fmt: skip
    w.photo = SuggestionPhoto.objects.create(
        suggestion=w.suggestion, image=ContentFile(small_jpeg(), name="p.jpg")
    )
    today = timezone.localdate()
    w.day = ReceptionDay.objects.create(
        station=w.network.station, date=today, start_time=dt.time(9), end_time=dt.time(11),
        theme="道路交通",
    )  # fmt: skip
    w.duty = Duty.objects.create(
        day=w.day, representative=w.network.rep_county, role=Duty.Role.REPRESENTATIVE
    )
    w.swap = SwapRequest.objects.create(duty=w.duty, reason="出差")
    held = ReceptionDay.objects.create(
        station=w.network.station, date=today - dt.timedelta(days=7), start_time=dt.time(9),
        end_time=dt.time(11), theme="灌溉", status=ReceptionDay.Status.HELD,
    )  # fmt: skip
    w.log = DutyLog.objects.create(
        day=held, recorded_by=w.staff, visitor_batches=1, visitors=2, summary="接待群众2人次。"
    )
    w.log_photo = DutyLogPhoto.objects.create(
        log=w.log, image=ContentFile(small_jpeg(), name="l.jpg")
    )
    w.export = Export.objects.create(
        user=superuser, format="csv", filters={}, state=Export.State.DONE, rows=0,
        file=ContentFile(b"a,b\n", name="e.csv"),
    )  # fmt: skip
    w.data_request = DataRequest.objects.create(
        station=w.suggestion.station, kind=DataRequest.Kind.ACCESS, requester="张三",
        masked_phone="138****5678", verification=DataRequest.Verification.choices[0][0],
        outcome=DataRequest.Outcome.choices[0][0], answer="已告知。", handled_by=w.staff,
    )  # fmt: skip
    return w
