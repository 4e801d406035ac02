"""Representatives log held receptions from their phones; staff see which days still lack one."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.http import AuthenticatedHttpRequest

from ..forms import DutyLogForm, RaisedFormSet
from ..logs import LogError, duty_log_record
from ..models import ReceptionDay
from ..permissions import days_to_log, may_log


@login_required
def my_receptions(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A representative's duties, or a station's days: upcoming, and recent ones to log."""
    today = timezone.localdate()
    days = (
        days_to_log(request.user)
        .filter(date__gte=today - datetime.timedelta(days=60))
        .exclude(status=ReceptionDay.Status.CANCELLED)
        .select_related("station", "log")
        .order_by("date")[:100]
    )
    return render(request, "receptions/my_receptions.html", {"days": days, "today": today})


@login_required
def record_log(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    day = get_object_or_404(ReceptionDay.objects.select_related("station__region"), pk=pk)
    if not may_log(request.user, day):
        raise PermissionDenied
    on_duty = [duty.representative_id for duty in day.duties.all()]
    form = DutyLogForm(
        request.POST or None, request.FILES or None, day=day, initial={"attendees": on_duty}
    )
    raised = RaisedFormSet(request.POST or None, day=day, prefix="raised")
    if request.method == "POST" and form.is_valid() and raised.is_valid():
        try:
            duty_log_record(
                day=day, actor=request.user, attendees=form.cleaned_data["attendees"],
                visitor_batches=form.cleaned_data["visitor_batches"],
                visitors=form.cleaned_data["visitors"], summary=form.cleaned_data["summary"],
                photos=form.cleaned_data["photos"] or [], raised=raised.submissions(),
            )  # fmt: skip
        except LogError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The reception is logged. Thank you."))
            return redirect("duty_logs:mine")
    return render(
        request,
        "receptions/record_log.html",
        {"day": day, "form": form, "raised": raised},
        status=400 if request.method == "POST" else 200,
    )
