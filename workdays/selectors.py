"""The working-day calendar: which dates are working days, for deadlines and reception days.

A date's status comes from, in order:

1. a staff override (`DayOverride`): a holiday (休) or a make-up working day (班, 调休);
2. the `chinesecalendar` library, for the years it covers ("official");
3. for a year staff have marked published (`PublishedYear`) but the library does not cover:
   plain weekdays and weekends, because the notice's holidays and make-up days are overrides;
4. otherwise an estimate: weekends and the statutory holidays guessed by the `holidays` package
   are days off, with no make-up working days. Such dates are provisional.

Deadline and schedule code asks thousands of times per request, so every override and published
year is read once into an in-process snapshot with a per-date memo. The snapshot carries a
version token kept in Django's default cache; each change sets a new token on commit and other
processes notice within `VERSION_CHECK_SECONDS`. The process that made the change sees it at
once, even before commit: a thread with uncommitted calendar writes reads a snapshot of its own,
which lasts exactly as long as its transaction (see `_writes_pending`).

The writes live in `workdays.services`; each calls `note_change` here, which makes the change
visible to its own thread at once and sends `calendar_changed` on commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

import chinese_calendar
import holidays
from django.apps import AppConfig
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DayOverride, PublishedYear
from .signals import calendar_changed

__all__ = [
    "DayInfo",
    "HOLIDAY_NAMES",
    "LIBRARY_YEARS",
    "Source",
    "VERSION_CHECK_SECONDS",
    "add_working_days",
    "calendar_changed",
    "day_info",
    "forget_snapshot",
    "is_provisional",
    "is_working_day",
    "next_working_day",
    "note_change",
    "working_days_between",
]

logger = logging.getLogger(__name__)

ONE_DAY = dt.timedelta(days=1)

# How often a process asks the shared cache whether another process changed the calendar.
VERSION_CHECK_SECONDS = 1.0
# Without a reachable cache there is no version to compare; reload this often instead.
_MAX_AGE_WITHOUT_VERSION = 60.0
# Memoised answers per snapshot; past this the memo starts afresh (about 270 years of dates).
_MEMO_LIMIT = 100_000
_VERSION_KEY = "workdays:calendar-version"


def _library_years() -> range:
    # The same bounds the library checks before raising NotImplementedError.
    covered = chinese_calendar.holidays.keys()
    return range(min(covered).year, max(covered).year + 1)


# The years the chinesecalendar library publishes (2004–2026 in 1.11).
LIBRARY_YEARS: range = _library_years()

# Display names for the English holiday names the library returns (and the estimate reuses),
# so that `DayInfo.label` shows them in the user's language. Staff-entered names show as typed.
HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "National Day": _("National Day"),
    "Anti-Fascist 70th Day": _("70th anniversary of the victory in the War of Resistance"),
}

# The `holidays` package's English names, mapped onto the library's vocabulary.
_ESTIMATE_NAMES = {
    "Chinese New Year (Spring Festival)": "Spring Festival",
    "Chinese New Year's Eve": "Spring Festival",
    "Tomb-Sweeping Day": "Tomb-sweeping Day",
    "Labor Day": "Labour Day",
    "Mid-Autumn Festival": "Mid-autumn Festival",
}


class Source(StrEnum):
    OVERRIDE = "override"
    OFFICIAL = "official"
    ESTIMATE = "estimate"


@dataclass(frozen=True, slots=True)
class DayInfo:
    """What the calendar knows about one date."""

    date: dt.date
    is_working: bool
    # The holiday the day belongs to ("" for a plain weekday or weekend). A make-up working day
    # carries the name of the holiday it makes up for. Library and estimate names are the
    # library's English names (see `label`); override names are what staff typed.
    name: str
    # True while the date's year has no published calendar: the answer may still change.
    provisional: bool
    source: Source

    @property
    def is_makeup_workday(self) -> bool:
        """A Saturday or Sunday that is a working day (班)."""
        return self.is_working and self.date.weekday() >= 5

    @property
    def is_holiday(self) -> bool:
        """A day off that is not just an ordinary weekend (休)."""
        return not self.is_working and (self.date.weekday() < 5 or bool(self.name))

    @property
    def label(self) -> str:
        """The holiday name in the active language."""
        return str(HOLIDAY_NAMES.get(self.name, self.name))


# --- The snapshot ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Snapshot:
    version: str | None
    loaded_at: float
    overrides: dict[dt.date, tuple[bool, str]]  # date -> (is_working, name)
    published: frozenset[int]
    days: dict[dt.date, DayInfo] = field(default_factory=dict)


# The snapshot every thread shares, from committed data, and when its version was last checked.
_shared: _Snapshot | None = None
_checked_at = 0.0
# Per thread: on-commit callbacks of calendar writes not yet committed (`pending`) and the
# snapshot that sees them (`snapshot`).
_thread = threading.local()


def _load(version: str | None) -> _Snapshot:
    # The version is read before the rows. Under READ COMMITTED (PostgreSQL's default) a load
    # that follows a new version therefore sees the commit that set it; a load that races with
    # a commit is tagged with the older version and simply repeated at the next check.
    overrides = {
        day: (kind == DayOverride.Kind.WORKDAY, name)
        for day, kind, name in DayOverride.objects.values_list("date", "kind", "name")
    }
    published = frozenset(PublishedYear.objects.values_list("year", flat=True))
    return _Snapshot(version, time.monotonic(), overrides, published)


def _read_version() -> str | None:
    try:
        version: str | None = cache.get(_VERSION_KEY)
        if version is None:
            # First use, or the cache was cleared: a fresh token makes every process reload.
            version = uuid.uuid4().hex
            if not cache.add(_VERSION_KEY, version, timeout=None):
                version = cache.get(_VERSION_KEY)
        return version
    except Exception:
        logger.warning(
            "Cannot read the working-day calendar version from the cache.", exc_info=True
        )
        return None


def _bump_version() -> None:
    global _shared
    _shared = None
    try:
        cache.set(_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:
        # Other processes keep their snapshot until the cache is back (or for a minute).
        logger.warning("Cannot store the working-day calendar version in the cache.", exc_info=True)


def _writes_pending(pending: list[Callable[[], None]]) -> bool:
    """Whether any of this thread's calendar writes is still waiting for its commit.

    A write's on-commit callback stays in the connection's queue until the transaction commits
    (the queue is emptied before the callbacks run) and is dropped when the transaction or the
    savepoint it was made in rolls back. So its presence says exactly whether the write is
    visible to this thread only.
    """
    queued = connections[DEFAULT_DB_ALIAS].run_on_commit
    if not queued:
        return False
    if queued[-1][1] is pending[-1]:
        return True  # the usual case: the latest write is the latest thing queued
    queued_ids = {id(entry[1]) for entry in queued}
    return any(id(callback) in queued_ids for callback in reversed(pending))


def _current() -> _Snapshot:
    global _shared, _checked_at
    pending = getattr(_thread, "pending", None)
    if pending:
        if _writes_pending(pending):
            snapshot = getattr(_thread, "snapshot", None)
            if snapshot is None:
                snapshot = _thread.snapshot = _load(version=None)
            return snapshot
        # Committed (the callbacks made everyone reload) or rolled back (nothing changed).
        _thread.pending = []
        _thread.snapshot = None

    snapshot = _shared
    now = time.monotonic()
    if snapshot is not None and 0 <= now - _checked_at < VERSION_CHECK_SECONDS:
        return snapshot
    version = _read_version()
    _checked_at = now
    if snapshot is not None:
        if version is not None and version == snapshot.version:
            return snapshot
        if version is None and now - snapshot.loaded_at < _MAX_AGE_WITHOUT_VERSION:
            return snapshot
    snapshot = _shared = _load(version)
    return snapshot


def forget_snapshot() -> None:
    """Drop this process's snapshot so that the next question reads the database again."""
    global _shared
    _shared = None
    _thread.pending = []
    _thread.snapshot = None


def forget_snapshot_on_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # `migrate` and `flush` (between transactional tests) change the tables behind our back.
    forget_snapshot()


# --- Answers --------------------------------------------------------------------------------


def _library_day(day: dt.date) -> tuple[bool, str] | None:
    try:
        working = chinese_calendar.is_workday(day)
        _on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return working, name or ""


def _estimate_name(name: str) -> str:
    # Two holidays on one day come joined by "; "; the first is enough for a label.
    first = name.split("; ")[0].removesuffix(" (observed)")
    return _ESTIMATE_NAMES.get(first, first)


@lru_cache(maxsize=512)
def _estimated_holidays(year: int) -> dict[dt.date, str]:
    """The statutory holidays the `holidays` package expects in `year` (no make-up days)."""
    try:
        guessed = holidays.China(years=year, language="en_US")
        return {day: _estimate_name(name) for day, name in guessed.items()}
    except Exception:
        # A guess must never break a deadline; weekends alone are the fallback.
        logger.warning("The holidays package cannot estimate %s.", year, exc_info=True)
        return {}


def _compute(day: dt.date, snapshot: _Snapshot) -> DayInfo:
    year = day.year
    in_library = year in LIBRARY_YEARS
    provisional = not in_library and year not in snapshot.published
    override = snapshot.overrides.get(day)
    if override is not None:
        return DayInfo(day, override[0], override[1], provisional, Source.OVERRIDE)
    if in_library:
        official = _library_day(day)
        if official is not None:
            return DayInfo(day, official[0], official[1], False, Source.OFFICIAL)
        provisional = year not in snapshot.published
    weekend = day.weekday() >= 5
    if not provisional:
        # Published by staff: the notice's holidays and make-up days are all overrides.
        return DayInfo(day, not weekend, "", False, Source.OFFICIAL)
    guessed = _estimated_holidays(year)
    return DayInfo(
        day, not weekend and day not in guessed, guessed.get(day, ""), True, Source.ESTIMATE
    )


def _as_date(day: dt.date) -> dt.date:
    if isinstance(day, dt.datetime):
        # An aware moment counts on the day it is in China (TIME_ZONE), not in UTC.
        return (timezone.localtime(day) if timezone.is_aware(day) else day).date()
    return day


def _info(day: dt.date, snapshot: _Snapshot) -> DayInfo:
    info = snapshot.days.get(day)
    if info is None:
        if len(snapshot.days) >= _MEMO_LIMIT:
            snapshot.days.clear()
        info = snapshot.days[day] = _compute(day, snapshot)
    return info


def day_info(day: dt.date) -> DayInfo:
    """Everything the calendar knows about `day`."""
    return _info(_as_date(day), _current())


def is_working_day(day: dt.date) -> bool:
    return _info(_as_date(day), _current()).is_working


def is_provisional(day: dt.date) -> bool:
    """True while `day`'s year has no published calendar (neither the library nor staff's)."""
    return _info(_as_date(day), _current()).provisional


def _next(day: dt.date, snapshot: _Snapshot) -> dt.date:
    while not _info(day, snapshot).is_working:
        day += ONE_DAY
    return day


def next_working_day(day: dt.date) -> dt.date:
    """The first working day on or after `day` (节假日顺延)."""
    return _next(_as_date(day), _current())


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date `n` working days after `start`, not counting `start` itself.

    A suggestion received on `start` with a 15-working-day limit is due on
    `add_working_days(start, 15)`. With n=0 the answer is `next_working_day(start)`.
    """
    if n < 0:
        raise ValueError("n must not be negative.")
    snapshot = _current()
    day = _as_date(start)
    if n == 0:
        return _next(day, snapshot)
    while n:
        day += ONE_DAY
        if _info(day, snapshot).is_working:
            n -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie in (start, end]; 0 when `end` is not after `start`."""
    start, end = _as_date(start), _as_date(end)
    if end <= start:
        return 0
    snapshot = _current()
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if _info(day, snapshot).is_working:
            count += 1
    return count


def note_change(*, sender: type, years: set[int]) -> None:
    """Make the change visible to this thread now, and to everyone once it commits."""

    def after_commit() -> None:
        _bump_version()
        # Receivers run after the commit; one that fails must not turn a saved change into an
        # error page, so failures are logged rather than raised.
        calendar_changed.send_robust(sender=sender, years=set(years))

    transaction.on_commit(after_commit)
    pending = getattr(_thread, "pending", None) or []
    pending.append(after_commit)
    _thread.pending = pending
    _thread.snapshot = None
