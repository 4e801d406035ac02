"""The deadline rules, in one module: how long a route may take, when a suggestion is due, when an
approved extension moves it, and when it counts as due soon. Counted in working days on the
shared calendar (workdays). Whether a suggestion is overdue is the model's rule
(`Suggestion.overdue_q` / `Suggestion.objects.overdue`), since every list filters on it.
"""

import datetime as dt

from django.conf import settings

from workdays.selectors import add_working_days, is_provisional, working_days_between

from .models import HandlingTimeLimit, Suggestion


def time_limit(suggestion: Suggestion, route: str) -> int:
    """Working days for `route` at this suggestion's station: the nearest region's rule wins."""
    region = suggestion.station.region
    limits = {
        limit.region_id: limit.working_days
        for limit in HandlingTimeLimit.objects.filter(
            region_id__in=region.ancestor_ids(), route=route
        )
    }
    for region_id in reversed(region.ancestor_ids()):
        if region_id in limits:
            return limits[region_id]
    return settings.HANDLING_WORKING_DAYS[route]


def set_deadline(suggestion: Suggestion, route: str, *, today: dt.date) -> None:
    """The route's time limit counted from `today`; provisional in a year without a calendar."""
    suggestion.deadline = add_working_days(today, time_limit(suggestion, route))
    suggestion.deadline_provisional = is_provisional(suggestion.deadline)


def extend_deadline(suggestion: Suggestion, working_days: int) -> None:
    """An approved extension moves the deadline on by its working days."""
    assert suggestion.deadline is not None
    suggestion.deadline = add_working_days(suggestion.deadline, working_days)
    suggestion.deadline_provisional = is_provisional(suggestion.deadline)


def clear_deadline(suggestion: Suggestion) -> None:
    """Back before routing (handed back, reopened): no clock runs until it is routed again."""
    suggestion.deadline, suggestion.deadline_provisional = None, False


def is_due_soon(suggestion: Suggestion, *, today: dt.date) -> bool:
    """Open, not yet overdue, and within DUE_SOON_WORKING_DAYS working days of its deadline."""
    deadline = suggestion.deadline
    if deadline is None or not suggestion.is_open:
        return False
    if Suggestion.overdue_on(status=suggestion.status, deadline=deadline, today=today):
        return False
    return working_days_between(today, deadline) <= settings.DUE_SOON_WORKING_DAYS
