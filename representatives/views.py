from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .selectors import representative_with_stations


def detail(request: HttpRequest, code: str) -> HttpResponse:
    representative, assignments = representative_with_stations(code)
    return render(
        request,
        "representatives/detail.html",
        {"representative": representative, "assignments": assignments},
    )
