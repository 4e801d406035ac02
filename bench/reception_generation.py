"""Generating a year of reception days for 5,000 stations with the service, on PostgreSQL.

    .venv/bin/python bench/reception_generation.py [--stations 5000] [--months 12]

Uses DATABASE_URL (default: a `liaison_bench_receptions` database on the local PostgreSQL,
created if missing). Creates the stations and one rule each in bulk (a third "the 10th, moved on
holidays", a third "Tuesday of the third week", a third "every two months"), deletes their days,
then times `reception_days_generate` from today: first the real generation, then a second run
that finds nothing to do. The rota is not part of it.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/liaison_bench_receptions"
PREFIX = "BR"  # station codes BR00000…, names 基准站00000…


def prepare(count: int) -> None:
    from django.db import connection

    from receptions.models import ReceptionRule
    from stations.models import Region, Station
    from stations.services import region_save

    county = Region.objects.filter(name="基准县", parent__isnull=True).first()
    if county is None:
        county = region_save(region=Region(name="基准县", level=Region.Level.COUNTY))
    have = Station.objects.filter(region=county).count()
    if have < count:
        Station.objects.bulk_create(
            [
                Station(name=f"基准站{i:05d}", code=f"{PREFIX}{i:05d}", region=county)
                for i in range(have, count)
            ],
            batch_size=1000,
        )
    stations = list(Station.objects.filter(region=county).order_by("code")[:count])
    # Plain SQL: the benchmark's days have nothing attached, and the ORM's cascade would need
    # every app's tables (only the apps this benchmark touches are migrated).
    with connection.cursor() as cursor:
        for table in ("receptions_receptionday", "receptions_receptionrule"):
            cursor.execute(
                f"DELETE FROM {table} WHERE station_id IN "
                "(SELECT id FROM stations_station WHERE region_id = %s)",
                [county.pk],
            )
    Kind = ReceptionRule.Kind
    kinds = [
        {"kind": Kind.MONTHLY_DAY, "day_of_month": 10},
        {"kind": Kind.NTH_WEEKDAY, "week_of_month": 3, "weekday": 1},
        {"kind": Kind.EVERY_K_MONTHS, "day_of_month": 15, "interval_months": 2},
    ]
    ReceptionRule.objects.bulk_create(
        [
            ReceptionRule(
                station=station,
                start_time=dt.time(9),
                end_time=dt.time(11, 30),
                start_date=dt.date(2026, 1, 1),
                default_theme="道路交通",
                **kinds[i % 3],
            )  # fmt: skip
            for i, station in enumerate(stations)
        ],
        batch_size=1000,
    )


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed_generation(until: dt.date):
    from django.db import connection

    from receptions.services import GenerationReport, reception_days_generate

    report, counter = GenerationReport(), QueryCounter()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        reception_days_generate(until=until, report=report)
        seconds = time.perf_counter() - start
    return report, seconds, counter.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=5000)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    env = harness.environment()
    harness.ensure_database(env["DATABASE_URL"])
    # Only the tables this benchmark touches (and what they depend on).
    for app in ("workdays", "receptions"):
        harness.manage("migrate", app, "--noinput", "-v0")

    os.environ.update(env)
    import django

    django.setup()
    from django.utils import timezone

    from liaison.months import add_months
    from receptions.models import ReceptionDay

    start = time.perf_counter()
    prepare(args.stations)
    seconds = time.perf_counter() - start
    print(f"prepared {args.stations} stations with one rule each in {seconds:.1f} s")

    today = timezone.localdate()
    until = add_months(today, args.months)
    print(f"generating from {today} until {until} on {env['DATABASE_URL'].rsplit('/', 1)[-1]}\n")
    print(f"{'run':<28} {'days':>8} {'seconds':>8} {'days/s':>9} {'queries':>8}")
    for label in ("first run (creates)", "second run (nothing to do)"):
        report, seconds, queries = timed_generation(until)
        rate = report.created / seconds if report.created else 0
        print(f"{label:<28} {report.created:>8} {seconds:>8.2f} {rate:>9.0f} {queries:>8}")
    provisional = ReceptionDay.objects.filter(provisional=True).count()
    print(f"\n{ReceptionDay.objects.count()} days in the database, {provisional} provisional")


if __name__ == "__main__":
    main()
