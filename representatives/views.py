from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from stations.qr import qr_response, representative_form_url

from .selectors import active_representative, representative_with_stations


def detail(request: HttpRequest, code: str) -> HttpResponse:
    representative, assignments = representative_with_stations(code)
    return render(
        request,
        "representatives/detail.html",
        {"representative": representative, "assignments": assignments},
    )


def qr_code(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The representative's own QR code (亮码), which opens a form addressed to them."""
    representative = active_representative(code)
    return qr_response(
        request, url=representative_form_url(representative), code=representative.code, fmt=fmt
    )
