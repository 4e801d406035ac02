"""What the rota tests share besides fixtures: the frozen day, constants, a day maker."""

import datetime

from receptions.models import Duty, ReceptionDay
from representatives.models import Representative

TODAY = datetime.date(2025, 3, 1)
L = Representative.Level
LEADER, REPRESENTATIVE = Duty.Role.LEADER, Duty.Role.REPRESENTATIVE


def make_day(station, date, *, rule=None, **extra) -> ReceptionDay:
    return ReceptionDay.objects.create(
        station=station, rule=rule, date=date, start_time=datetime.time(9),
        end_time=datetime.time(11, 30), **extra,
    )  # fmt: skip


def tenths(n: int, start=(2025, 3)) -> list[datetime.date]:
    """The 10th of `n` consecutive months (the Zhongduo rule, without holiday moves)."""
    year, month = start
    dates = []
    for _ in range(n):
        dates.append(datetime.date(year, month, 10))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def rota_of(day: ReceptionDay) -> list[tuple[str, str]]:
    return sorted(day.duties.values_list("role", "representative__name"))
