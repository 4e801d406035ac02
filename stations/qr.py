"""QR codes for the public suggestion forms: a station's code (一码通) and a representative's own
code (亮码).

A station's or representative's code never changes, so each image is drawn once and kept in the
cache; the posters printed today must still scan in five years, so the codes carry the full form
address and nothing else.
"""

import hashlib
import io

import qrcode
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from qrcode.constants import ERROR_CORRECT_Q
from qrcode.image.svg import SvgPathFillImage

from .models import Station

# Q recovers a quarter of the symbol: posters on a village notice board get creased and faded.
ERROR_CORRECTION = ERROR_CORRECT_Q
BORDER = 4  # the quiet zone the standard asks for; scanners struggle with less
# Bump when the drawing changes, so no cached image of the old kind is served again.
CACHE_VERSION = 1
CACHE_SECONDS = 60 * 60 * 24 * 30
# Served images are big enough to print about 10 cm wide at more than 200 dpi.
PNG_BOX_SIZE = 20
BROWSER_CACHE_SECONDS = 60 * 60 * 24 * 30
CONTENT_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def station_form_url(station: Station) -> str:
    """The absolute address a station's QR code opens: its suggestion form."""
    return settings.SITE_URL + reverse("suggestions:station_form", kwargs={"code": station.code})


def representative_form_url(representative) -> str:
    """The absolute address a representative's own QR code opens."""
    return settings.SITE_URL + reverse(
        "suggestions:representative_form", kwargs={"code": representative.code}
    )


def _cache_key(url: str, fmt: str, box_size: int) -> str:
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"qr:v{CACHE_VERSION}:{fmt}:{box_size}:{digest}"


def _make_qr(url: str, box_size: int) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, box_size=box_size, border=BORDER)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str, *, box_size: int = 10) -> bytes:
    """A black-on-white PNG of the QR code for `url`, `box_size` pixels per module."""
    key = _cache_key(url, "png", box_size)
    image = cache.get(key)
    if image is None:
        buffer = io.BytesIO()
        _make_qr(url, box_size).make_image().save(buffer, format="PNG")
        image = buffer.getvalue()
        cache.set(key, image, CACHE_SECONDS)
    return image


def qr_svg(url: str) -> bytes:
    """An SVG document of the QR code for `url`: one path, for print shops and large posters."""
    key = _cache_key(url, "svg", 10)
    image = cache.get(key)
    if image is None:
        buffer = io.BytesIO()
        # The white-filled variant of SvgPathImage: a transparent code vanishes on a dark wall.
        _make_qr(url, 10).make_image(image_factory=SvgPathFillImage).save(buffer)
        image = buffer.getvalue()
        cache.set(key, image, CACHE_SECONDS)
    return image


def qr_response(request: HttpRequest, *, url: str, code: str, fmt: str) -> HttpResponse:
    """The QR code for `url` as a PNG or SVG response, saved as `<code>-qr.<fmt>` on
    `?download=1` and otherwise shown inline."""
    image = qr_png(url, box_size=PNG_BOX_SIZE) if fmt == "png" else qr_svg(url)
    response = HttpResponse(image, content_type=CONTENT_TYPES[fmt])
    if request.GET.get("download") == "1":
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"{code}-qr.{fmt}"
        )
    patch_cache_control(response, public=True, max_age=BROWSER_CACHE_SECONDS)
    return response


def qr_admin_block(*, png: str, svg: str, poster: str | None = None) -> str:
    """The admin's QR preview with its download (and poster) links."""
    from django.utils.html import format_html, format_html_join
    from django.utils.translation import gettext as _

    links = [(f"{png}?download=1", _("Download PNG")), (f"{svg}?download=1", _("Download SVG"))]
    if poster:
        links.append((poster, _("Print poster")))
    return format_html(
        '<img src="{}" alt="{}" width="120" height="120"><br>{}',
        png,
        _("QR code of the suggestion form"),
        format_html_join(" · ", '<a href="{}">{}</a>', links),
    )
