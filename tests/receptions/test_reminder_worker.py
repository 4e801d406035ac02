"""The reminder task through a real Celery worker: run twice, and once killed half-way.

Under CI (PostgreSQL and REDIS_URL) a worker runs as a subprocess, `celery worker -c 1` on a
queue of its own, against the test database and the real Redis. For the kill, the test holds a
conflicting claim open in another transaction, so the task is certain to be half-way through
(some reminders written, not committed) while it waits; the pool process is then killed with
SIGKILL, acks_late + reject_on_worker_lost put the task back, and a fresh pool process runs it.

Without Redis the same steps run eagerly, the kill replaced by an error half-way through.
Either way every recipient gets exactly one message of each kind.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from liaison.celery import app as celery_app
from notifications import sms
from notifications.models import Message
from receptions import reminders
from receptions import tasks as reminder_tasks
from receptions.models import Duty, ReceptionDay, Reminder
from representatives.models import Representative
from tests.factories import make_representative

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 30
TASK = "receptions.reminder_tasks.send_reception_reminders"

# Runs one worker on the given queue. The queue is also the default queue, so the messages'
# own send tasks, queued at commit by the worker, stay on this throwaway queue too.
WORKER = """
import sys
from liaison.celery import app
queue = sys.argv[1]
app.conf.task_default_queue = queue
app.worker_main([
    "worker", "-Q", queue, "-c", "1", "-P", "prefork", "--loglevel=INFO", "-n", f"{queue}@%h",
    "--without-mingle", "--without-gossip", "--without-heartbeat",
])
"""


def _real_services() -> bool:
    return bool(settings.REDIS_URL) and connection.vendor == "postgresql"


def wait_for(condition, what: str, *, log: Path | None = None, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"Timed out waiting for {what}.\n{tail}")


def make_day(station, date, people) -> ReceptionDay:
    day = ReceptionDay.objects.create(
        station=station, date=date, start_time=datetime.time(9), end_time=datetime.time(11, 30),
        place="中垛乡政府", theme="环境卫生",
    )  # fmt: skip
    roles = [Duty.Role.LEADER] + [Duty.Role.REPRESENTATIVE] * (len(people) - 1)
    for rep, role in zip(people, roles, strict=True):
        Duty.objects.create(day=day, representative=rep, role=role)
    return day


@pytest.fixture
def two_days(network):
    """Two reception days of Zhongduo, a week apart, three people (all on mobiles) on each."""
    head = make_representative("赵站长", Representative.Level.TOWNSHIP, phone="13903570001")
    people = [head, network.rep_county, network.rep_township]
    today = timezone.localdate()
    first = make_day(network.station, today + datetime.timedelta(days=3), people)
    second = make_day(network.station, today + datetime.timedelta(days=10), people)
    return first, second


def assert_one_message_per_recipient_and_kind(days, expected: int) -> None:
    reminders_sent = list(
        Reminder.objects.filter(day__in=days).values_list("day_id", "kind", "recipient_key")
    )
    messages = list(
        Message.objects.filter(key__startswith="reception:").values_list(
            "key", "status", "attempts"
        )
    )
    assert len(reminders_sent) == len(set(reminders_sent)) == expected
    assert sorted(key for key, _s, _a in messages) == sorted(
        f"reception:{d}:{k}:{r}" for d, k, r in reminders_sent
    )
    # Every message went out, each on its first attempt: none was sent twice.
    assert {(status, attempts) for _k, status, attempts in messages} == {(Message.Status.SENT, 1)}


@pytest.mark.django_db(transaction=True)
def test_the_reminder_task_sends_once_per_recipient_and_kind_even_when_a_worker_dies(
    two_days, tmp_path, monkeypatch, settings
):
    first, second = two_days
    today = timezone.localdate()
    # The first day is three days ahead now; the second is three days ahead a week later.
    runs = [today.isoformat(), today.isoformat(), (today + datetime.timedelta(days=7)).isoformat()]
    if _real_services():
        _with_a_real_worker(first, second, runs, tmp_path)
    else:
        _eagerly(first, second, runs, monkeypatch, settings)
    assert_one_message_per_recipient_and_kind([first, second], expected=6)


# --- eagerly, without Redis ----------------------------------------------------------------------


def _eagerly(first, second, runs, monkeypatch, settings) -> None:
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    sms.outbox.clear()
    try:
        _eager_runs(second, runs, monkeypatch)
    finally:
        celery_app.conf.task_always_eager = previous_eager
        sms.outbox.clear()


def _eager_runs(second, runs, monkeypatch) -> None:
    assert reminder_tasks.send_reception_reminders.delay(runs[0]).get() == 3
    assert reminder_tasks.send_reception_reminders.delay(runs[1]).get() == 0

    real_notify, calls = reminders.notify, []

    def dies_on_the_third(**kwargs):
        calls.append(kwargs["key"])
        if len(calls) == 3:
            raise SystemExit("the worker process dies here")
        return real_notify(**kwargs)

    monkeypatch.setattr(reminders, "notify", dies_on_the_third)
    with pytest.raises(SystemExit):
        reminder_tasks.send_reception_reminders.delay(runs[2])
    assert not Reminder.objects.filter(day=second).exists()
    monkeypatch.setattr(reminders, "notify", real_notify)
    assert reminder_tasks.send_reception_reminders.delay(runs[2]).get() == 3
    assert len(sms.outbox) == 6


# --- a real worker, under CI ---------------------------------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(queue: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "SMS_BACKEND": "notifications.sms.LogSmsBackend",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT),
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-c", WORKER, queue], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT,
        )  # fmt: skip


def _pool_processes(worker: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)


def _forget_queue(queue: str) -> None:
    """Leave nothing behind on a shared Redis: the queue and kombu's bindings for it."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter(match=f"*{queue}*"))  # the name is unique to this run
    if keys:
        client.delete(*keys)


def _release_stray_connections() -> None:
    """The killed process's session ends as soon as it notices its client is gone; make sure
    no session of the worker outlives the test, or the test database could not be dropped."""

    def others() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]

    try:
        wait_for(lambda: others() == 0, "the worker's database sessions to end", timeout=10)
    except AssertionError:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def _with_a_real_worker(first, second, runs, tmp_path) -> None:
    import psycopg

    queue = f"reminders-test-{uuid.uuid4().hex}"
    log = tmp_path / "worker.log"
    previous_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False

    def send(today: str) -> str:
        return reminder_tasks.send_reception_reminders.apply_async([today], queue=queue).id

    def finished(task_id: str) -> bool:
        return f"{TASK}[{task_id}] succeeded" in log.read_text(errors="replace")

    def all_sent(day, n: int) -> bool:
        messages = Message.objects.filter(key__startswith=f"reception:{day.pk}:")
        return messages.filter(status=Message.Status.SENT).count() == n

    worker = _start_worker(queue, log)
    try:
        # Twice the same morning: the second run finds every claim made and sends nothing.
        for today in runs[:2]:
            task_id = send(today)
            wait_for(lambda task_id=task_id: finished(task_id), "the reminder task", log=log)
        wait_for(lambda: all_sent(first, 3), "three messages sent", log=log)
        assert Reminder.objects.filter(day=second).count() == 0

        # A week later, killed half-way. The leader's reminder comes last (representatives
        # first); a claim for it, held open here, makes the task wait after writing the others.
        leader = second.duties.get(role=Duty.Role.LEADER).representative
        with psycopg.connect(_database_url().replace("postgres://", "postgresql://")) as blocker:
            blocker.execute(
                "INSERT INTO receptions_reminder (day_id, kind, recipient_key, created)"
                " VALUES (%s, %s, %s, now())",
                [second.pk, Reminder.Kind.DUTY_3_DAYS, f"rep:{leader.pk}"],
            )
            task_id = send(runs[2])

            def task_waits_on_the_claim() -> bool:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                        [blocker.info.backend_pid],
                    )
                    return cursor.fetchone()[0] > 0

            wait_for(task_waits_on_the_claim, "the task to wait on the held claim", log=log)
            [pool_process] = _pool_processes(worker)
            os.kill(pool_process, signal.SIGKILL)
            wait_for(
                lambda: pool_process not in _pool_processes(worker) and _pool_processes(worker),
                "a fresh pool process",
                log=log,
            )
            blocker.rollback()  # the claim was never committed: the rerun makes it

        wait_for(lambda: finished(task_id), "the redelivered task", log=log)
        wait_for(lambda: all_sent(second, 3), "the second day's messages", log=log)
        received = log.read_text(errors="replace").count(f"{TASK}[{task_id}] received")
        assert received == 2, "the task ran once more after the kill"
        assert "WorkerLostError" in log.read_text(errors="replace")
    finally:
        celery_app.conf.task_always_eager = previous_eager
        _stop(worker)
        _forget_queue(queue)
        _release_stray_connections()
