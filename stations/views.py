from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from receptions.selectors import station_schedule_summary

from .forms import DirectorySearchForm
from .models import Region
from .qr import qr_response, station_form_url
from .selectors import (
    active_station,
    regions_with_station_counts,
    station_directory,
    station_page,
)


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


def detail(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "stations/detail.html", {"page": station_page(code)})


def qr_code(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The station's QR code (一码通), which opens its suggestion form; public like the code."""
    station = active_station(code)
    return qr_response(request, url=station_form_url(station), code=station.code, fmt=fmt)


def poster(request: HttpRequest, code: str) -> HttpResponse:
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
