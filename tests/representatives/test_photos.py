import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from representatives.models import Representative

ADD_URL = "/admin/representatives/representative/add/"


def photo_with_gps(width=2400, height=3200) -> bytes:
    image = Image.new("RGB", (width, height), (180, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (36.0, 5.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def form(**extra):
    return {
        "name": "陈光明", "level": Representative.Level.COUNTY, "is_active": "on",
        "assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0", **extra,
    }  # fmt: skip


def test_an_uploaded_photo_is_resized_and_loses_its_metadata(staff_client, network):
    upload = SimpleUploadedFile("me.jpg", photo_with_gps(), content_type="image/jpeg")
    assert staff_client.post(ADD_URL, form(photo=upload)).status_code == 302
    rep = Representative.objects.get(name="陈光明")
    with Image.open(rep.photo.path) as stored:
        assert max(stored.size) == 480
        assert stored.size == (360, 480)
        assert not stored.getexif()


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(staff_client, network):
    upload = SimpleUploadedFile("me.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = staff_client.post(ADD_URL, form(photo=upload))
    assert response.status_code == 200
    assert (
        "请上传一张有效的图片" in response.content.decode()
        or "无法识别该文件" in response.content.decode()
    )
    assert not Representative.objects.filter(name="陈光明").exists()


def test_a_photo_over_the_size_limit_is_refused(staff_client, network, settings):
    settings.PHOTO_MAX_UPLOAD_BYTES = 10_000
    upload = SimpleUploadedFile("me.jpg", photo_with_gps(), content_type="image/jpeg")
    response = staff_client.post(ADD_URL, form(photo=upload))
    assert "照片太大" in response.content.decode()
    assert not Representative.objects.filter(name="陈光明").exists()


def test_showing_a_phone_needs_a_phone(staff_client, network):
    response = staff_client.post(ADD_URL, form(show_phone="on"))
    assert "请填写可以公开的联系电话。" in response.content.decode()


def test_a_new_representative_gets_a_public_code(staff_client, network):
    assert staff_client.post(ADD_URL, form()).status_code == 302
    assert len(Representative.objects.get(name="陈光明").code) == 6
