"""When a reception rule falls: nominal dates, then the holiday policy.

The nominal dates are plain calendar arithmetic (no I/O). The holiday policy asks the shared
working-day calendar (`workdays.selectors`), which decides what a working day is: a make-up
working Saturday (班) is a working day, a weekday inside the Spring Festival is not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from liaison.months import iter_months, last_day_of_month
from workdays.selectors import is_provisional, is_working_day, next_working_day

from .models import ReceptionRule

Kind = ReceptionRule.Kind
Policy = ReceptionRule.HolidayPolicy

# A nominal date up to this far back may have been moved forward to today or later (the longest
# holiday, Spring Festival or National Day with its weekends, is well under a month).
LOOKBACK = dt.timedelta(days=31)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One date a rule names, and where the holiday policy puts it."""

    nominal: dt.date
    # None when the policy is SKIP and the nominal date is not a working day.
    date: dt.date | None
    # True while the nominal or the resulting date lies in a year without a published calendar.
    provisional: bool


def day_in_month(year: int, month: int, day: int) -> dt.date:
    """Day `day` of the month, or its last day when the month is shorter (31 → 30 April)."""
    return dt.date(year, month, min(day, last_day_of_month(year, month)))


def nth_weekday(year: int, month: int, week: int, weekday: int) -> dt.date | None:
    """The `week`-th `weekday` (0 = Monday) of the month; `week` -1 is the last one.

    "Tuesday of the third week" is the third Tuesday. A month without a fifth Tuesday has no
    date for week 5 (None), as in RFC 5545's BYDAY=5TU.
    """
    if week == -1:
        last = dt.date(year, month, last_day_of_month(year, month))
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    return day if day.month == month else None


def rule_errors(rule: ReceptionRule) -> dict[str, str]:
    """What a rule lacks before it can name dates, by field (empty when it is complete)."""
    errors: dict[str, str] = {}
    if rule.kind in (Kind.MONTHLY_DAY, Kind.EVERY_K_MONTHS):
        if rule.day_of_month is None or not 1 <= rule.day_of_month <= 31:
            errors["day_of_month"] = _("Enter a day of the month from 1 to 31.")
    if rule.kind == Kind.EVERY_K_MONTHS and (rule.interval_months or 0) < 1:
        errors["interval_months"] = _("Enter how many months lie between two reception days.")
    if rule.kind == Kind.NTH_WEEKDAY:
        if rule.week_of_month not in (1, 2, 3, 4, 5, -1):
            errors["week_of_month"] = _("Enter a week from 1 to 5, or -1 for the last week.")
        if rule.weekday is None:
            errors["weekday"] = _("Choose a weekday.")
    if rule.start_time and rule.end_time and rule.end_time <= rule.start_time:
        errors["end_time"] = _("The reception must end after it starts.")
    if rule.start_date and rule.end_date and rule.end_date < rule.start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    return errors


def nominal_dates(rule: ReceptionRule, first: dt.date, last: dt.date) -> list[dt.date]:
    """The dates `rule` names in [first, last], before any holiday move.

    Only dates inside the rule's own validity (start_date … end_date) count. An incomplete rule
    (see `rule_errors`) names none.
    """
    if rule_errors(rule):
        return []
    first = max(first, rule.start_date)
    if rule.end_date is not None:
        last = min(last, rule.end_date)
    if last < first:
        return []
    dates = []
    anchor = rule.start_date.year * 12 + rule.start_date.month
    day: dt.date | None
    for year, month in iter_months(first, last):
        if rule.kind == Kind.MONTHLY_DAY:
            day = day_in_month(year, month, rule.day_of_month)
        elif rule.kind == Kind.EVERY_K_MONTHS:
            if (year * 12 + month - anchor) % rule.interval_months:
                continue
            day = day_in_month(year, month, rule.day_of_month)
        elif rule.kind == Kind.NTH_WEEKDAY:
            day = nth_weekday(year, month, rule.week_of_month, rule.weekday)
        else:
            raise ValueError(f"Unknown kind of reception rule: {rule.kind!r}")
        if day is not None and first <= day <= last:
            dates.append(day)
    return dates


def apply_holiday_policy(nominal: dt.date, policy: str) -> Occurrence:
    """Where a reception named for `nominal` takes place under `policy`."""
    day: dt.date | None
    if policy == Policy.NEXT_WORKING_DAY:
        # A make-up working Saturday is a working day, so a reception on it stays.
        day = next_working_day(nominal)
    elif policy == Policy.SKIP:
        day = nominal if is_working_day(nominal) else None
    elif policy == Policy.KEEP:
        day = nominal
    else:
        raise ValueError(f"Unknown holiday policy: {policy!r}")
    provisional = is_provisional(nominal) or (day is not None and is_provisional(day))
    return Occurrence(nominal=nominal, date=day, provisional=provisional)


def occurrences(rule: ReceptionRule, first: dt.date, last: dt.date) -> list[Occurrence]:
    """Every nominal date of `rule` in [first, last] with the holiday policy applied.

    Skipped dates are included with `date=None`, so callers can tell "skipped" from "not named".
    """
    policy = rule.holiday_policy
    return [apply_holiday_policy(day, policy) for day in nominal_dates(rule, first, last)]
