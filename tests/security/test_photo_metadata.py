"""Uploaded photos keep only their pixels: no metadata segment of any kind, comments included,
and no trace of the uploader's file name, wherever a photo is saved (citizens' suggestions, duty
logs, representatives' public photos)."""

import datetime as dt
import io
import struct
import uuid

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageCms, PngImagePlugin

from liaison.images import process_uploaded_image
from receptions.models import Duty, DutyLog, ReceptionDay
from representatives.models import Representative
from suggestions.models import Suggestion

SECRET = "SECRET-TRACE"
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf'
    f'-syntax-ns#"><rdf:Description about="{SECRET}-xmp"/></rdf:RDF></x:xmpmeta>'
)
ORIGINAL_NAME = "张三家门口-吉县中垛乡"


def _icc() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010E] = f"{SECRET}-exif"  # ImageDescription
    exif[0x013B] = "张三"  # Artist
    exif[0x8825] = {1: "N", 2: (36.0, 5.0, 0.0)}  # GPSInfo
    return exif


def jpeg_with_everything() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (60, 120, 60)).save(
        out, "JPEG", exif=_exif(), icc_profile=_icc(), xmp=XMP.encode(), comment=f"{SECRET}-com"
    )
    return out.getvalue()


def gif_with_comment() -> bytes:
    out = io.BytesIO()
    Image.new("P", (300, 200), 3).save(out, "GIF", comment=f"{SECRET}-gif".encode())
    return out.getvalue()


def png_with_chunks() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", f"{SECRET}-text")
    info.add_text("Author", f"{SECRET}-ztxt", zip=True)
    info.add_itxt("Description", f"{SECRET}-itxt", lang="zh", tkey="说明")
    info.add_itxt("XML:com.adobe.xmp", XMP)
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(
        out, "PNG", pnginfo=info, icc_profile=_icc(), exif=_exif()
    )
    return out.getvalue()


SOURCES = {"jpeg": jpeg_with_everything, "gif": gif_with_comment, "png": png_with_chunks}


def test_the_test_files_really_carry_the_metadata():
    assert jpeg_with_everything().count(SECRET.encode()) == 3  # EXIF, XMP, COM
    assert b"ICC_PROFILE" in jpeg_with_everything()
    assert SECRET.encode() in gif_with_comment()
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"iCCP", b"eXIf"):
        assert chunk in png_with_chunks()


def jpeg_segments(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of the scan."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while True:
        assert data[at] == 0xFF
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return markers
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker == 0xE0:
            assert data[at + 4 : at + 9] == b"JFIF\0"  # the bare JFIF header, nothing else
        at += 2 + length


def assert_pixels_only(data: bytes) -> None:
    assert SECRET.encode() not in data and "张三".encode() not in data
    for trace in (b"Exif", b"ICC_PROFILE", b"http://ns.adobe.com", b"adobe:ns:meta"):
        assert trace not in data
    metadata = {m for m in jpeg_segments(data) if 0xE1 <= m <= 0xEF or m == 0xFE}
    assert not metadata, [hex(m) for m in metadata]
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert set(image.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi"}


@pytest.mark.parametrize("kind", SOURCES)
def test_the_stored_copy_has_no_metadata_and_a_random_name(kind):
    upload = SimpleUploadedFile(f"{ORIGINAL_NAME}.{kind}", SOURCES[kind]())
    stored = process_uploaded_image(upload, max_pixels=1600, max_bytes=10_000_000)
    assert_pixels_only(stored.read())
    stem, suffix = stored.name.rsplit(".", 1)
    assert suffix == "jpg" and uuid.UUID(hex=stem)


def _files(kind: str) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"{ORIGINAL_NAME}.{kind}", SOURCES[kind]())]


@pytest.mark.parametrize("kind", SOURCES)
def test_a_citizens_photos_are_saved_without_metadata_or_their_name(client, network, roads, kind):
    cache.clear()
    data = {
        "theme": roads.pk, "title": "白额村田间道路被冲毁",
        "content": "七月暴雨后，白额村通往南坡的田间道路被冲毁，请尽快修复。", "name": "张三",
        "phone": "13812345678", "consent": "on", "token": str(uuid.uuid4()),
        "photos": _files(kind),
    }  # fmt: skip
    assert client.post(f"/s/{network.station.code}/", data).status_code == 302
    photo = Suggestion.objects.get().photos.get()
    assert ORIGINAL_NAME not in photo.image.name and "张三" not in photo.image.name
    with photo.image.open("rb") as handle:
        assert_pixels_only(handle.read())


@pytest.mark.parametrize("kind", SOURCES)
def test_duty_log_photos_are_saved_without_metadata_or_their_name(client, flow, kind):
    day = ReceptionDay.objects.create(
        station=flow.network.station, date=timezone.localdate(), start_time=dt.time(9),
        end_time=dt.time(11, 30), theme="道路交通",
    )  # fmt: skip
    Duty.objects.create(day=day, representative=flow.network.rep_county, role="representative")
    client.force_login(flow.rep_user)
    data = {
        "attendees": [flow.network.rep_county.pk], "visitor_batches": 1, "visitors": 1,
        "summary": "接待群众1人次。", "raised-TOTAL_FORMS": "0", "raised-INITIAL_FORMS": "0",
        "photos": _files(kind),
    }  # fmt: skip
    assert client.post(f"/workbench/receptions/{day.pk}/log/", data).status_code == 302
    photo = DutyLog.objects.get(day=day).photos.get()
    assert ORIGINAL_NAME not in photo.image.name
    with photo.image.open("rb") as handle:
        assert_pixels_only(handle.read())


@pytest.mark.parametrize("kind", SOURCES)
def test_a_representatives_photo_is_saved_without_metadata_or_its_name(staff_client, network, kind):
    data = {
        "name": "陈光明", "level": Representative.Level.COUNTY, "is_active": "on",
        "assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0",
        "photo": _files(kind)[0],
    }  # fmt: skip
    response = staff_client.post("/admin/representatives/representative/add/", data)
    assert response.status_code == 302
    photo = Representative.objects.get(name="陈光明").photo
    assert ORIGINAL_NAME not in photo.name
    with photo.open("rb") as handle:
        assert_pixels_only(handle.read())
