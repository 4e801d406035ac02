"""The demo network: regions, stations and points, representatives and their assignments, and
the demo logins. Zhongduo township (Ji county, Shanxi) and Xingfu township (Nanguan district,
Changchun), as DOMAIN.md describes them.
"""

import datetime
from itertools import count

from django.contrib.auth.models import Group

from liaison.roles import Role, sync_role_groups
from representatives.models import Assignment, Representative
from representatives.services import assignment_save, representative_save
from stations.models import Region, Station
from stations.services import region_save, station_save

from .base import Loader

# A seat is (position, work unit, home village); the village is "" for township-wide seats.
Seat = tuple[str, str, str]
Level = Representative.Level

# A fixed date rather than today, so that re-runs and tests find the same assignments.
START_DATE = datetime.date(2024, 1, 1)


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

# Staff users get an address so that the notifications meant for them show in the console.
STAFF_EMAILS = {
    "admin": "admin@demo.invalid",
    "zhongduo_staff": "zhongduo@demo.invalid",
    "xingfu_staff": "xingfu@demo.invalid",
    "supervisor": "supervisor@demo.invalid",
    "sysadmin": "sysadmin@demo.invalid",
    "secadmin": "secadmin@demo.invalid",
    "auditor": "auditor@demo.invalid",
}


def _holder(people: list[tuple[Representative, str]], position: str) -> Representative:
    return next(rep for rep, _village in people if rep.position == position)


class NetworkLoader(Loader):
    """Regions, stations, representatives, assignments and the demo logins."""

    def __init__(self) -> None:
        super().__init__()
        self._name_index = count()

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
        people: list[tuple[Representative, str]] = []
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
        for rep, village_name in people:
            self.assign(rep, station_of[village_name])
        return home

    def load_users(
        self, zhongduo: Station, xingfu: Station, representative: Representative
    ) -> None:
        if Group.objects.filter(name__in=list(Role)).count() < len(Role):
            sync_role_groups()
        self.user("admin", is_staff=True, is_superuser=True, email=STAFF_EMAILS["admin"])
        self.user(
            "zhongduo_staff",
            Role.STATION_STAFF,
            is_staff=True,
            station=zhongduo,
            email=STAFF_EMAILS["zhongduo_staff"],
        )
        self.user(
            "xingfu_staff",
            Role.STATION_STAFF,
            is_staff=True,
            station=xingfu,
            email=STAFF_EMAILS["xingfu_staff"],
        )
        self.user("supervisor", Role.SUPERVISOR, is_staff=True, email=STAFF_EMAILS["supervisor"])
        # 三员分立: in production these three share the work the demo's superuser does alone.
        self.user("sysadmin", Role.SYSTEM_ADMIN, is_staff=True, email=STAFF_EMAILS["sysadmin"])
        self.user("secadmin", Role.SECURITY_ADMIN, is_staff=True, email=STAFF_EMAILS["secadmin"])
        self.user("auditor", Role.AUDIT_ADMIN, is_staff=True, email=STAFF_EMAILS["auditor"])
        rep_user = self.user("rep_demo", Role.REPRESENTATIVE)
        if (
            representative.user_id is None
            and not Representative.objects.filter(user=rep_user).exists()
        ):
            representative.user = rep_user
            representative_save(representative=representative)
