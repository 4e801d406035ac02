"""Fill a PostgreSQL database with a province's two years of suggestions, for the ledger benchmark.

    .venv/bin/python bench/ledger_generate.py [--suggestions 1000000] [--reset]

One province: 11 cities → 110 counties → 1,100 townships → 5,500 villages; 5,000 stations
(a station in every township, a point in 3,900 villages), 50,000 representatives, 1,650
departments, about 57,000 held reception days with their rota and logs, and 1,000,000 suggestions
over the last two years with a plausible mix of channels, routes, states, outcomes and ratings.
Titles and contents are put together from phrase lists of each theme.

Rows go in with COPY (psycopg's `cursor.copy`); the suggestion and task tables' secondary
indexes are dropped for the load and built again after it, and foreign-key triggers are off for
the loading session (the generator keeps every reference valid itself). Then ANALYZE, then the
statistics summaries. Each step prints its time.

Uses DATABASE_URL, or postgres://postgres@127.0.0.1:5432/liaison_bench_ledger (created if
missing). Without --reset an already filled database is left as it is.
"""

import argparse
import bisect
import datetime as dt
import itertools
import os
import random
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402
from liaison.codes import ALPHABET  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/liaison_bench_ledger"
CST = ZoneInfo("Asia/Shanghai")
SEED = 20250601

CITIES, COUNTIES_PER_CITY, TOWNSHIPS_PER_COUNTY, VILLAGES_PER_TOWNSHIP = 11, 10, 10, 5
POINTS = 3_900  # 1,100 township stations + 3,900 village points = 5,000 stations
REPRESENTATIVES = 50_000
COUNTY_DEPARTMENTS = ["交通运输局", "水利局", "住房和城乡建设局", "农业农村局", "生态环境分局"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"  # noqa: E501
GIVEN = "建国秀英伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英玉兰志强海燕春梅文华国庆红梅德胜淑珍金凤晓东丽华永福"  # noqa: E501
PLACE_A = "青柳白石东西南北上下前后大小新古杏桃李杨梅松竹兰河山泉湖川林田庄坡沟塘岭峪"
PLACE_B = "山河湾岭泉坪台沟庄园屯堡寨塘桥头口洼岗峪铺集店营"

# Theme → (what, what is wrong, what people ask for), from the themes real stations use; the
# three lists run in step (the i-th problem and request belong to the i-th thing).
PHRASES = {
    "产业发展": (
        [
            "村里的蔬菜大棚",
            "农民专业合作社",
            "特色种植基地",
            "村里的加工作坊",
            "乡村旅游项目",
            "小杂粮加工厂",
        ],
        ["缺少技术指导", "销路不畅、价格偏低", "贷款难、融资难", "用电容量不足", "缺少冷链仓储"],
        ["希望组织技术培训", "建议搭建线上销售渠道", "请协调金融机构支持", "请尽快增容改造"],
    ),
    "道路交通": (
        ["通往南坡的田间道路", "村口到小学的路段", "进村主干道", "村东的漫水桥", "镇上的公交站"],
        [
            "被暴雨冲毁",
            "坑洼不平、雨天积水",
            "路灯坏了三个月",
            "护栏缺失有安全隐患",
            "班次太少出行不便",
        ],
        ["请尽快修复", "建议硬化路面", "请更换路灯", "请加装护栏", "建议增加班次"],
    ),
    "环境卫生": (
        ["村西头的垃圾点", "穿村而过的河道", "村里的公共厕所", "村北的养殖场", "排水沟渠"],
        ["垃圾清运不及时", "漂浮物多、有异味", "长期无人保洁", "污水直排", "堵塞淤积"],
        ["请增加清运次数", "请组织清理", "建议落实保洁人员", "请督促整改", "请尽快疏通"],
    ),
    "集体经济": (
        ["村集体土地流转", "村集体资产", "光伏项目收益", "集体厂房", "村务账目"],
        ["收益分配不透明", "租金长期拖欠", "管理不规范", "闲置多年", "公开不及时"],
        ["请按时公开账目", "建议召开村民代表会议", "请依法追缴", "建议盘活利用"],
    ),
    "乡风文明": (
        ["红白喜事", "广场舞", "村文化活动室", "村规民约", "高额彩礼"],
        ["大操大办、攀比成风", "晚上噪音扰民", "常年锁门不开放", "执行不到位", "加重家庭负担"],
        ["建议成立红白理事会", "请规定活动时间", "请按时开放", "建议加强宣传引导"],
    ),
    "养老服务": (
        ["村里的老年食堂", "日间照料中心", "高龄补贴", "独居老人", "乡镇敬老院"],
        ["饭菜价格偏高", "设施不全", "发放不及时", "无人定期探望", "床位紧张"],
        ["建议给予补助", "请完善设施", "请按时发放", "建议建立探访制度", "建议扩建"],
    ),
    "住房安置": (
        ["危房改造", "移民安置房", "宅基地审批", "搬迁补偿", "老旧房屋"],
        ["进度缓慢", "墙体开裂漏雨", "手续办理时间长", "标准不清楚", "存在安全隐患"],
        ["请加快进度", "请组织维修", "请简化手续", "请公开补偿标准", "请尽快鉴定"],
    ),
    "物业管理": (
        ["小区电梯", "物业收费", "小区停车位", "小区绿化", "楼道照明"],
        ["经常停运、困人", "标准不公开", "严重不足", "无人养护", "长期损坏"],
        ["请尽快检修", "请公示收费标准", "建议规划增设车位", "请督促物业整改"],
    ),
    "其他": (
        ["村里的网络信号", "自来水", "医保报销", "学校周边", "快递网点"],
        ["信号弱、经常断网", "水压不足、时常停水", "手续繁琐", "上下学时段拥堵", "离村太远"],
        ["请协调运营商建基站", "请检修管网", "建议简化流程", "建议安排护学岗", "建议设立代收点"],
    ),
}
DETAILS = [
    "已经持续一段时间",
    "群众意见比较大",
    "影响到日常生产生活",
    "之前反映过还没解决",
    "雨季尤其严重",
    "老人孩子出行不便",
]
RESULTS = {
    "on_site": [
        "代表现场解答了相关政策，群众表示理解。",
        "已当场联系村委会，当天处理完毕。",
        "现场说明了办理流程和所需材料。",
    ],
    "township": [
        "镇政府已组织人员处理完毕。",
        "已安排专人负责，问题已解决。",
        "已纳入镇年度计划，先行临时处置。",
    ],
    "county": [
        "县{dept}已列入年度计划并完成施工。",
        "县{dept}已派员现场核查并处理。",
        "县{dept}已协调资金，工程已开工。",
    ],
    "explained": [
        "该事项涉及民事纠纷，已告知依法解决的途径。",
        "该诉求不符合现行政策，已耐心解释。",
    ],
}
REFER_TO = ["县人民法院", "县劳动人事争议仲裁委员会", "县信访局", "县市场监督管理局"]


@contextmanager
def step(label: str):
    start = time.perf_counter()
    print(f"{label} …", flush=True)
    yield
    print(f"  {label}: {time.perf_counter() - start:.1f} s", flush=True)


def person_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def place_names(rng: random.Random, n: int, suffix: str) -> list[str]:
    """n different place names such as 柳湾村 (unique among siblings)."""
    names: set[str] = set()
    while len(names) < n:
        names.add(rng.choice(PLACE_A) + rng.choice(PLACE_B) + suffix)
    return sorted(names)


def encode(n: int, length: int) -> str:
    out = []
    for _ in range(length):
        n, r = divmod(n, len(ALPHABET))
        out.append(ALPHABET[r])
    return "".join(out)


def unique_codes(start: int, count: int, length: int):
    """Distinct random-looking codes: an affine permutation of 0 … 31**length − 1."""
    space = 31**length
    multiplier = 2_654_435_761
    assert multiplier % 31
    for i in range(start, start + count):
        yield encode((i * multiplier + 12_345) % space, length)


class Loader:
    """COPY rows into a model's table; columns not given get their field's default."""

    def __init__(self, cursor):
        self.cursor = cursor

    def copy(self, model, fields: list[str], rows) -> int:
        from django.db.models import AutoField, BigAutoField

        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        rest = [
            f
            for name, f in by_attname.items()
            if name not in fields and not isinstance(f, AutoField | BigAutoField)
        ]
        tail = tuple(self._default(f) for f in rest)
        columns = [by_attname[name].column for name in fields] + [f.column for f in rest]
        quoted = ", ".join(f'"{column}"' for column in columns)
        sql = f'COPY "{model._meta.db_table}" ({quoted}) FROM STDIN'
        n = 0
        with self.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + tail if tail else row)
                n += 1
        return n

    @staticmethod
    def _default(field):
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if field.get_internal_type() in ("CharField", "TextField", "FileField", "ImageField"):
            return ""
        raise ValueError(f"{field} needs a value")

    def reset_sequence(self, model) -> None:
        table = model._meta.db_table
        self.cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 1))'
        )

    def next_id(self, model) -> int:
        self.cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
        return self.cursor.fetchone()[0]


def secondary_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the indexes that no constraint owns (safe to drop and recreate)."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = %s AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname
        )
        """,
        [table],
    )
    return cursor.fetchall()


def generate(args) -> None:  # noqa: C901 - one long recipe reads better in order
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from ledger.statistics.summaries import rebuild_all
    from receptions.models import Duty, DutyLog, ReceptionDay
    from representatives.models import Assignment, Representative
    from stations.models import Region, Station
    from suggestions.models import Department, DepartmentTask, Suggestion, Theme
    from workdays.selectors import add_working_days, is_working_day

    rng = random.Random(SEED)
    User = get_user_model()
    now = timezone.now()
    # Every generated moment lies at least an hour back: the summaries built right after the
    # load must not see the load itself as "changed since the last refresh".
    cap = timezone.localtime(now) - dt.timedelta(hours=1)

    def past(moment: dt.datetime | None) -> dt.datetime | None:
        return None if moment is None else min(moment, cap)

    def on(day: dt.date, hour: int) -> dt.datetime:
        return past(dt.datetime.combine(day, dt.time(hour), tzinfo=CST))

    today = timezone.localdate(now)
    first_day = today - dt.timedelta(days=730)
    connection.ensure_connection()
    with connection.cursor() as wrapper:
        cur = wrapper.cursor
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET synchronous_commit = off")
        cur.execute("SET maintenance_work_mem = '512MB'")
        load = Loader(cur)

        # --- regions -------------------------------------------------------------------
        with step("regions"):
            rid = itertools.count(load.next_id(Region))
            regions = []  # (id, name, level, code, parent_id, path, depth)
            province = next(rid)
            regions.append((province, "江源省", 1, "", None, f"{province}/", 1))
            townships: list[tuple[int, str, str, int]] = []  # (id, name, path, county id)
            villages: dict[int, list[tuple[int, str]]] = {}
            counties: list[tuple[int, str]] = []
            for city_name in place_names(rng, CITIES, "市"):
                city = next(rid)
                city_path = f"{province}/{city}/"
                regions.append((city, city_name, 2, "", province, city_path, 2))
                for county_name in place_names(rng, COUNTIES_PER_CITY, "县"):
                    county = next(rid)
                    county_path = f"{city_path}{county}/"
                    regions.append((county, county_name, 3, "", city, county_path, 3))
                    counties.append((county, county_name))
                    for town_name in place_names(rng, TOWNSHIPS_PER_COUNTY, "镇"):
                        town = next(rid)
                        town_path = f"{county_path}{town}/"
                        regions.append((town, town_name, 4, "", county, town_path, 4))
                        townships.append((town, town_name, town_path, county))
                        villages[town] = []
                        for village_name in place_names(rng, VILLAGES_PER_TOWNSHIP, "村"):
                            village = next(rid)
                            regions.append(
                                (village, village_name, 5, "", town, f"{town_path}{village}/", 5)
                            )
                            villages[town].append((village, village_name))
            load.copy(
                Region, ["id", "name", "level", "code", "parent_id", "path", "depth"], regions
            )
            load.reset_sequence(Region)
            print(f"  {len(regions):,} regions")

        # --- stations ------------------------------------------------------------------
        with step("stations"):
            sid = itertools.count(load.next_id(Station))
            codes = unique_codes(load.next_id(Station) + 7_000_000, 10_000, 6)
            stations = []
            town_station: dict[int, int] = {}
            point_of: dict[int, tuple[int, int]] = {}  # point id → (village id, parent station)
            for town, town_name, _path, _county in townships:
                s = next(sid)
                town_station[town] = s
                stations.append(
                    (
                        s,
                        "station",
                        f"{town_name}人大代表联络站",
                        None,
                        town,
                        next(codes),
                        f"{town_name}政府院内",
                        now,
                        now,
                    )
                )
            all_villages = [(t, v, name) for t, vs in villages.items() for v, name in vs]
            for town, village, name in rng.sample(all_villages, POINTS):
                s = next(sid)
                point_of[s] = (village, town_station[town])
                stations.append(
                    (
                        s,
                        "point",
                        f"{name}代表联络点",
                        town_station[town],
                        village,
                        next(codes),
                        f"{name}村委会",
                        now,
                        now,
                    )
                )
            fields = [
                "id",
                "kind",
                "name",
                "parent_id",
                "region_id",
                "code",
                "address",
                "created",
                "updated",
            ]
            load.copy(Station, fields, stations)
            load.reset_sequence(Station)
            print(f"  {len(stations):,} stations ({len(point_of):,} points)")

        # --- representatives, assignments, users -------------------------------------------
        with step("representatives and assignments"):
            pid = load.next_id(Representative)
            rep_codes = unique_codes(pid + 9_000_000, REPRESENTATIVES, 8)
            uid = itertools.count(load.next_id(User))
            reps, assignments, users = [], [], []
            station_reps: dict[int, list[int]] = {}
            start = first_day - dt.timedelta(days=365)
            points = list(point_of)
            town_ids = [t[0] for t in townships]
            recorder_user: dict[int, int] = {}  # township station → user of its recorder
            for i in range(REPRESENTATIVES):
                rep = pid + i
                level = rng.choices([3, 4, 5, 6], weights=[3, 22, 60, 15])[0]
                user_id = None
                if i < len(points):
                    point = points[i]
                    station = point_of[point][1]
                    assignments.append((rep, point, "point_leader", start))
                    station_reps.setdefault(point, []).append(rep)
                else:
                    station = town_station[town_ids[i % len(town_ids)]]
                    if station not in recorder_user:
                        user_id = next(uid)
                        recorder_user[station] = user_id
                        users.append(
                            (user_id, "!", False, f"rep{rep}", "", "", "", False, True, now)
                        )
                assignments.append((rep, station, "stationed", start))
                station_reps.setdefault(station, []).append(rep)
                reps.append((rep, person_name(rng), level, next(rep_codes), user_id, now, now))
            load.copy(
                User,
                [
                    "id",
                    "password",
                    "is_superuser",
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "is_staff",
                    "is_active",
                    "date_joined",
                ],
                users,
            )
            load.reset_sequence(User)
            load.copy(
                Representative,
                ["id", "name", "level", "code", "user_id", "created", "updated"],
                reps,
            )
            load.reset_sequence(Representative)
            load.copy(
                Assignment, ["representative_id", "station_id", "role", "start_date"], assignments
            )
            print(
                f"  {len(reps):,} representatives, {len(assignments):,} assignments, "
                f"{len(users):,} users"
            )

        # --- departments -----------------------------------------------------------------
        with step("departments"):
            did = itertools.count(load.next_id(Department))
            departments = []
            county_departments: dict[int, list[tuple[int, str]]] = {}
            township_department: dict[int, int] = {}
            for county, _name in counties:
                for name in COUNTY_DEPARTMENTS:
                    d = next(did)
                    departments.append((d, name, "county", county, True))
                    county_departments.setdefault(county, []).append((d, name))
            for town, town_name, _path, _county in townships:
                d = next(did)
                departments.append((d, f"{town_name}人民政府", "township", town, True))
                township_department[town] = d
            load.copy(Department, ["id", "name", "level", "region_id", "is_active"], departments)
            load.reset_sequence(Department)

        # --- reception days, duties, logs -----------------------------------------------------
        with step("reception days, rota and logs"):
            did = itertools.count(load.next_id(ReceptionDay))
            days, duties, logs = [], [], []
            station_days: dict[int, list[tuple[dt.date, int]]] = {}
            month = first_day.replace(day=1)
            months = []
            while month <= today:
                months.append(month)
                month = (month + dt.timedelta(days=32)).replace(day=1)
            station_county = {}
            for town, _n, _p, county in townships:
                station_county[town_station[town]] = county
            for station, _kind, _name, parent, *_rest in stations:
                is_point = parent is not None
                chosen = months[::3] if is_point else months
                recorder = recorder_user[parent if is_point else station]
                for m in chosen:
                    date = m.replace(day=10)
                    while date.weekday() >= 5:
                        date += dt.timedelta(days=1)
                    if date < first_day or date > today:
                        continue
                    d = next(did)
                    theme = rng.choice(list(PHRASES))
                    # Generated a month ahead by the rule, marked held when the log came in.
                    days.append(
                        (d, station, date, dt.time(9), dt.time(11, 30), theme, "held",
                         on(date - dt.timedelta(days=30), 2), on(date, 15))
                    )  # fmt: skip
                    station_days.setdefault(station, []).append((date, d))
                    on_duty = rng.sample(station_reps[station], min(3, len(station_reps[station])))
                    for rep in on_duty:
                        duties.append(
                            (d, rep, "representative", on(date - dt.timedelta(days=7), 9))
                        )
                    if rng.random() < 0.95:
                        batches = rng.randint(1, 8)
                        logs.append(
                            (
                                d,
                                recorder,
                                batches,
                                batches + rng.randint(0, 12),
                                f"接待群众，主要反映{theme}方面的问题。",
                                on(date, 15),
                                on(date, 15),
                            )
                        )
            load.copy(
                ReceptionDay,
                [
                    "id",
                    "station_id",
                    "date",
                    "start_time",
                    "end_time",
                    "theme",
                    "status",
                    "created",
                    "updated",
                ],
                days,
            )
            load.reset_sequence(ReceptionDay)
            load.copy(Duty, ["day_id", "representative_id", "role", "created"], duties)
            load.copy(
                DutyLog,
                [
                    "day_id",
                    "recorded_by_id",
                    "visitor_batches",
                    "visitors",
                    "summary",
                    "created",
                    "updated",
                ],
                logs,
            )
            print(f"  {len(days):,} days, {len(duties):,} duties, {len(logs):,} logs")

        # --- suggestions ---------------------------------------------------------------------
        themes = {t.name: t.pk for t in Theme.objects.all()}
        theme_names = [name for name in PHRASES if name in themes]
        theme_weights = [6, 18, 16, 8, 5, 10, 9, 8, 6][: len(theme_names)]
        station_ids = [s[0] for s in stations]
        station_weights = [
            rng.lognormvariate(0, 0.6) * (2.2 if s[3] is None else 0.55) for s in stations
        ]
        station_village = {s: v for s, (v, _p) in point_of.items()}
        town_of_station = {v: k for k, v in town_station.items()}
        station_town = {s[0]: town_of_station[s[3] if s[3] is not None else s[0]] for s in stations}
        village_name = {v: name for vs in villages.values() for v, name in vs}
        region_county = {t[0]: t[3] for t in townships}

        # The calendar is read before the COPY starts: no query may run on its connection.
        working = [
            first_day + dt.timedelta(days=k)
            for k in range((today - first_day).days + 240)
            if is_working_day(first_day + dt.timedelta(days=k))
        ]

        def due(day: dt.date, n: int) -> dt.date:
            """workdays.selectors.add_working_days, from the list above."""
            return working[bisect.bisect_right(working, day) + n - 1]

        for sample in (first_day, today - dt.timedelta(days=100), today):
            assert due(sample, 15) == add_working_days(sample, 15)
        suggestion_fields = [
            "id",
            "station_id",
            "village_id",
            "theme_id",
            "title",
            "content",
            "name",
            "phone",
            "is_anonymous",
            "addressee_id",
            "channel",
            "status",
            "tracking_code",
            "consent_at",
            "reception_day_id",
            "route",
            "deadline",
            "result",
            "outcome",
            "decided_by",
            "refer_to",
            "feedback_method",
            "feedback_note",
            "rating",
            "reopen_count",
            "merged_into_id",
            "rejection_reason",
            "urge_count",
            "is_key",
            "accepted_at",
            "completed_at",
            "fed_back_at",
            "rated_at",
            "created",
            "updated",
        ]
        tasks: list[tuple] = []
        n_total = args.suggestions

        first_id = load.next_id(Suggestion)

        def rows():
            code_iter = unique_codes(first_id, n_total, 8)
            # Volume grows over the two years; weekends are quieter.
            span = (today - first_day).days
            day_weights = []
            for k in range(span + 1):
                day = first_day + dt.timedelta(days=k)
                day_weights.append((0.7 + 0.6 * k / span) * (0.5 if day.weekday() >= 5 else 1))
            day_offsets = sorted(rng.choices(range(span + 1), weights=day_weights, k=n_total))
            picks = rng.choices(station_ids, weights=station_weights, k=n_total)
            last_of_station: dict[int, int] = {}
            now_local = timezone.localtime(now)
            for i in range(n_total):
                pk = first_id + i
                station = picks[i]
                day = first_day + dt.timedelta(days=day_offsets[i])
                created = dt.datetime.combine(
                    day,
                    dt.time(rng.randint(8, 19), rng.randint(0, 59), rng.randint(0, 59)),
                    tzinfo=CST,
                )
                if created > cap:
                    created = cap - dt.timedelta(minutes=rng.randint(0, 540))
                    day = created.date()
                age = (today - day).days
                theme = rng.choices(theme_names, weights=theme_weights)[0]
                what, wrong, ask = PHRASES[theme]
                # The lists are written in step: the i-th problem and request fit the i-th thing.
                i = rng.randrange(min(len(what), len(wrong), len(ask)))
                town = station_town[station]
                village = station_village.get(station)
                if village is None and rng.random() < 0.6:
                    village = rng.choice(villages[town])[0]
                place = village_name.get(village, "")
                subject, problem, request = what[i], wrong[i], ask[i]
                title = f"{subject}{problem}"[:60]
                content = f"{place}村民反映：{subject}{problem}，{rng.choice(DETAILS)}。{request}。"
                anonymous = rng.random() < 0.06
                name = "" if anonymous else person_name(rng)
                phone = "" if anonymous else f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
                channel = rng.choices(
                    ["qr", "web", "walk_in", "phone", "reception"], weights=[35, 20, 20, 10, 15]
                )[0]
                reception_day = None
                if channel == "reception":
                    held = station_days.get(station, [])
                    k = bisect.bisect_right(held, (day, 1 << 62)) - 1
                    if k >= 0 and (day - held[k][0]).days <= 30:
                        reception_day = held[k][1]
                addressee = (
                    rng.choice(station_reps[station])
                    if station_reps.get(station) and rng.random() < 0.08
                    else None
                )
                status, route, deadline, result, outcome = "received", "", None, "", ""
                decided_by = refer_to = feedback_method = feedback_note = rating = ""
                rejection_reason, merged_into, reopen_count, urge_count = "", None, 0, 0
                accepted_at = completed_at = fed_back_at = rated_at = None
                r = rng.random()
                lag = dt.timedelta(hours=rng.randint(1, 40))
                if r < 0.025 and age > 1:
                    status, rejection_reason = "rejected", "内容与本站职责无关或为广告信息。"
                elif r < 0.04 and age > 1 and station in last_of_station:
                    status, merged_into = "merged", last_of_station[station]
                elif age < 2 and rng.random() < 0.5:
                    status = "received"
                elif age < 5 and rng.random() < 0.3:
                    status, accepted_at = "accepted", created + lag
                else:
                    accepted_at = created + lag
                    route = rng.choices(
                        ["on_site", "township", "county", "explained"], weights=[35, 35, 22, 8]
                    )[0]
                    if route in ("township", "county"):
                        limit = 10 if route == "township" else 15
                        deadline = due(accepted_at.date(), limit)
                        late = rng.random() < (0.12 if route == "township" else 0.22)
                        days_needed = (
                            rng.randint(limit + 1, limit * 3) if late else rng.randint(1, limit)
                        )
                        done_day = due(accepted_at.date(), days_needed)
                        department = (
                            township_department[town]
                            if route == "township"
                            else rng.choice(county_departments[region_county[town]])[0]
                        )
                        if done_day <= today:
                            completed_at = on(done_day, rng.randint(9, 17))
                            status, outcome = "completed", rng.choices("ABCD", [70, 15, 10, 5])[0]
                            text = rng.choice(RESULTS[route])
                            dept_name = next(
                                (
                                    n
                                    for d, n in county_departments[region_county[town]]
                                    if d == department
                                ),
                                "",
                            )
                            result = text.format(dept=dept_name)
                            tasks.append((pk, department, "done", created, completed_at))
                        else:
                            status = "in_handling" if rng.random() < 0.8 else "assigned"
                            state = "signed" if status == "in_handling" else "assigned"
                            tasks.append((pk, department, state, created, created))
                            if deadline < today and rng.random() < 0.5:
                                urge_count = rng.randint(1, 3)
                    else:
                        completed_at = accepted_at + dt.timedelta(hours=rng.randint(0, 30))
                        status = "completed"
                        result = rng.choice(RESULTS[route])
                        if route == "on_site":
                            outcome = "A"
                        else:
                            outcome, decided_by = "D", "镇人民政府"
                            refer_to = rng.choice(REFER_TO)
                    if completed_at is not None and completed_at > now_local:
                        completed_at = now_local
                    if status == "completed" and (now_local - completed_at).days >= 2:
                        fed_back_at = completed_at + dt.timedelta(days=rng.randint(1, 3))
                        status = "fed_back"
                        feedback_method = rng.choices(
                            ["phone", "in_person", "notice"], [60, 30, 10]
                        )[0]
                        feedback_note = "已将办理结果告知群众。"
                        if (now_local - fed_back_at).days >= 3 and rng.random() < 0.8:
                            rated_at = fed_back_at + dt.timedelta(days=rng.randint(0, 3))
                            rating = rng.choices(
                                ["satisfied", "basically", "unsatisfied"], [70, 22, 8]
                            )[0]
                            if rating != "unsatisfied":
                                status = "closed"
                                reopen_count = 1 if rng.random() < 0.01 else 0
                        elif (now_local - fed_back_at).days >= 30 and rng.random() < 0.5:
                            status = "closed"
                last_of_station[station] = pk
                accepted_at, completed_at = past(accepted_at), past(completed_at)
                fed_back_at, rated_at = past(fed_back_at), past(rated_at)
                updated = max(
                    x
                    for x in (created, accepted_at, completed_at, fed_back_at, rated_at)
                    if x is not None
                )
                yield (
                    pk,
                    station,
                    village,
                    themes[theme],
                    title,
                    content,
                    name,
                    phone,
                    anonymous,
                    addressee,
                    channel,
                    status,
                    next(code_iter),
                    None if anonymous else created,
                    reception_day,
                    route,
                    deadline,
                    result,
                    outcome,
                    decided_by,
                    refer_to,
                    feedback_method,
                    feedback_note,
                    rating,
                    reopen_count,
                    merged_into,
                    rejection_reason,
                    urge_count,
                    rng.random() < 0.002,
                    accepted_at,
                    completed_at,
                    fed_back_at,
                    rated_at,
                    created,
                    updated,
                )

        indexes = {
            table: secondary_indexes(cur, table)
            for table in (Suggestion._meta.db_table, DepartmentTask._meta.db_table)
        }
        with step(f"drop {sum(len(v) for v in indexes.values())} secondary indexes"):
            for table_indexes in indexes.values():
                for name, _definition in table_indexes:
                    cur.execute(f'DROP INDEX IF EXISTS "{name}"')
        with step(f"generate and COPY {n_total:,} suggestions"):
            count = load.copy(Suggestion, suggestion_fields, rows())
            load.reset_sequence(Suggestion)
            print(f"  {count:,} suggestions")
        with step(f"COPY {len(tasks):,} department tasks"):
            load.copy(
                DepartmentTask,
                ["suggestion_id", "department_id", "state", "created", "updated", "role"],
                ((pk, d, state, c, u, "lead") for pk, d, state, c, u in tasks),
            )
        with step("rebuild the secondary indexes"):
            for table_indexes in indexes.values():
                for name, definition in table_indexes:
                    t0 = time.perf_counter()
                    cur.execute(definition)
                    print(f"    {name}: {time.perf_counter() - t0:.1f} s", flush=True)
        cur.execute("SET session_replication_role = origin")

        # --- people who run the benchmark --------------------------------------------------------
        province_region = Region.objects.get(pk=province)
        User.objects.get_or_create(
            username="bench_root", defaults={"is_superuser": True, "is_staff": True}
        )
        supervisor, _ = User.objects.get_or_create(username="bench_province")
        province_region.supervisors.add(supervisor)

    with step("ANALYZE"):
        with connection.cursor() as c:
            c.execute("ANALYZE")
    with step("statistics summaries (every past month)"):
        months = rebuild_all()
        print(f"  {len(months)} months")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suggestions", type=int, default=1_000_000)
    parser.add_argument("--reset", action="store_true", help="drop the database and start over")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    env = harness.environment()
    url = env["DATABASE_URL"]
    if args.reset:
        import psycopg

        parts = urlsplit(url)
        name = parts.path.lstrip("/")
        with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    total = time.perf_counter()
    with step("create and migrate the database"):
        harness.ensure_database(url)
        harness.manage("migrate", "--noinput", "-v0")
    os.environ.update(env)
    import django

    django.setup()
    from suggestions.models import Suggestion

    if Suggestion.objects.exists():
        print(f"{url} already holds suggestions; --reset to generate again.")
        return
    generate(args)
    print(f"total: {time.perf_counter() - total:.1f} s")


if __name__ == "__main__":
    main()
