"""The reception half of the demo: rules, five months of held receptions, the coming days.

Zhongduo receives on the 10th of each month, moved to the next working day on holidays; Xingfu
on the third Tuesday. Past days are written as history (the generator only makes days from today
on), given a rota by the real planner and logged through the duty-log service, some with a
suggestion raised at Zhongduo. The latest Zhongduo day is left for the demo representative to
log. The coming days are made by the generator, with the demo representative on the next one.
Every step looks for what it would make first, so a second run changes nothing.
"""

import datetime
from dataclasses import dataclass, replace

from django.utils import timezone

from liaison.months import month_start_after
from receptions.logs import duty_log_record
from receptions.models import Duty, DutyLog, ReceptionDay, ReceptionRule
from receptions.rota import duty_set, propose_rota_for_days
from receptions.schedule import occurrences
from receptions.services import reception_day_from_rule, reception_days_generate
from representatives.models import Representative
from stations.models import Region, Station
from suggestions.models import Theme
from suggestions.services import Submission

from .base import Loader, User

Kind = ReceptionRule.Kind
Policy = ReceptionRule.HolidayPolicy
HISTORY_MONTHS = 5


@dataclass(frozen=True)
class Raised:
    """A suggestion raised at a reception and written down with its log."""

    theme: str
    title: str
    content: str
    village: str
    name: str = ""  # none: anonymous
    phone: str = ""


@dataclass(frozen=True)
class HeldReception:
    """What the staff wrote down after one past reception."""

    theme: str
    batches: int
    visitors: int
    summary: str
    raised: Raised | None = None


# One a month, chosen by the month's number; the same list serves both stations.
HELD = (
    HeldReception(
        theme="产业发展",
        batches=4,
        visitors=9,
        summary="围绕苹果产业发展接待群众，反映销售渠道窄、冷库不足等问题。"
        "值班代表介绍了乡里的电商培训安排，冷库问题记录后交乡政府研究。",
        raised=Raised(
            theme="产业发展",
            title="希望在村里建一座苹果冷库",
            content="每年苹果集中上市时价格很低，村里没有冷库，只能低价卖给收购商。"
            "希望乡里帮助争取项目，在村里建一座小型冷库。",
            village="北塬村",
            name="刘建军",
            phone="13935701234",
        ),
    ),
    HeldReception(
        theme="道路交通",
        batches=5,
        visitors=12,
        summary="群众集中反映雨季田间道路被冲、村口路段积水。"
        "值班代表现场联系乡交通站，已安排人员查看。",
        raised=Raised(
            theme="道路交通",
            title="村口路段一下雨就积水",
            content="村口到学校的一段路地势低，一下雨就积水，学生上学要蹚水。希望修排水沟。",
            village="南河村",
            name="张秀兰",
            phone="13935705678",
        ),
    ),
    HeldReception(
        theme="环境卫生",
        batches=3,
        visitors=7,
        summary="接待群众反映垃圾清运不及时等问题。"
        "值班代表现场解答了清运时间安排，并督促保洁公司加密清运。",
    ),
    HeldReception(
        theme="集体经济",
        batches=4,
        visitors=10,
        summary="村干部和群众代表座谈村集体经济发展思路，代表建议盘活闲置校舍，发展小型加工。",
        raised=Raised(
            theme="集体经济",
            title="盘活村里闲置的老校舍",
            content="老学校撤并后校舍一直闲置，建议由村集体统一出租或者办加工点，增加集体收入。",
            village="上岭村",
        ),
    ),
    HeldReception(
        theme="乡风文明",
        batches=2,
        visitors=5,
        summary="围绕移风易俗听取群众意见，群众建议红白理事会把标准定得更具体。代表记录后转乡政府。",
    ),
)
# The days' hours and place, per station (the rule's settings).
RULES = {
    "中垛乡人大代表联络站": {
        "kind": Kind.MONTHLY_DAY, "day_of_month": 10, "holiday_policy": Policy.NEXT_WORKING_DAY,
        "start_time": datetime.time(9, 0), "end_time": datetime.time(11, 30),
        "place": "中垛乡人大代表联络站接待室",
    },
    "幸福乡人大代表之家": {
        "kind": Kind.NTH_WEEKDAY, "week_of_month": 3, "weekday": ReceptionRule.Weekday.TUESDAY,
        "holiday_policy": Policy.NEXT_WORKING_DAY,
        "start_time": datetime.time(14, 30), "end_time": datetime.time(17, 0),
        "place": "幸福乡人大代表之家一楼接待室",
    },
}  # fmt: skip
RULES_VALID_FROM = datetime.date(2024, 1, 1)


def load(
    *,
    station: Station,
    staff: User,
    representative: Representative | None = None,
    raise_suggestions: bool = False,
) -> dict[type, int]:
    """The station's rule, history and coming days; returns how many of each were created.

    `representative` is put on duty at the latest past day, left unlogged for them, and the
    next one. With `raise_suggestions` the logs raise the suggestions HELD names.
    """
    created: dict[type, int] = {ReceptionDay: 0, Duty: 0, DutyLog: 0}
    rule = ReceptionRule.objects.filter(station=station).order_by("pk").first()
    if rule is None:
        rule = ReceptionRule(station=station, start_date=RULES_VALID_FROM, **RULES[station.name])
        rule.full_clean()
        rule.save()

    today = timezone.localdate()
    first = month_start_after(today, -HISTORY_MONTHS)
    past = []
    for occurrence in occurrences(rule, first, today):
        if occurrence.date is None or occurrence.date >= today:
            continue
        # By month, so that a later run pairs each day with the same record.
        held = HELD[occurrence.nominal.month % len(HELD)]
        day = ReceptionDay.objects.filter(rule=rule, nominal_date=occurrence.nominal).first()
        if day is None:
            day = reception_day_from_rule(rule, occurrence)
            day.theme = held.theme
            day.provisional = False  # held: the calendar of that day is settled
            day.full_clean()
            day.save()
            created[ReceptionDay] += 1
        past.append((day, held))

    created[ReceptionDay] += reception_days_generate(rule=rule)
    coming = list(ReceptionDay.objects.filter(rule=rule, date__gte=today).order_by("date")[:3])
    past_days = [day for day, _held in past]
    # The demo representative is on duty at the latest past reception (to log it) and the next.
    if representative is not None:
        for day in past_days[-1:] + coming[:1]:
            created[Duty] += _put_on_duty(day, staff, representative)
    created[Duty] += len(propose_rota_for_days(days=past_days + coming))

    to_log = past[:-1] if representative is not None else past
    for day, held in to_log:
        if not DutyLog.objects.filter(day=day).exists():
            _log(day, held if raise_suggestions else replace(held, raised=None), staff)
            created[DutyLog] += 1
    return created


def _put_on_duty(day: ReceptionDay, staff: User, representative: Representative) -> int:
    if day.duties.filter(representative=representative).exists():
        return 0
    duty_set(day=day, actor=staff, representative=representative, role=Duty.Role.REPRESENTATIVE)
    return 1


def _log(day: ReceptionDay, held: HeldReception, staff: User) -> None:
    raised = []
    if held.raised is not None:
        r = held.raised
        raised.append(
            Submission(
                theme=Theme.objects.get(name=r.theme),
                title=r.title,
                content=r.content,
                village=Region.objects.filter(name=r.village, parent=day.station.region).first(),
                name=r.name,
                phone=r.phone,
                is_anonymous=not r.name,
            )
        )
    duty_log_record(
        day=day,
        actor=staff,
        attendees=[duty.representative for duty in day.duties.select_related("representative")],
        visitor_batches=held.batches,
        visitors=held.visitors,
        summary=held.summary,
        raised=raised,
    )


class ReceptionsLoader(Loader):
    """Reception rules, held receptions and the coming days at Zhongduo and Xingfu."""

    def load_receptions(
        self, zhongduo: Station, xingfu: Station, representative: Representative
    ) -> None:
        """Reception rules, five months of held receptions and the coming days."""
        staff = User.objects.in_bulk(["zhongduo_staff", "xingfu_staff"], field_name="username")
        self.created.update(
            load(
                station=zhongduo,
                staff=staff["zhongduo_staff"],
                representative=representative,
                raise_suggestions=True,
            )
        )
        self.created.update(load(station=xingfu, staff=staff["xingfu_staff"]))
