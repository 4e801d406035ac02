from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .forms import DirectorySearchForm
from .models import Region
from .selectors import regions_with_station_counts, station_directory, station_page


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
