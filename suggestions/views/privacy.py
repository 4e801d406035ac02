"""Citizens' requests to see, correct or delete their personal data: station staff find what is
held by the citizen's phone number (sent in the request body, never in the address), record the
request and its answer, and read past requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from liaison.http import AuthenticatedHttpRequest
from stations.models import Station

from ..forms import DataRequestForm, DataSubjectLookupForm
from ..permissions import Scope, scope_of
from ..privacy import (
    data_request_record,
    data_requests_for,
    data_subject_held,
    data_subject_suggestions,
)


def _answering_scope(request: AuthenticatedHttpRequest) -> Scope:
    scope = scope_of(request.user)
    if not (scope.is_superuser or scope.station_ids):
        raise PermissionDenied
    return scope


def _stations(scope: Scope) -> QuerySet[Station]:
    if scope.is_superuser:
        return Station.objects.order_by("name")
    return Station.objects.filter(pk__in=scope.station_ids).order_by("name")


@never_cache
@login_required
def data_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the lookup form and past requests. POST: look a citizen up, or record a request."""
    scope = _answering_scope(request)
    lookup = DataSubjectLookupForm(request.POST or None)
    context: dict[str, object] = {"lookup": lookup}
    status = 200
    if request.method == "POST" and lookup.is_valid():
        phone = lookup.cleaned_data["phone"]
        held = data_subject_suggestions(scope, phone)
        stations = _stations(scope)
        if "record" in request.POST:
            form = DataRequestForm(request.POST, stations=stations, held=held)
            if form.is_valid():
                recorded = data_request_record(scope=scope, data=form.request_input())
                messages.success(request, _("The request is recorded."))
                return redirect("workbench:data_request", pk=recorded.pk)
            status = 400
        else:
            initial = {"phone": phone, "suggestions": held, "station": stations.first()}
            form = DataRequestForm(initial=initial, stations=stations, held=held)
        context |= {"form": form, "held": data_subject_held(held)}
    elif request.method == "POST":
        status = 400
    context["page"] = Paginator(data_requests_for(scope), 30).get_page(request.GET.get("page"))
    return render(request, "workbench/data_requests.html", context, status=status)


@never_cache
@login_required
def data_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    scope = _answering_scope(request)
    record = get_object_or_404(data_requests_for(scope), pk=pk)
    return render(
        request,
        "workbench/data_request.html",
        {
            "record": record,
            "events": record.events.select_related("actor"),
            "suggestions": record.suggestions.order_by("-created"),
        },
    )
