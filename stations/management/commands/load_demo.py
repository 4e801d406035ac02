"""`manage.py load_demo`: a realistic demo network, written through the services.

Two townships from DOMAIN.md: Zhongduo (中垛乡, Ji county, Shanxi) with one station, a point in
each of its 10 villages and 77 representatives; and Xingfu (幸福乡, Nanguan district, Changchun)
with a home, 7 village/community stations and 72 representatives of four levels. Then the
handling workflow: the departments suggestions go to, their handlers, reply templates, and a dozen
suggestions at Zhongduo walked through the real services into every state (see _demo_handling).
Everything is looked up by its natural key before it is created, so running the command again
changes nothing.
"""

import datetime
import unicodedata
from collections import Counter
from itertools import count
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone

from liaison.roles import Role, sync_role_groups
from receptions.models import Duty, DutyLog, ReceptionDay
from representatives.models import Assignment, Representative
from representatives.services import assignment_save, representative_save
from stations.models import Region, Station
from stations.services import region_save, station_save
from suggestions.models import (
    Department,
    ExtensionRequest,
    ReplyTemplate,
    Suggestion,
    SuggestionEvent,
    Theme,
)
from suggestions.services import Submission, suggestion_submit, track_url

from . import _demo_handling as handling_demo
from . import _demo_receptions as receptions_demo

User = get_user_model()
M = TypeVar("M", bound=models.Model)
# A seat is (position, work unit, home village); the village is "" for township-wide seats.
Seat = tuple[str, str, str]
Level = Representative.Level

# A fixed date rather than today, so that re-runs and tests find the same assignments.
START_DATE = datetime.date(2024, 1, 1)
PASSWORD = "demo-pass-2026"


def _village_seats(positions: tuple[str, ...], villages: tuple[str, ...], unit: str) -> list[Seat]:
    """One seat per position and village, the position's "{v}" filled with the village."""
    return [(p.format(v=v), f"{unit}{v}", v) for p in positions for v in villages]


# Lengths 20 and 31 share no factor, so SURNAMES[i % 20] + GIVEN_NAMES[i % 31] is a different
# name for every i below 620: no two demo representatives share a name.
SURNAMES = "王李张刘陈杨赵郭贺冯高薛白马任段曹卫范程"
GIVEN_NAMES = (
    "建国", "海燕", "志强", "秀英", "文斌", "丽娟", "俊峰", "红梅", "永刚", "晓东", "春花",
    "德胜", "玉兰", "国庆", "桂芳", "建军", "美玲", "振华", "小燕", "卫东", "金凤", "宏伟",
    "淑珍", "保平", "彩霞", "树林", "翠萍", "福生", "雪梅", "天明", "慧敏",
)  # fmt: skip

# A rank is (level, term, seats): the representatives one congress elected for the township.
Rank = tuple[Level, str, tuple[Seat, ...]]
# A chain of regions from the province down to the township: (name, level, division code).
Chain = tuple[tuple[str, Region.Level, str], ...]

# --- Zhongduo township, Ji county, Shanxi ------------------------------------------------------

SHANXI_CHAIN: Chain = (
    ("山西省", Region.Level.PROVINCE, "140000"),
    ("临汾市", Region.Level.CITY, "141000"),
    ("吉县", Region.Level.COUNTY, "141028"),
    ("中垛乡", Region.Level.TOWNSHIP, ""),
)
ZHONGDUO_VILLAGES = (
    "中垛村", "白额村", "东城村", "西庄村", "南河村",
    "北塬村", "上岭村", "桃园村", "柏山村", "红崖村",
)  # fmt: skip
ZHONGDUO_STATION = {
    "name": "中垛乡人大代表联络站",
    "address": "山西省临汾市吉县中垛乡中垛村乡政府院内",
    "phone": "0357-7921010",
    "opening_hours": "工作日 8:30–12:00，14:30–17:30",
    "introduction": (
        "中垛乡人大代表联络站设在乡政府院内，编入县、乡两级人大代表77名（县人大代表22名、"
        "乡人大代表55名），在全乡10个行政村各设一个代表联络点。每月10日为固定接待日，"
        "遇节假日顺延至下一个工作日，由两名代表和一名责任领导进站接待选民；其余时间代表轮流值班。"
        "能当场答复的当场答复，乡里能办的交乡政府定期办理，超出乡里权限的由联络站协调县直有关部门办理，"
        "办理结果通过电话、面谈或公示反馈给群众。"
    ),
}
ZHONGDUO_HEAD = "中垛乡人大主席"
ZHONGDUO_COUNTY_SEATS: tuple[Seat, ...] = (
    (ZHONGDUO_HEAD, "吉县中垛乡人大主席团", ""),
    ("中垛乡党委书记", "中共吉县中垛乡委员会", ""),
    ("中垛乡乡长", "吉县中垛乡人民政府", ""),
    *_village_seats(("{v}党支部书记",), ZHONGDUO_VILLAGES, "吉县中垛乡"),
    ("吉县中垛苹果专业合作社理事长", "吉县中垛苹果专业合作社", "中垛村"),
    ("吉县白额红富士种植专业合作社理事长", "吉县白额红富士种植专业合作社", "白额村"),
    ("吉县壶口山羊养殖专业合作社理事长", "吉县壶口山羊养殖专业合作社", "北塬村"),
    ("吉县中垛花椒加工厂厂长", "吉县中垛花椒加工厂", "东城村"),
    ("中垛乡中心学校校长", "吉县中垛乡中心学校", ""),
    ("中垛乡卫生院院长", "吉县中垛乡卫生院", ""),
    ("中垛乡农民", "吉县中垛乡南河村", "南河村"),
    ("中垛乡农民", "吉县中垛乡桃园村", "桃园村"),
    ("中垛乡农民", "吉县中垛乡红崖村", "红崖村"),
)
ZHONGDUO_TOWNSHIP_SEATS: tuple[Seat, ...] = (
    # The village committee directors come first, in village order: they lead the points.
    *_village_seats(("{v}村委会主任",), ZHONGDUO_VILLAGES, "吉县中垛乡"),
    *_village_seats(
        ("中垛乡农民", "{v}村民小组组长", "{v}苹果种植户", "{v}乡村医生"),
        ZHONGDUO_VILLAGES,
        "吉县中垛乡",
    ),
    ("中垛乡个体工商户", "吉县中垛乡中垛村", "中垛村"),
    ("中垛乡中心学校教师", "吉县中垛乡中心学校", ""),
    ("中垛乡卫生院医生", "吉县中垛乡卫生院", ""),
    ("中垛乡农业综合服务站站长", "吉县中垛乡农业综合服务站", ""),
    ("中垛乡退役军人服务站站长", "吉县中垛乡退役军人服务站", ""),
)
ZHONGDUO_RANKS: tuple[Rank, ...] = (
    (Level.COUNTY, "吉县第十七届人民代表大会", ZHONGDUO_COUNTY_SEATS),
    (Level.TOWNSHIP, "中垛乡第十八届人民代表大会", ZHONGDUO_TOWNSHIP_SEATS),
)
# The county representative whose login (rep_demo) shows a representative's own pages.
DEMO_REPRESENTATIVE = "白额村党支部书记"

# --- Xingfu township, Nanguan district, Changchun ----------------------------------------------

JILIN_CHAIN: Chain = (
    ("吉林省", Region.Level.PROVINCE, "220000"),
    ("长春市", Region.Level.CITY, "220100"),
    ("南关区", Region.Level.COUNTY, "220102"),
    ("幸福乡", Region.Level.TOWNSHIP, ""),
)
# The home sits in the township's seat village and serves it; every other village or community
# has a station of its own.
XINGFU_SEAT = "幸福村"
XINGFU_VILLAGES = (
    XINGFU_SEAT, "永兴村", "红旗村", "东升村", "前进村", "丰收村", "新华社区", "和顺社区",
)  # fmt: skip
XINGFU_HOME = {
    "name": "幸福乡人大代表之家",
    "address": "吉林省长春市南关区幸福乡幸福村乡政府院内",
    "phone": "0431-84651010",
    "opening_hours": "工作日 8:30–11:30，13:00–16:30",
    "introduction": (
        "幸福乡人大代表之家编入省、市、区、乡四级人大代表72名，下设7个村（社区）代表联络站，"
        "全乡每个村和社区都有代表联系，选民可到家、站反映意见建议。"
    ),
}
XINGFU_HEAD = "幸福乡人大主席"
XINGFU_COUNTY_POSITIONS = ("{v}党组织书记", "{v}妇联主席", "{v}个体工商户")
XINGFU_TOWNSHIP_POSITIONS = (
    "{v}网格员",
    "{v}志愿服务队队长",
    "{v}老党员",
    "{v}退休教师",
    "{v}老年协会会长",
)
XINGFU_RANKS: tuple[Rank, ...] = (
    (
        Level.PROVINCIAL,
        "吉林省第十四届人民代表大会",
        (
            ("幸福乡党委书记", "中共长春市南关区幸福乡委员会", ""),
            ("长春幸福现代农业有限公司董事长", "长春幸福现代农业有限公司", ""),
        ),
    ),
    (
        Level.CITY,
        "长春市第十六届人民代表大会",
        (
            ("幸福乡乡长", "长春市南关区幸福乡人民政府", ""),
            (XINGFU_HEAD, "长春市南关区幸福乡人大主席团", ""),
            ("幸福乡中心小学校长", "长春市南关区幸福乡中心小学", ""),
            ("幸福乡卫生院院长", "长春市南关区幸福乡卫生院", ""),
            ("长春市鑫达蔬菜专业合作社理事长", "长春市鑫达蔬菜专业合作社", ""),
            ("吉林省丰泽米业有限公司总经理", "吉林省丰泽米业有限公司", ""),
        ),
    ),
    (
        Level.COUNTY,
        "南关区第十八届人民代表大会",
        tuple(_village_seats(XINGFU_COUNTY_POSITIONS, XINGFU_VILLAGES, "长春市南关区幸福乡")),
    ),
    (
        Level.TOWNSHIP,
        "幸福乡第十九届人民代表大会",
        tuple(_village_seats(XINGFU_TOWNSHIP_POSITIONS, XINGFU_VILLAGES, "长春市南关区幸福乡")),
    ),
)

# --- Demo logins ---------------------------------------------------------------------------------

DEMO_LOGINS = (
    ("admin", "超级管理员，可管理全部数据 (superuser: everything)"),
    ("zhongduo_staff", "中垛乡人大代表联络站工作人员 (staff of the Zhongduo station)"),
    ("xingfu_staff", "幸福乡人大代表之家工作人员 (staff of the Xingfu home)"),
    ("supervisor", "人大常委会监督人员，督办吉县、南关区各站 (supervisor of both counties)"),
    ("rep_demo", f"县人大代表，{DEMO_REPRESENTATIVE} (a county representative)"),
    ("transport_handler", "吉县交通运输局办理人员 (county department handler)"),
    ("township_handler", "中垛乡人民政府办理人员 (township government handler)"),
)
SUMMARY = (
    (Region, "地区 (regions)"),
    (Station, "家站点 (homes, stations, points)"),
    (Representative, "人大代表 (representatives)"),
    (Assignment, "编入 (assignments)"),
    (User, "账号 (users)"),
    (Department, "承办部门 (departments)"),
    (ReplyTemplate, "答复模板 (reply templates)"),
    (Suggestion, "意见建议 (suggestions)"),
    (SuggestionEvent, "办理记录 (history entries)"),
    (ReceptionDay, "接待日 (reception days)"),
    (Duty, "值班安排 (duties)"),
    (DutyLog, "接待记录 (reception logs)"),
)
# In the order a suggestion moves through them.
STATUS_LABELS = {
    Suggestion.Status.RECEIVED: "待受理 (received)",
    Suggestion.Status.ACCEPTED: "已受理待交办 (accepted)",
    Suggestion.Status.ASSIGNED: "已交办待签收 (assigned)",
    Suggestion.Status.IN_HANDLING: "办理中 (in handling)",
    Suggestion.Status.COMPLETED: "已办结待反馈 (completed)",
    Suggestion.Status.FED_BACK: "已反馈 (fed back)",
    Suggestion.Status.CLOSED: "已办结归档 (closed)",
    Suggestion.Status.REJECTED: "不予受理 (not accepted)",
    Suggestion.Status.MERGED: "已合并 (merged)",
}


def _holder(people: list[tuple[Representative, str]], position: str) -> Representative:
    return next(rep for rep, _village in people if rep.position == position)


class DemoLoader:
    """Finds each object by its natural key, or creates it through its service."""

    def __init__(self) -> None:
        self.created: Counter[type[models.Model]] = Counter()
        self._name_index = count()

    def _new(self, obj: M) -> M:
        self.created[type(obj)] += 1
        return obj

    def region(self, parent: Region | None, name: str, level: int, code: str = "") -> Region:
        found = Region.objects.filter(parent=parent, name=name).first()
        return found or self._new(
            region_save(region=Region(parent=parent, name=name, level=level, code=code))
        )

    def region_chain(self, chain: Chain) -> Region:
        region = None
        for name, level, code in chain:
            region = self.region(region, name, level, code)
        return region

    def station(self, region: Region, name: str, **fields) -> Station:
        found = Station.objects.filter(region=region, name=name).first()
        return found or self._new(station_save(station=Station(region=region, name=name, **fields)))

    def representatives(
        self, ranks: tuple[Rank, ...], *, phone_prefix: str
    ) -> list[tuple[Representative, str]]:
        """Every seat's representative with their home village; a third show their phone."""
        people = []
        for level, term, seats in ranks:
            for position, work_unit, village in seats:
                i = next(self._name_index)
                name = SURNAMES[i % len(SURNAMES)] + GIVEN_NAMES[i % len(GIVEN_NAMES)]
                rep = Representative.objects.filter(name=name, work_unit=work_unit).first()
                if rep is None:
                    listed = len(people) % 3 == 0
                    rep = self._new(
                        representative_save(
                            representative=Representative(
                                name=name,
                                level=level,
                                position=position,
                                work_unit=work_unit,
                                term=term,
                                phone=f"{phone_prefix}{len(people):04d}" if listed else "",
                                show_phone=listed,
                            )
                        )
                    )
                people.append((rep, village))
        return people

    def assign(
        self,
        representative: Representative,
        station: Station,
        role: str = Assignment.Role.STATIONED,
    ) -> Assignment:
        key = {
            "representative": representative,
            "station": station,
            "role": role,
            "start_date": START_DATE,
        }
        found = Assignment.objects.filter(**key).first()
        return found or self._new(assignment_save(assignment=Assignment(**key)))

    def user(
        self,
        username: str,
        role: Role | None = None,
        *,
        is_staff: bool = False,
        is_superuser: bool = False,
        station: Station | None = None,
        email: str = "",
    ) -> AbstractUser:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = self._new(
                User.objects.create_user(
                    username,
                    email=email,
                    password=PASSWORD,
                    is_staff=is_staff,
                    is_superuser=is_superuser,
                )
            )
        elif email and not user.email:
            # Demo databases loaded before the handling demo had staff without addresses.
            user.email = email
            user.save(update_fields=["email"])
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        if station is not None:
            station.staff.add(user)
        return user

    def load_zhongduo(self) -> tuple[Station, Representative]:
        township = self.region_chain(SHANXI_CHAIN)
        villages = [self.region(township, v, Region.Level.VILLAGE) for v in ZHONGDUO_VILLAGES]
        people = self.representatives(ZHONGDUO_RANKS, phone_prefix="1390357")
        station = self.station(
            township,
            kind=Station.Kind.STATION,
            head=_holder(people, ZHONGDUO_HEAD),
            **ZHONGDUO_STATION,
        )
        for rep, _village in people:
            self.assign(rep, station)
        directors = [rep for rep, _village in people if rep.level == Level.TOWNSHIP][:10]
        for village, director in zip(villages, directors, strict=True):
            point = self.station(
                village,
                f"{village.name}代表联络点",
                kind=Station.Kind.POINT,
                parent=station,
                address=f"山西省临汾市吉县中垛乡{village.name}村委会",
            )
            self.assign(director, point, Assignment.Role.POINT_LEADER)
        return station, _holder(people, DEMO_REPRESENTATIVE)

    def load_xingfu(self) -> Station:
        township = self.region_chain(JILIN_CHAIN)
        people = self.representatives(XINGFU_RANKS, phone_prefix="1390431")
        home = self.station(
            township, kind=Station.Kind.HOME, head=_holder(people, XINGFU_HEAD), **XINGFU_HOME
        )
        station_of = {"": home, XINGFU_SEAT: home}
        for name in XINGFU_VILLAGES:
            village = self.region(township, name, Region.Level.VILLAGE)
            if name != XINGFU_SEAT:
                station_of[name] = self.station(
                    village,
                    f"{name}代表联络站",
                    kind=Station.Kind.STATION,
                    address=f"吉林省长春市南关区幸福乡{name}党群服务中心",
                )
        for rep, village in people:
            self.assign(rep, station_of[village])
        return home

    def load_users(
        self, zhongduo: Station, xingfu: Station, representative: Representative
    ) -> None:
        if Group.objects.filter(name__in=list(Role)).count() < len(Role):
            sync_role_groups()
        emails = handling_demo.STAFF_EMAILS
        self.user("admin", is_staff=True, is_superuser=True, email=emails["admin"])
        self.user(
            "zhongduo_staff",
            Role.STATION_STAFF,
            is_staff=True,
            station=zhongduo,
            email=emails["zhongduo_staff"],
        )
        self.user(
            "xingfu_staff",
            Role.STATION_STAFF,
            is_staff=True,
            station=xingfu,
            email=emails["xingfu_staff"],
        )
        self.user("supervisor", Role.SUPERVISOR, is_staff=True, email=emails["supervisor"])
        rep_user = self.user("rep_demo", Role.REPRESENTATIVE)
        if (
            representative.user_id is None
            and not Representative.objects.filter(user=rep_user).exists()
        ):
            representative.user = rep_user
            representative_save(representative=representative)

    # --- the handling workflow (data in _demo_handling) ------------------------------------

    def load_departments(self, zhongduo: Station, xingfu: Station) -> dict[str, Department]:
        """The departments, their handlers, and the supervisor's counties."""
        regions = {
            region.name: region
            for station in (zhongduo, xingfu)
            for region in (station.region, station.region.parent)
        }
        departments = {}
        for name, level, region in handling_demo.DEPARTMENTS:
            # No service writes departments: staff keep them in the admin.
            department, created = Department.objects.get_or_create(
                region=regions[region], name=name, defaults={"level": level}
            )
            departments[name] = self._new(department) if created else department
        for username, email, department in handling_demo.HANDLERS:
            handler = self.user(username, Role.DEPARTMENT_HANDLER, email=email)
            departments[department].handlers.add(handler)
        supervisor = User.objects.get(username=handling_demo.SUPERVISOR)
        for county in handling_demo.SUPERVISED_COUNTIES:
            regions[county].supervisors.add(supervisor)
        return departments

    def load_reply_templates(self) -> None:
        for name, route, step, text in handling_demo.REPLY_TEMPLATES:
            template, created = ReplyTemplate.objects.get_or_create(
                name=name, defaults={"route": route, "step": step, "text": text}
            )
            if created:
                self._new(template)

    def load_suggestions(
        self,
        zhongduo: Station,
        representative: Representative,
        departments: dict[str, Department],
    ) -> None:
        # Fetched afresh, after every department and region link is in place: the handling
        # services cache each user's scope on the user object.
        actors = User.objects.in_bulk(
            [
                handling_demo.STAFF,
                handling_demo.SUPERVISOR,
                handling_demo.TRANSPORT,
                handling_demo.TOWNSHIP,
            ],
            field_name="username",
        )
        themes = {theme.name: theme for theme in Theme.objects.all()}
        villages = {
            village.name: village
            for village in zhongduo.region.children.filter(level=Region.Level.VILLAGE)
        }
        points = {point.region_id: point for point in zhongduo.points.all()}
        events_before = SuggestionEvent.objects.count()
        for spec in handling_demo.SUGGESTIONS:
            suggestion = Suggestion.objects.filter(submission_token=spec.token).first()
            if suggestion is None:
                village = villages[spec.village]
                # Walk-ins, calls and reception days are written down by the station's staff.
                walked_in = spec.channel not in (Suggestion.Channel.QR, Suggestion.Channel.WEB)
                result = suggestion_submit(
                    station=points[village.pk] if spec.at_point else zhongduo,
                    submission=Submission(
                        theme=themes[spec.theme],
                        title=spec.title,
                        content=spec.content,
                        village=village,
                        name=spec.name,
                        phone=spec.phone,
                        is_anonymous=spec.anonymous,
                        addressee=representative if spec.to_demo_representative else None,
                    ),
                    channel=spec.channel,
                    token=spec.token,
                    registered_by=actors[handling_demo.STAFF] if walked_in else None,
                )
                suggestion = self._new(result.suggestion)
            handling_demo.walk(suggestion, spec.steps, actors, departments)
        self.created[SuggestionEvent] += SuggestionEvent.objects.count() - events_before

    def load_handling(
        self, zhongduo: Station, xingfu: Station, representative: Representative
    ) -> None:
        departments = self.load_departments(zhongduo, xingfu)
        self.load_reply_templates()
        self.load_suggestions(zhongduo, representative, departments)

    def load_receptions(
        self, zhongduo: Station, xingfu: Station, representative: Representative
    ) -> None:
        """Reception rules, five months of held receptions and the coming days (the data in
        _demo_receptions)."""
        staff = User.objects.in_bulk(["zhongduo_staff", "xingfu_staff"], field_name="username")
        self.created.update(
            receptions_demo.load(
                station=zhongduo,
                staff=staff["zhongduo_staff"],
                representative=representative,
                raise_suggestions=True,
            )
        )
        self.created.update(receptions_demo.load(station=xingfu, staff=staff["xingfu_staff"]))


class Command(BaseCommand):
    help = (
        "Load the demo network (Zhongduo and Xingfu townships), demo logins and suggestions in "
        "every handling state; safe to re-run."
    )

    def handle(self, *args, **options) -> None:
        loader = DemoLoader()
        try:
            with transaction.atomic():
                zhongduo, representative = loader.load_zhongduo()
                xingfu = loader.load_xingfu()
                loader.load_users(zhongduo, xingfu, representative)
                loader.load_handling(zhongduo, xingfu, representative)
                loader.load_receptions(zhongduo, xingfu, representative)
        except ValidationError as exc:
            raise CommandError(f"演示数据与库中已有数据冲突 (demo data conflicts): {exc}") from exc
        self.print_summary(loader.created)

    def print_summary(self, created: Counter[type[models.Model]]) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS("演示数据已就绪 (demo data ready)"))
        write("  " + _pad("", 34) + _pad("库中共有 (total)", 18) + "本次新建 (new)")
        for model, label in SUMMARY:
            write(f"  {_pad(label, 34)}{_pad(str(model.objects.count()), 18)}{created[model]}")
        write("")
        write("演示账号 (demo logins)")
        write("  " + _pad("用户名 (username)", 20) + _pad("密码 (password)", 18) + "用途 (for)")
        for username, purpose in DEMO_LOGINS:
            write(f"  {_pad(username, 20)}{_pad(PASSWORD, 18)}{purpose}")
        write("")
        write("意见建议办理状态 (suggestions by status)")
        by_status = Suggestion.objects.order_by().values_list("status").annotate(n=Count("pk"))
        counts = Counter(dict(by_status))
        for status, label in STATUS_LABELS.items():
            write(f"  {_pad(label, 34)}{counts[status]}")
        today = timezone.localdate()
        open_ = Suggestion.objects.filter(status__in=Suggestion.OPEN_STATUSES)
        extras = (
            ("逾期未办结 (overdue)", open_.filter(deadline__lt=today).count()),
            ("重点督办 (key suggestions)", Suggestion.objects.filter(is_key=True).count()),
            (
                "待审批延期 (extension requests)",
                ExtensionRequest.objects.filter(state=ExtensionRequest.State.PENDING).count(),
            ),
        )
        for label, number in extras:
            write(f"  {_pad(label, 34)}{number}")
        self.print_tracking_hint()

    def print_tracking_hint(self) -> None:
        """A suggestion waiting for its rating, so the visitor can play the citizen too."""
        spec = handling_demo.RATE_ME
        suggestion = Suggestion.objects.filter(
            submission_token=spec.token, status=Suggestion.Status.FED_BACK, rating=""
        ).first()
        if suggestion is None:
            return
        self.stdout.write("")
        self.stdout.write(
            f"以群众身份查询并评价 (track and rate as the citizen): {track_url(suggestion)}"
            f"  手机尾号 (phone's last digits) {spec.phone[-4:]}"
        )


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns; Chinese characters take two."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - columns, 1)
