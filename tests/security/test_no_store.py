"""Workbench, ledger, statistics, export and admin pages tell every cache to keep nothing;
public pages keep their caching."""

from django.urls import reverse

from ledger.models import Export
from liaison.middleware import NO_STORE_PATH_PREFIXES
from tests.security.urlwalk import concrete_urls


def no_store(response) -> bool:
    return "no-store" in [d.strip() for d in response.get("Cache-Control", "").split(",")]


def test_every_page_under_the_private_prefixes_says_no_store(admin_client_, hostile_world):
    urls = [u for u in concrete_urls(hostile_world) if u.startswith(NO_STORE_PATH_PREFIXES)]
    assert len(urls) > 40
    assert any(u.startswith("/admin/") for u in urls) and "/ledger/exports/" in urls
    for url in urls:
        response = admin_client_.get(url)
        assert no_store(response), (url, response.status_code, response.get("Cache-Control"))


def test_the_login_page_and_a_redirect_to_it_say_no_store(client, db):
    assert no_store(client.get("/accounts/login/"))
    response = client.get("/ledger/")
    assert response.status_code == 302 and no_store(response)


def test_photos_and_export_downloads_say_no_store(admin_client_, hostile_world):
    w = hostile_world
    photo = w.suggestion.photos.get()
    assert no_store(admin_client_.get(reverse("workbench:photo", args=[w.suggestion.pk, photo.pk])))
    export = Export.objects.get(pk=w.export.pk)
    response = admin_client_.get(reverse("ledger:export_download", args=[export.pk]))
    assert response.status_code == 200 and no_store(response)


def test_public_pages_keep_their_caching(client, network):
    for url in ("/", "/stations/", f"/stations/{network.station.code}/"):
        assert not no_store(client.get(url)), url
    qr = client.get(reverse("stations:qr_png", args=[network.station.code]))
    assert "public" in qr["Cache-Control"] and not no_store(qr)


def test_a_signed_in_user_gets_no_store_on_other_pages_but_public_files_stay_public(
    staff_client, network
):
    assert no_store(staff_client.get("/stations/"))
    qr = staff_client.get(reverse("stations:qr_png", args=[network.station.code]))
    assert "public" in qr["Cache-Control"] and not no_store(qr)
