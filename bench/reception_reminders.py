"""Reception reminders and the rota planner at scale, on PostgreSQL with a real Celery worker.

    .venv/bin/python bench/reception_reminders.py [--representatives 50000]
        [--rota-stations 5000] [--rota-days 12] [--workers 2]

1. Puts `--representatives` representatives on duty (one leader and two representatives a day,
   every one on a mobile) on reception days three days ahead, with bulk_create.
2. Queues the daily reminder task to `celery -A liaison worker -c WORKERS` over Redis
   (redis://127.0.0.1:6379/14, flushed before and after) and watches the database: outbox
   messages written per second (the reminder task: claim + outbox row, one savepoint each) and
   reminders sent per second (until the worker processes have sent every message). The SMS
   backend is the log backend with logging at WARNING, so no gateway time is measured.
3. Runs the task once more in this process: everything is claimed, nothing goes out.
4. Times propose_rota_for_days for `--rota-stations` stations x `--rota-days` days, each
   station with ten assigned representatives and every other one a head, and counts queries.

The database is postgres://postgres@127.0.0.1:5432/liaison_bench_reminders (created if
missing; its rota, reminder and outbox tables are emptied at the start of each run).
"""

import argparse
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness  # noqa: E402

DATABASE_URL = "postgres://postgres@127.0.0.1:5432/liaison_bench_reminders"
REDIS_URL = "redis://127.0.0.1:6379/14"
PER_DAY = 3  # one leader, two representatives: the Zhongduo rule
TABLES = [
    "receptions_reminder", "notifications_message", "receptions_swaprequest", "receptions_duty",
    "receptions_unavailability", "receptions_receptionday", "representatives_assignment",
    "stations_station_staff", "stations_station", "representatives_representative",
]  # fmt: skip


def setup_environment() -> dict[str, str]:
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["REDIS_URL"] = REDIS_URL
    env = harness.environment()
    env.update(
        SMS_BACKEND="notifications.sms.LogSmsBackend",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        CELERY_TASK_ALWAYS_EAGER="0",
    )
    os.environ.update(env)
    return env


def reset_and_create(*, representatives: int, rota_stations: int, rota_days: int):
    """Empty the tables this benchmark fills, then create its network with bulk_create."""
    from django.db import connection

    from receptions.models import Duty, ReceptionDay
    from representatives.models import Assignment, Representative
    from stations.models import Region, Station
    from stations.services import region_save

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
    region = Region.objects.filter(name="基准测试乡").first() or region_save(
        region=Region(name="基准测试乡", level=Region.Level.TOWNSHIP)
    )
    today = datetime.date.today()
    due = today + datetime.timedelta(days=3)
    n_stations = max(-(-representatives // PER_DAY), rota_stations)

    started = time.perf_counter()
    stations = Station.objects.bulk_create(
        [
            Station(name=f"联络站{i:06d}", code=f"B{i:07d}", region=region, address=f"{i}号院")
            for i in range(n_stations)
        ],
        batch_size=5000,
    )
    people = Representative.objects.bulk_create(
        [
            Representative(
                name=f"代表{i:06d}", code=f"P{i:07d}", phone=f"139{i:08d}",
                level=Representative.Level.COUNTY if i % 5 == 0 else Representative.Level.TOWNSHIP,
            )
            for i in range(max(representatives, rota_stations * 10))
        ],
        batch_size=5000,
    )  # fmt: skip
    days = ReceptionDay.objects.bulk_create(
        [
            ReceptionDay(
                station=s, date=due, start_time=datetime.time(9), end_time=datetime.time(11, 30),
                theme="道路交通",
            )
            for s in stations[: -(-representatives // PER_DAY)]
        ],
        batch_size=5000,
    )  # fmt: skip
    roles = [Duty.Role.LEADER] + [Duty.Role.REPRESENTATIVE] * (PER_DAY - 1)
    Duty.objects.bulk_create(
        [
            Duty(day=day, representative=people[i * PER_DAY + j], role=roles[j])
            for i, day in enumerate(days)
            for j in range(PER_DAY)
            if i * PER_DAY + j < representatives
        ],
        batch_size=5000,
    )

    # The rota planner's stations: ten representatives each, every other one with a head, and
    # `rota_days` monthly days from next month on (out of every reminder's window).
    Assignment.objects.bulk_create(
        [
            Assignment(representative=people[s * 10 + k], station=stations[s], start_date=today)
            for s in range(rota_stations)
            for k in range(10)
        ],
        batch_size=5000,
    )
    for index in range(0, rota_stations, 2):
        stations[index].head_id = people[index * 10 + 1].pk
    Station.objects.bulk_update(stations[:rota_stations:2], ["head"], batch_size=5000)
    rota_day_objects = ReceptionDay.objects.bulk_create(
        [
            ReceptionDay(
                station=stations[s], date=today + datetime.timedelta(days=30 * (m + 1)),
                start_time=datetime.time(9), end_time=datetime.time(11, 30),
            )
            for s in range(rota_stations)
            for m in range(rota_days)
        ],
        batch_size=5000,
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"created {n_stations} stations, {len(people)} representatives, {len(days)} days due "
        f"{due} with {min(representatives, len(days) * PER_DAY)} duties, and "
        f"{len(rota_day_objects)} days to plan, in {time.perf_counter() - started:.1f} s"
    )
    return today, rota_day_objects


def start_worker(env: dict[str, str], concurrency: int, log: Path) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "liaison", "worker", "-c", str(concurrency),
             "--loglevel=WARNING", "--without-mingle", "--without-gossip"],
            cwd=harness.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def wait_until(condition, *, timeout: float, what: str, poll: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(poll)
    raise RuntimeError(f"timed out waiting for {what}")


def measure_reminders(*, today, expected: int, env, concurrency: int) -> None:
    from liaison.celery import app
    from notifications.models import Message
    from receptions import reminders
    from receptions import tasks as reminder_tasks
    from receptions.models import Reminder

    log = Path(harness.ROOT) / "test-artifacts" / "bench-reminder-worker.log"
    log.parent.mkdir(exist_ok=True)
    harness.flush_redis()
    worker = start_worker(env, concurrency, log)
    try:
        wait_until(lambda: app.control.ping(timeout=0.5), timeout=60, what="the worker")
        started = time.perf_counter()
        reminder_tasks.send_reception_reminders.apply_async([today.isoformat()])
        wait_until(lambda: Reminder.objects.count() >= expected, timeout=1800, what="the reminders")
        written_at = time.perf_counter()
        written = Message.objects.count()
        wait_until(
            lambda: Message.objects.filter(status=Message.Status.SENT).count() >= expected,
            timeout=1800,
            what="the messages to be sent",
        )
        sent_at = time.perf_counter()
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
        harness.flush_redis()

    rerun_started = time.perf_counter()
    again = reminders.send_reception_reminders(today)
    rerun = time.perf_counter() - rerun_started
    duplicates = written - len(set(Message.objects.values_list("key", flat=True)))
    print(
        f"\nreminder task, worker -c {concurrency}, {expected} representatives on duty:\n"
        f"  outbox messages written: {written} in {written_at - started:.1f} s "
        f"= {written / (written_at - started):,.0f} messages written/s\n"
        f"  reminders sent (status sent): {expected} in {sent_at - started:.1f} s "
        f"= {expected / (sent_at - started):,.0f} reminders sent/s (from queueing to last sent)\n"
        f"  second run, same day, in this process: {again} sent in {rerun:.1f} s"
        f" ({expected / rerun:,.0f} claims checked/s); duplicate keys: {duplicates}"
    )


def measure_rota(days) -> None:
    from collections import Counter

    from django.db import connection

    from receptions.rota import propose_rota_for_days

    queries = [0]

    def count(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        added = propose_rota_for_days(days=days)
    elapsed = time.perf_counter() - started
    stations = len({d.station_id for d in days})
    full = sum(1 for n in Counter(d.day_id for d in added).values() if n >= PER_DAY)
    short = len(days) - full
    print(
        f"\npropose_rota_for_days, {stations} stations x {len(days) // max(stations, 1)} days "
        f"({len(days)} days):\n"
        f"  {len(added)} duties in {elapsed:.1f} s = {len(days) / elapsed:,.0f} days/s, "
        f"{queries[0]} queries; {short} days left short"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--representatives", type=int, default=50_000)
    parser.add_argument("--rota-stations", type=int, default=5_000)
    parser.add_argument("--rota-days", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    env = setup_environment()
    harness.ensure_database(env["DATABASE_URL"])
    harness.manage("migrate", "--noinput", "-v0")

    import django

    django.setup()
    today, rota_days = reset_and_create(
        representatives=args.representatives,
        rota_stations=args.rota_stations,
        rota_days=args.rota_days,
    )
    measure_reminders(today=today, expected=args.representatives, env=env, concurrency=args.workers)
    measure_rota(rota_days)


if __name__ == "__main__":
    main()
