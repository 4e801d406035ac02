"""Reads of reception days for the public notice, the poster and the calendar feeds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from liaison.months import add_months
from representatives.models import Representative
from stations.models import Station

from .models import Duty, ReceptionDay, ReceptionRule
from .schedule import LOOKBACK, occurrences

# How far back the calendar feeds reach, so that subscribers keep the recent past.
FEED_PAST = dt.timedelta(days=92)


def _prefetch_rota() -> Prefetch:
    return Prefetch(
        "duties",
        queryset=Duty.objects.select_related("representative").order_by("-role", "pk"),
        to_attr="rota",
    )


def _split_rota(days: list[ReceptionDay]) -> list[ReceptionDay]:
    """Give each day `representatives_on_duty` and `leaders_on_duty` (lists of representatives)."""
    for day in days:
        day.representatives_on_duty = [
            duty.representative for duty in day.rota if duty.role == Duty.Role.REPRESENTATIVE
        ]
        day.leaders_on_duty = [
            duty.representative for duty in day.rota if duty.role == Duty.Role.LEADER
        ]
    return days


def upcoming_days(station: Station, limit: int = 3) -> list[ReceptionDay]:
    """The station's next reception days (cancelled ones too, with their reason), each with
    the representatives on duty: two queries whatever the numbers."""
    days = list(
        ReceptionDay.objects.filter(station=station, date__gte=timezone.localdate())
        .prefetch_related(_prefetch_rota())
        .order_by("date", "start_time", "pk")[:limit]
    )
    return _split_rota(days)


def station_feed_days(station: Station) -> list[ReceptionDay]:
    """The station's reception days for its calendar feed: the recent past and all ahead."""
    days = list(
        ReceptionDay.objects.filter(station=station, date__gte=timezone.localdate() - FEED_PAST)
        .select_related("station")
        .prefetch_related(_prefetch_rota())
        .order_by("date", "start_time", "pk")
    )
    return _split_rota(days)


def representative_feed_days(representative: Representative) -> list[ReceptionDay]:
    """The reception days `representative` is on duty, for their calendar feed."""
    days = list(
        ReceptionDay.objects.filter(
            duties__representative=representative,
            date__gte=timezone.localdate() - FEED_PAST,
        )
        .select_related("station")
        .prefetch_related(_prefetch_rota())
        .order_by("date", "start_time", "pk")
    )
    return _split_rota(days)


# --- Describing a rule -----------------------------------------------------------------------


def _week_label(week: int) -> str:
    return {
        1: _("the first week"),
        2: _("the second week"),
        3: _("the third week"),
        4: _("the fourth week"),
        5: _("the fifth week"),
        -1: _("the last week"),
    }.get(week, str(week))


def describe_rule(rule: ReceptionRule) -> str:
    """The rule in words, as a notice board says it: "每月10日，遇节假日顺延"."""
    Kind, Policy = ReceptionRule.Kind, ReceptionRule.HolidayPolicy
    if rule.kind == Kind.NTH_WEEKDAY:
        when = _("On the %(weekday)s of %(week)s of every month") % {
            "weekday": rule.get_weekday_display(),
            "week": _week_label(rule.week_of_month),
        }
    elif rule.kind == Kind.EVERY_K_MONTHS and (rule.interval_months or 1) > 1:
        when = _("On day %(day)s every %(months)s months, from %(start)s") % {
            "day": rule.day_of_month,
            "months": rule.interval_months,
            "start": date_format(rule.start_date, "YEAR_MONTH_FORMAT"),
        }
    else:
        when = _("On day %(day)s of every month") % {"day": rule.day_of_month}
    policies: dict[str, str] = {
        Policy.NEXT_WORKING_DAY: _("moved to the next working day on holidays"),
        Policy.SKIP: _("not held on holidays"),
        Policy.KEEP: _("held on holidays too"),
    }
    policy = policies[rule.holiday_policy]
    return _("%(when)s, %(policy)s") % {"when": when, "policy": policy}


@dataclass(frozen=True)
class ScheduleSummary:
    """What the poster and the station page say about when the station receives."""

    rules: list[str]
    next_date: dt.date | None
    next_start: dt.time | None = None
    next_end: dt.time | None = None
    next_provisional: bool = False

    @property
    def rule(self) -> str:
        return " / ".join(self.rules)


def current_rules(station: Station) -> QuerySet[ReceptionRule]:
    """The station's active rules that have not ended."""
    return (
        ReceptionRule.objects.filter(station=station, is_active=True)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
        .order_by("pk")
    )


def station_schedule_summary(
    station: Station, *, upcoming: list[ReceptionDay] | None = None
) -> ScheduleSummary | None:
    """The station's rules in words and its next reception date; None without a rule.

    One query: the rules, each carrying the station's next planned day. Pass the days
    `upcoming_days` gave and the next day is taken from them instead. When no day has been
    generated yet (a rule saved a moment ago, before the nightly run), the next date is worked
    out from the rules.
    """
    today = timezone.localdate()
    queryset = current_rules(station)
    if upcoming is None:
        next_planned = ReceptionDay.objects.filter(
            station=OuterRef("station"), date__gte=today, status=ReceptionDay.Status.PLANNED
        ).order_by("date", "start_time", "pk")
        queryset = queryset.annotate(
            **{
                f"_next_{name}": Subquery(next_planned.values(name)[:1])
                for name in ("date", "start_time", "end_time", "provisional")
            },
            _future_days=Exists(ReceptionDay.objects.filter(station=station, date__gte=today)),
        )
    rules = list(queryset)
    if not rules:
        return None
    described = [describe_rule(rule) for rule in rules]
    if upcoming is not None:
        next_day = next((d for d in upcoming if d.status == ReceptionDay.Status.PLANNED), None)
        if next_day is None and upcoming:
            # Every day shown is cancelled: look further.
            next_day = (
                ReceptionDay.objects.filter(
                    station=station, date__gte=today, status=ReceptionDay.Status.PLANNED
                )
                .order_by("date", "start_time", "pk")
                .first()
            )
        next_values = (
            (next_day.date, next_day.start_time, next_day.end_time, next_day.provisional)
            if next_day
            else None
        )
        any_future_day = bool(upcoming)
    else:
        first = rules[0]
        next_values = (
            (first._next_date, first._next_start_time, first._next_end_time,
             first._next_provisional)
            if first._next_date
            else None
        )  # fmt: skip
        any_future_day = first._future_days
    if next_values is None and not any_future_day:
        # Nothing generated yet: work the date out from the rules.
        computed = _computed_next(rules, today)
        if computed is not None:
            date, rule, provisional = computed
            next_values = (date, rule.start_time, rule.end_time, provisional)
    if next_values is None:
        return ScheduleSummary(rules=described, next_date=None)
    date, start, end, provisional = next_values
    return ScheduleSummary(
        rules=described,
        next_date=date,
        next_start=start,
        next_end=end,
        next_provisional=bool(provisional),
    )


def _computed_next(
    rules: list[ReceptionRule], today: dt.date
) -> tuple[dt.date, ReceptionRule, bool] | None:
    found = None
    for rule in rules:
        for occurrence in occurrences(rule, today - LOOKBACK, add_months(today, 3)):
            if occurrence.date is not None and occurrence.date >= today:
                if found is None or occurrence.date < found[0]:
                    found = (occurrence.date, rule, occurrence.provisional)
                break
    return found
