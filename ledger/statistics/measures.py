"""What is counted: the measures of the summary table, as aggregates over suggestions and
reception days (see the package's docstring for how each number is counted)."""

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from receptions.models import Duty, DutyLog, ReceptionDay
from stations.models import Region
from suggestions.models import Suggestion

from ..models import RegionMonthSummary
from .periods import month_of, range_q

Status = Suggestion.Status
FINISHED = tuple(Suggestion.FINISHED_STATUSES)

# The summary table's columns, in three families that are counted in three ways.
SUMMARY_FIELDS: tuple[str, ...] = tuple(
    f.name for f in RegionMonthSummary._meta.fields if f.name not in ("id", "region", "month")
)
DAY_FIELDS = ("days_total", "days_counted")
RECEPTION_FIELDS = (
    "receptions_held", "visitor_batches", "visitors", "duties_done", "receptions_logged",
)  # fmt: skip
BREAKDOWN_FIELDS = ("received", "completed", "overdue")
# Regions down to this level have summaries; a village is counted live (it has a point or two).
SUMMARY_LEVEL = Region.Level.TOWNSHIP


def suggestion_measures(today: dt.date) -> dict:
    """Every suggestion count of the summary table, as aggregates over suggestions."""
    finished = Q(status__in=FINISHED)
    has_deadline = Q(deadline__isnull=False, completed_at__isnull=False)
    measures = {"received": Count("pk")}
    measures |= {f"status_{v}": Count("pk", filter=Q(status=v)) for v in Status.values}
    measures["overdue"] = Count("pk", filter=Suggestion.overdue_q(today))
    measures["reopened"] = Count("pk", filter=Q(reopen_count__gt=0))
    measures["raised"] = Count(
        "pk", filter=Q(addressee__isnull=False) | Q(reception_day__isnull=False)
    )
    for prefix, name, choices in (
        ("channel", "channel", Suggestion.Channel),
        ("route", "route", Suggestion.Route),
        ("outcome", "outcome", Suggestion.Outcome),
        ("rating", "rating", Suggestion.Rating),
    ):
        measures |= {
            f"{prefix}_{v.lower()}": Count("pk", filter=Q(**{name: v})) for v in choices.values
        }
    measures["with_deadline"] = Count("pk", filter=finished & has_deadline)
    measures["on_time"] = Count(
        "pk", filter=finished & has_deadline & Q(completed_at__date__lte=F("deadline"))
    )
    return measures


def breakdown_measures(today: dt.date, prefix: str = "") -> dict:
    return {
        "received": Count("pk"),
        "completed": Count("pk", filter=Q(**{f"{prefix}status__in": FINISHED})),
        "overdue": Count("pk", filter=Suggestion.overdue_q(today, prefix)),
    }


assert set(SUMMARY_FIELDS) == {
    *suggestion_measures(dt.date.today()),
    *DAY_FIELDS,
    *RECEPTION_FIELDS,
}, "RegionMonthSummary's columns and the measures counted into them must match"


def reception_counts(day_q: Q, duty_q: Q, ranges, *, group: str = "") -> dict:
    """Receptions held, visitors, duties done and logs by representatives, by month (and group).

    `group` is the station path's end to group by as well (the summaries group by region).
    """
    out: dict = defaultdict(Counter)
    held = ReceptionDay.objects.filter(
        day_q, range_q("date", ranges, moments=False), status=ReceptionDay.Status.HELD
    ).order_by()
    keys = ["m", *([f"station__{group}"] if group else [])]

    def key(row):
        return (row.pop("m"), row.pop(keys[1])) if group else row.pop("m")

    for row in (
        held.annotate(m=month_of("date"))
        .values(*keys)
        .annotate(
            receptions_held=Count("pk"),
            visitor_batches=Coalesce(Sum("log__visitor_batches"), 0),
            visitors=Coalesce(Sum("log__visitors"), 0),
        )
    ):
        out[key(row)].update(row)
    duty_keys = ["m", *([f"day__station__{group}"] if group else [])]
    for model, measure, extra in (
        (Duty, "duties_done", Q(day__status=ReceptionDay.Status.HELD)),
        (DutyLog, "receptions_logged", Q(recorded_by__representative__isnull=False)),
    ):
        rows = (
            model.objects.filter(duty_q, extra, range_q("day__date", ranges, moments=False))
            .order_by()
            .annotate(m=month_of("day__date"))
            .values(*duty_keys)
            .annotate(**{measure: Count("pk")})
        )
        for row in rows:
            month = row.pop("m")
            out[(month, row.pop(duty_keys[1])) if group else month].update(row)
    return out
