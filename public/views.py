"""The public station and representative pages: directory, station page, poster, QR codes and a
representative's profile."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from receptions.selectors import station_schedule_summary
from representatives.selectors import active_representative, representative_with_stations
from stations.models import Region
from stations.qr import qr_response, representative_form_url, station_form_url
from stations.selectors import active_station, regions_with_station_counts

from .forms import DirectorySearchForm
from .selectors import station_directory, station_page


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectorySearchForm(request.GET or None)
    query, region = "", None
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if form.cleaned_data["region"]:
            region = get_object_or_404(Region, pk=form.cleaned_data["region"])
    page = Paginator(station_directory(region=region, query=query), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "stations/directory.html",
        {
            "form": form,
            "query": query,
            "region": region,
            "breadcrumbs": list(region.ancestors()) if region else [],
            "subregions": regions_with_station_counts(region),
            "page": page,
        },
    )


def station_detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "stations/detail.html", {"page": station_page(code)})


def station_qr_code(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The station's QR code (一码通), which opens its suggestion form; public like the code."""
    station = active_station(code)
    return qr_response(request, url=station_form_url(station), code=station.code, fmt=fmt)


def station_poster(request: HttpRequest, code: str) -> HttpResponse:
    """An A4 poster with the station's QR code, for the notice board and the reception room."""
    station = active_station(code)
    return render(
        request,
        "stations/poster.html",
        {
            "station": station,
            "form_url": station_form_url(station),
            # The rule in words and the next date (None: the station has no reception days).
            "reception": station_schedule_summary(station),
        },
    )


def representative_detail(request: HttpRequest, code: str) -> HttpResponse:
    representative, assignments = representative_with_stations(code)
    return render(
        request,
        "representatives/detail.html",
        {"representative": representative, "assignments": assignments},
    )


def representative_qr_code(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The representative's own QR code (亮码), which opens a form addressed to them."""
    representative = active_representative(code)
    return qr_response(
        request, url=representative_form_url(representative), code=representative.code, fmt=fmt
    )
