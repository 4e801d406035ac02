"""The statistics dashboard and the printable monthly report of a station."""

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.codes import normalize_code
from liaison.months import month_end, month_start_after
from stations.models import Region, Station

from ..statistics import charts
from ..statistics.dashboard import station_stats
from ..statistics.figures import StationStats
from ..statistics.measures import FINISHED
from ..statistics.periods import period_label
from ..statistics.report import month_receptions, month_suggestions
from ..statistics.scope import stats_scope

# Ten years is more than any report needs, and keeps a typo from counting a century.
LONGEST_PERIOD = dt.timedelta(days=3660)


class PeriodForm(forms.Form):
    """?region=&station=&start=&end= — months (2025-03) or days (2025-03-10)."""

    region = forms.IntegerField(required=False, min_value=1)
    station = forms.CharField(required=False, max_length=12)
    start = forms.CharField(label=gettext_lazy("Period from"), required=False, max_length=10)
    end = forms.CharField(label=gettext_lazy("Period until"), required=False, max_length=10)

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def _day(self, name: str, *, last: bool) -> dt.date | None:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return None
        try:
            if len(value) == 7:
                first = dt.date.fromisoformat(f"{value}-01")
                return month_end(first) if last else first
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(
                _("Enter a month such as 2025-03 or a day such as 2025-03-10.")
            ) from None

    def clean_start(self) -> dt.date | None:
        return self._day("start", last=False)

    def clean_end(self) -> dt.date | None:
        return self._day("end", last=True)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        end = end or month_end(self.today)
        start = start or month_start_after(end, -11)
        if start > end:
            raise ValidationError(_("The period must start before it ends."))
        if end - start > LONGEST_PERIOD:
            raise ValidationError(_("Choose a period of ten years at most."))
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        end = month_end(self.today)
        return month_start_after(end, -11), end


def _charts(stats: StationStats) -> dict:
    return {
        "by_month": charts.grouped_bars(
            title=_("Suggestions received and completed by month"),
            categories=[f"{row.month:%Y-%m}" for row in stats.by_month],
            series=[
                (_("Received"), [row.received for row in stats.by_month]),
                (_("Completed"), [row.completed for row in stats.by_month]),
            ],
        ),
        "routes": charts.stacked_bar(
            title=_("Routing mix"), shares=[(f.label, f.count) for f in stats.routes]
        ),
        "ratings": charts.stacked_bar(
            title=_("Satisfaction"), shares=[(f.label, f.count) for f in stats.ratings]
        ),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = stats_scope(request.user)
    if scope.is_empty:
        raise PermissionDenied(_("Statistics are for station staff and supervisors."))
    form = PeriodForm(request.GET or None, today=timezone.localdate())
    start, end = form.period()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    region = station = None
    if data.get("station"):
        station = get_object_or_404(
            Station.objects.select_related("region"), code=normalize_code(data["station"])
        )
        if not scope.allows_station(station):
            raise Http404
    elif data.get("region"):
        region = get_object_or_404(Region, pk=data["region"])
        if not scope.allows_region(region):
            raise Http404

    if station is not None:
        stats = station_stats(station=station, start=start, end=end)
    elif region is not None:
        stats = station_stats(region=region, start=start, end=end)
    elif scope.regions:
        stats = station_stats(regions=scope.regions, start=start, end=end)
    else:
        stats = station_stats(stations=scope.stations, start=start, end=end)

    # Drill down: the regions under the one shown (or under the user's only region).
    shown = region or (scope.regions[0] if station is None and len(scope.regions) == 1 else None)
    children = list(Region.objects.filter(parent=shown).order_by("code", "name")) if shown else []
    return render(
        request,
        "ledger/stats.html",
        {
            "stats": stats,
            "form": form,
            "period": period_label(start, end),
            "start": f"{start:%Y-%m}",
            "end": f"{end:%Y-%m}",
            "scope": scope,
            "region": region,
            "station": station,
            "children": children,
            "charts": _charts(stats),
        },
    )


@login_required
def report(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    """A station's month on one or two A4 pages: the figures and the lists behind them."""
    station = get_object_or_404(
        Station.objects.select_related("region", "parent"), code=normalize_code(code)
    )
    if not stats_scope(request.user).allows_station(station):
        raise Http404
    try:
        first = dt.date(int(year), int(month), 1)
    except ValueError:
        raise Http404 from None
    stats = station_stats(station=station, start=first, end=month_end(first))
    ids = stats.station_ids
    return render(
        request,
        "ledger/report.html",
        {
            "station": station,
            "month": first,
            "stats": stats,
            "receptions": month_receptions(ids, first),
            "groups": month_suggestions(ids, first),
            "finished": FINISHED,
            "printed": timezone.localtime(),
        },
    )
