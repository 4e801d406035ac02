"""Writes to reception days: generation from the rules, and staff moving or cancelling a day.

Generation is idempotent by (rule, nominal date): running it again never adds a second day for
the same date of the same rule. A day regeneration finds at another date than the rule now gives
(the holiday calendar was corrected, the rule was edited) is changed only while nobody has built
on it: still planned, not moved by staff, no one on duty and no log. A planned day with a rota or
a log is left as it is and counted as `kept`, for staff to decide; a day staff moved or cancelled
is theirs.

The rota lives in `rota.py` and `swaps.py`, the reminders in `reminders.py`, the duty logs in
`logs.py`; who may do what, in `permissions.py`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.months import add_months
from stations.models import Station
from workdays.selectors import is_provisional

from .models import Duty, DutyLog, ReceptionDay, ReceptionRule
from .permissions import check_can_manage
from .schedule import LOOKBACK, Occurrence, occurrences

logger = logging.getLogger(__name__)

# Rules locked and written together in one transaction.
CHUNK_SIZE = 500

Status = ReceptionDay.Status


@dataclass
class GenerationReport:
    """What one generation run did."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    # Planned days whose rule now names another date (or none) but that have a rota or a log:
    # left alone for staff to decide. (Days moved or cancelled by staff are not counted: the
    # rule no longer speaks for them.)
    kept: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed


def generation_horizon(today: dt.date | None = None) -> dt.date:
    """The last date generation fills by default: RECEPTION_HORIZON_MONTHS from today."""
    return add_months(today or timezone.localdate(), settings.RECEPTION_HORIZON_MONTHS)


def reception_days_generate(
    *,
    rule: ReceptionRule | None = None,
    station: Station | None = None,
    until: dt.date | None = None,
    report: GenerationReport | None = None,
) -> int:
    """Create and correct the reception days of one rule, one station's rules, or all rules,
    from today until `until` (default: the horizon). Returns how many days were created,
    updated or removed; pass a `report` to have the figures one by one."""
    today = timezone.localdate()
    until = until or generation_horizon(today)
    report = report if report is not None else GenerationReport()
    _generate(
        _rules(rule=rule, station=station, today=today),
        first=today - LOOKBACK,
        last=until,
        today=today,
        report=report,
    )
    return report.changed


def reception_days_follow_calendar(sender, years: Iterable[int], **kwargs) -> None:
    """Receiver of `workdays.signals.calendar_changed`: recompute the days in `years`.

    Runs after the calendar change is committed. Only the part of the horizon inside the
    changed years is looked at; days with a rota or a log, or changed by staff, stay put.
    """
    years = set(years)
    if not years:
        return
    today = timezone.localdate()
    first = max(today - LOOKBACK, dt.date(min(years), 1, 1) - LOOKBACK)
    last = min(generation_horizon(today), dt.date(max(years), 12, 31))
    if first > last:
        return
    report = GenerationReport()
    _generate(_rules(today=today), first=first, last=last, today=today, report=report)
    logger.info("Reception days after the calendar change of %s: %s", sorted(years), report)


def _rules(
    *, rule: ReceptionRule | None = None, station: Station | None = None, today: dt.date
) -> QuerySet[ReceptionRule]:
    qs = ReceptionRule.objects.all()
    if rule is not None:
        # One rule on request (e.g. just saved or switched off in the admin), active or not.
        return qs.filter(pk=rule.pk)
    if station is not None:
        qs = qs.filter(station=station)
    # Inactive rules (or rules of inactive stations) are included while they still have
    # future planned days, so that the days nobody has built on are taken back.
    retired = ReceptionDay.objects.filter(
        Q(rule__is_active=False) | Q(station__is_active=False),
        date__gte=today,
        status=Status.PLANNED,
    ).values("rule_id")
    return qs.filter(Q(is_active=True, station__is_active=True) | Q(pk__in=retired))


def _generate(
    rules: QuerySet[ReceptionRule],
    *,
    first: dt.date,
    last: dt.date,
    today: dt.date,
    report: GenerationReport,
) -> None:
    pks = list(rules.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), CHUNK_SIZE):
        _generate_chunk(pks[start : start + CHUNK_SIZE], first, last, today, report)


class _Existing(NamedTuple):
    """What generation needs to know of a day already there (full rows cost a lot in bulk)."""

    pk: int
    rule_id: int
    nominal_date: dt.date
    date: dt.date
    provisional: bool
    status: str
    moved_by_staff: bool


@transaction.atomic
def _generate_chunk(
    pks: list[int], first: dt.date, last: dt.date, today: dt.date, report: GenerationReport
) -> None:
    # The rule rows are the lock: two runs for the same rule (the daily task, the admin action,
    # a calendar change) take turns, and the second sees what the first created.
    rules = list(
        ReceptionRule.objects.select_for_update(of=("self",))
        .filter(pk__in=pks)
        .select_related("station")
        .order_by("pk")
    )
    # Locked too, so that a staff move or cancel cannot slip in between reading and writing.
    existing = (
        ReceptionDay.objects.select_for_update()
        .filter(rule_id__in=pks, nominal_date__gte=first, nominal_date__lte=last)
        .order_by("pk")
        .values_list(*_Existing._fields)
    )
    by_rule: dict[int, dict[dt.date, _Existing]] = {}
    for row in existing:
        day = _Existing(*row)
        by_rule.setdefault(day.rule_id, {})[day.nominal_date] = day

    new_days: list[ReceptionDay] = []
    # Planned days, not moved by staff, whose rule now names another date or provisional flag
    # (None: no date at all).
    differing: dict[int, Occurrence | None] = {}
    for rule in rules:
        days = by_rule.get(rule.pk, {})
        named = (
            {o.nominal: o for o in occurrences(rule, first, last)}
            if rule.is_active and rule.station.is_active
            else {}
        )
        rule_days = [
            reception_day_from_rule(rule, occurrence)
            for nominal, occurrence in named.items()
            if nominal not in days and occurrence.date is not None and occurrence.date >= today
        ]
        if rule_days:
            # A rule's days differ only in the dates the schedule worked out: checking one of
            # them checks the values they all take from the rule.
            _clean_generated(rule_days[0])
            new_days.extend(rule_days)
        for nominal, day in days.items():
            if day.date < today or day.status != Status.PLANNED or day.moved_by_staff:
                continue  # history is not rewritten, and staff decisions stand
            occurrence = named.get(nominal)
            if occurrence is not None and occurrence.date is not None:
                if occurrence.date < today:
                    continue  # never move a day into the past
                if (occurrence.date, occurrence.provisional) == (day.date, day.provisional):
                    continue
                differing[day.pk] = occurrence
            else:
                differing[day.pk] = None

    ReceptionDay.objects.bulk_create(new_days)
    report.created += len(new_days)
    if differing:
        _apply_differences(differing, report)


def _clean_generated(day: ReceptionDay) -> None:
    # Uniqueness is what the rule lock and the lookup by nominal date guarantee (and the
    # database's constraint backs up); station and rule were just read. Checking them again
    # would cost three queries a day.
    day.full_clean(exclude=["station", "rule"], validate_unique=False, validate_constraints=False)


def reception_day_from_rule(rule: ReceptionRule, occurrence: Occurrence) -> ReceptionDay:
    """The (unsaved) reception day that `rule` holds on `occurrence`, with the rule's settings."""
    return ReceptionDay(
        station_id=rule.station_id,
        rule=rule,
        nominal_date=occurrence.nominal,
        date=occurrence.date,
        start_time=rule.start_time,
        end_time=rule.end_time,
        place=rule.place,
        theme=rule.default_theme,
        provisional=occurrence.provisional,
    )


def _apply_differences(differing: dict[int, Occurrence | None], report: GenerationReport) -> None:
    ids = list(differing)
    # Read after the days were locked: a duty or log committed meanwhile is seen here.
    built_on = set(Duty.objects.filter(day_id__in=ids).values_list("day_id", flat=True))
    built_on |= set(DutyLog.objects.filter(day_id__in=ids).values_list("day_id", flat=True))
    now = timezone.now()
    changed: list[ReceptionDay] = []
    removed: list[int] = []
    days = ReceptionDay.objects.in_bulk(ids)
    for pk, occurrence in differing.items():
        day = days[pk]
        if pk not in built_on:
            if occurrence is None:
                removed.append(day.pk)
                continue
            day.date, day.provisional = occurrence.date, occurrence.provisional
        else:
            if occurrence is None or occurrence.date != day.date:
                report.kept += 1
                logger.warning(
                    "Reception day %s (station %s) stays on %s although its rule now gives %s: "
                    "it has a rota or a log.",
                    day.pk,
                    day.station_id,
                    day.date,
                    occurrence.date if occurrence else "no date",
                )
            # The date stays; whether it is still provisional is a fact of the calendar.
            provisional = (
                occurrence.provisional
                if occurrence is not None and occurrence.date == day.date
                else is_provisional(day.date)
            )
            if provisional == day.provisional:
                continue
            day.provisional = provisional
        day.updated = now
        _clean_generated(day)
        changed.append(day)
    if changed:
        ReceptionDay.objects.bulk_update(changed, ["date", "provisional", "updated"])
    if removed:
        ReceptionDay.objects.filter(pk__in=removed).delete()
    report.updated += len(changed)
    report.removed += len(removed)


# --- Staff changes ---------------------------------------------------------------------------


def _locked_day_for(actor: User, day: ReceptionDay) -> ReceptionDay:
    day = ReceptionDay.objects.select_for_update().select_related("station").get(pk=day.pk)
    check_can_manage(actor, day.station)
    return day


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"change_reason": _("Give the reason for the change; it is shown to the public.")}
        )
    return reason


@transaction.atomic
def reception_day_move(
    *, day: ReceptionDay, actor: User, new_date: dt.date, reason: str
) -> ReceptionDay:
    """Move a planned reception day to `new_date`; the reason is shown on the public notice.

    A day moved by staff is never moved again by regeneration.
    """
    reason = _required_reason(reason)
    day = _locked_day_for(actor, day)
    if day.status != Status.PLANNED:
        raise ValidationError(_("Only a planned reception day can be moved."))
    if new_date < timezone.localdate():
        raise ValidationError({"date": _("A reception day cannot be moved into the past.")})
    if new_date == day.date:
        raise ValidationError({"date": _("Choose a date other than the current one.")})
    old_date = day.date
    day.date = new_date
    day.change_reason = reason
    day.moved_by_staff = True
    # Staff chose the date: the calendar will not move it, so it is not provisional.
    day.provisional = False
    day.full_clean()
    day.save(update_fields=["date", "change_reason", "moved_by_staff", "provisional", "updated"])
    logger.info(
        "Reception day %s moved from %s to %s by user %s: %s",
        day.pk, old_date, new_date, actor.pk, reason,
    )  # fmt: skip
    return day


@transaction.atomic
def reception_day_cancel(*, day: ReceptionDay, actor: User, reason: str) -> ReceptionDay:
    """Cancel a planned reception day; it stays on the public notice with the reason."""
    reason = _required_reason(reason)
    day = _locked_day_for(actor, day)
    if day.status != Status.PLANNED:
        raise ValidationError(_("Only a planned reception day can be cancelled."))
    day.status = Status.CANCELLED
    day.change_reason = reason
    day.full_clean()
    day.save(update_fields=["status", "change_reason", "updated"])
    logger.info("Reception day %s cancelled by user %s: %s", day.pk, actor.pk, reason)
    return day
