"""Month arithmetic: the one home for "a month later" and "the months between".

Two different questions get two names:
- `add_months` keeps the day of the month (31 January + 1 month = 28/29 February): reception
  rules that repeat "every K months" and horizons counted in months.
- `month_start_after` answers with the first day of a month: statistics, summaries and reports,
  which count whole months.
"""

import calendar
import datetime as dt
from collections.abc import Iterator


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _shift(day: dt.date, months: int) -> tuple[int, int]:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return year, month + 1


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole months; a day past the end of a short month becomes its last day."""
    year, month = _shift(day, months)
    return dt.date(year, month, min(day.day, last_day_of_month(year, month)))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_start_after(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` months after `day`'s month (negative: before)."""
    year, month = _shift(day, months)
    return dt.date(year, month, 1)


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return month_start_after(day, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of `day`'s month."""
    return day.replace(day=last_day_of_month(day.year, day.month))


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months that [start, end] touches."""
    return [dt.date(year, month, 1) for year, month in iter_months(start, end)]


def iter_months(first: dt.date, last: dt.date) -> Iterator[tuple[int, int]]:
    """(year, month) for every month from `first`'s to `last`'s, both included."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
