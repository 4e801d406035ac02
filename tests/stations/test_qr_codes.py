"""QR codes (一码通 for stations, 亮码 for representatives) and the printable station poster."""

import datetime
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
import zxingcpp
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from PIL import Image

from stations import qr
from stations.qr import qr_png, qr_svg, representative_form_url, station_form_url


def decoded_texts(png: bytes) -> list[str]:
    """What a real phone scanner reads from the image."""
    return [
        barcode.text
        for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        if barcode.format == zxingcpp.BarcodeFormat.QRCode
    ]


def test_form_urls_are_the_site_address_plus_the_form_path(network, settings):
    settings.SITE_URL = "https://rd.jixian.gov.cn"
    station, rep = network.station, network.rep_county
    assert station_form_url(station) == f"https://rd.jixian.gov.cn/s/{station.code}/"
    assert representative_form_url(rep) == f"https://rd.jixian.gov.cn/r/{rep.code}/"


def test_a_scanner_reads_the_station_form_url_from_the_station_png(network):
    url = station_form_url(network.station)
    assert decoded_texts(qr_png(url)) == [url]
    assert decoded_texts(qr_png(url, box_size=4)) == [url]


def test_a_scanner_reads_the_representative_form_url_from_their_png(network):
    url = representative_form_url(network.rep_county)
    assert decoded_texts(qr_png(url)) == [url]


def test_the_served_pngs_scan_to_the_form_urls(client, network):
    station_png = client.get(reverse("stations:qr_png", args=[network.station.code])).content
    assert decoded_texts(station_png) == [station_form_url(network.station)]
    rep_png = client.get(reverse("representatives:qr_png", args=[network.rep_county.code])).content
    assert decoded_texts(rep_png) == [representative_form_url(network.rep_county)]


def test_the_served_png_is_large_enough_to_print_ten_centimetres_wide(client, network):
    png = client.get(reverse("stations:qr_png", args=[network.station.code])).content
    width, height = Image.open(io.BytesIO(png)).size
    assert width == height >= 700  # at least about 180 dpi over 10 cm


def test_the_svg_is_an_xml_document_with_an_svg_root(network):
    root = ET.fromstring(qr_svg(station_form_url(network.station)))
    assert root.tag in {"svg", "{http://www.w3.org/2000/svg}svg"}
    assert root.get("viewBox")
    assert root.findall(".//{http://www.w3.org/2000/svg}path")


def test_each_image_is_drawn_once_and_then_comes_from_the_cache(network, monkeypatch):
    url = station_form_url(network.station)
    for key in [qr._cache_key(url, "png", 10), qr._cache_key(url, "svg", 10)]:
        cache.delete(key)
    drawn = []
    make_qr = qr._make_qr
    monkeypatch.setattr(qr, "_make_qr", lambda *args: drawn.append(args) or make_qr(*args))
    assert qr_png(url) == qr_png(url)
    assert qr_svg(url) == qr_svg(url)
    assert len(drawn) == 2
    assert qr_png(url, box_size=5) != qr_png(url)  # the size is part of the key
    assert len(drawn) == 3


@pytest.mark.parametrize(
    ("name", "content_type", "extension"),
    [("qr_png", "image/png", "png"), ("qr_svg", "image/svg+xml", "svg")],
)
@pytest.mark.parametrize("app", ["stations", "representatives"])
def test_qr_views_serve_the_image_inline_and_as_a_download(
    client, network, app, name, content_type, extension
):
    obj = network.station if app == "stations" else network.rep_county
    url = reverse(f"{app}:{name}", args=[obj.code])

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "Content-Disposition" not in response
    assert "public" in response["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1]) >= 86400

    download = client.get(url, {"download": "1"})
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{obj.code}-qr.{extension}"'
    assert download.content == response.content


def test_qr_codes_need_no_login_and_ignore_the_letter_case_of_the_code(client, network):
    for url in [
        reverse("stations:qr_png", args=[network.station.code.lower()]),
        reverse("representatives:qr_svg", args=[network.rep_county.code.lower()]),
        reverse("stations:poster", args=[network.station.code.lower()]),
    ]:
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["stations:qr_png", "stations:qr_svg", "stations:poster"],
)
def test_unknown_or_inactive_stations_have_no_qr_code_or_poster(client, network, name):
    assert client.get(reverse(name, args=["NOPE99"])).status_code == 404
    network.other_station.is_active = False
    network.other_station.save()
    assert client.get(reverse(name, args=[network.other_station.code])).status_code == 404


@pytest.mark.parametrize("name", ["representatives:qr_png", "representatives:qr_svg"])
def test_unknown_or_inactive_representatives_have_no_qr_code(client, network, name):
    assert client.get(reverse(name, args=["NOPE99"])).status_code == 404
    network.rep_township.is_active = False
    network.rep_township.save()
    assert client.get(reverse(name, args=[network.rep_township.code])).status_code == 404


def test_the_poster_shows_the_station_its_qr_code_and_printed_address(
    client, network, django_assert_max_num_queries
):
    station = network.station
    with django_assert_max_num_queries(2):
        response = client.get(reverse("stations:poster", args=[station.code]))
    assert response.status_code == 200
    body = response.content.decode()
    for text in [
        "中垛乡人大代表联络站",
        "代表联络站",
        "吉县中垛乡政府院内",
        "工作日 8:30–12:00",
        "0357-7921234",
        f"<code>{station_form_url(station)}</code>",
        f'src="{reverse("stations:qr_png", args=[station.code])}"',
        f'href="{static("css/poster.css")}"',
        "data-print",  # the print button (static/js/liaison.js; no inline handler under the CSP)
    ]:
        assert text in body
    css = Path(finders.find("css/poster.css")).read_text()
    assert "@page { size: A4; margin: 15mm; }" in css
    # No navigation chrome on paper: the action bar is hidden when printed.
    assert re.search(r"@media print \{.*?\.poster-actions \{ display: none; \}", css, re.S)
    assert "navbar" not in body
    # Readable from a metre away: the code is printed at least 9 cm wide.
    assert int(re.search(r"\.poster-qr \{[^}]*?width: (\d+)mm", css)[1]) >= 90


def test_the_poster_leaves_out_reception_days_until_that_feature_fills_them(client, network):
    response = client.get(reverse("stations:poster", args=[network.station.code]))
    assert response.context["reception"] is None
    assert 'class="poster-reception"' not in response.content.decode()


def test_the_poster_shows_the_reception_rule_and_next_date_when_given(network):
    station = network.station
    body = render_to_string(
        "stations/poster.html",
        {
            "station": station,
            "form_url": station_form_url(station),
            "reception": SimpleNamespace(
                rule="每月10日，节假日顺延", next_date=datetime.date(2025, 3, 10)
            ),
        },
    )
    assert 'class="poster-reception"' in body
    assert "每月10日，节假日顺延" in body
    assert "2025年3月10日" in body


def test_the_station_change_page_shows_the_qr_code_and_its_downloads(admin_client_, network):
    station = network.station
    response = admin_client_.get(reverse("admin:stations_station_change", args=[station.pk]))
    body = response.content.decode()
    png = reverse("stations:qr_png", args=[station.code])
    svg = reverse("stations:qr_svg", args=[station.code])
    assert f'<img src="{png}" alt=' in body
    assert f'href="{png}?download=1"' in body
    assert f'href="{svg}?download=1"' in body
    assert f'href="{reverse("stations:poster", args=[station.code])}"' in body


def test_the_representative_change_page_shows_their_qr_code_and_its_downloads(
    admin_client_, network
):
    rep = network.rep_county
    response = admin_client_.get(
        reverse("admin:representatives_representative_change", args=[rep.pk])
    )
    body = response.content.decode()
    png = reverse("representatives:qr_png", args=[rep.code])
    assert f'<img src="{png}" alt=' in body
    assert f'href="{png}?download=1"' in body
    assert f'href="{reverse("representatives:qr_svg", args=[rep.code])}?download=1"' in body


def test_an_inactive_station_shows_no_dead_qr_code_in_the_admin(admin_client_, network):
    station = network.other_station
    station.is_active = False
    station.save()
    response = admin_client_.get(reverse("admin:stations_station_change", args=[station.pk]))
    assert response.status_code == 200
    assert reverse("stations:qr_png", args=[station.code]) not in response.content.decode()


def test_add_pages_offer_no_qr_code_before_there_is_a_code(admin_client_, network):
    for name in ["admin:stations_station_add", "admin:representatives_representative_add"]:
        response = admin_client_.get(reverse(name))
        assert response.status_code == 200
        assert "qr.png" not in response.content.decode()


def test_the_station_page_links_to_its_suggestion_form_and_shows_its_qr_code(client, network):
    station = network.station
    body = client.get(station.get_absolute_url()).content.decode()
    assert f'href="{reverse("suggestions:station_form", args=[station.code])}?via=web"' in body
    assert f'src="{reverse("stations:qr_png", args=[station.code])}"' in body


def test_the_representative_profile_links_to_their_form_and_shows_their_qr_code(client, network):
    rep = network.rep_county
    body = client.get(rep.get_absolute_url()).content.decode()
    assert f'href="{reverse("suggestions:representative_form", args=[rep.code])}?via=web"' in body
    assert f'src="{reverse("representatives:qr_png", args=[rep.code])}"' in body
