"""The lists behind a station's printable monthly report: the receptions held and the
suggestions received in the month."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from liaison.months import next_month
from receptions.models import ReceptionDay
from suggestions.models import Suggestion

from .measures import Status
from .periods import local_midnight


def month_receptions(station_ids: Sequence[int], month: dt.date) -> list[ReceptionDay]:
    """The reception days held in `month`, with their logs and who was on duty (two queries)."""
    return list(
        ReceptionDay.objects.filter(
            station_id__in=station_ids,
            status=ReceptionDay.Status.HELD,
            date__gte=month,
            date__lt=next_month(month),
        )
        .select_related("station", "log")
        .prefetch_related("duties__representative")
        .order_by("date", "start_time")
    )


@dataclass(frozen=True)
class StatusGroup:
    status: str
    label: str
    suggestions: list[Suggestion]


def month_suggestions(station_ids: Sequence[int], month: dt.date) -> list[StatusGroup]:
    """The suggestions received in `month`, grouped by their status in the lifecycle's order."""
    suggestions = (
        Suggestion.objects.filter(
            station_id__in=station_ids,
            created__gte=local_midnight(month),
            created__lt=local_midnight(next_month(month)),
        )
        .select_related("theme", "station")
        .defer("content", "phone", "name", "rating_comment", "feedback_note")
        .order_by("created", "pk")
    )
    groups: dict[str, list[Suggestion]] = {value: [] for value in Status.values}
    for suggestion in suggestions:
        groups[suggestion.status].append(suggestion)
    return [
        StatusGroup(value, str(label), groups[value])
        for value, label in Status.choices
        if groups[value]
    ]
