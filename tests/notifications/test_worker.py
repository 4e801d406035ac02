"""The whole way with a real worker: commit, broker (Redis under CI), worker, gateway."""

import threading
import time
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections, transaction

from liaison.celery import app as celery_app
from notifications import tasks
from notifications.models import Message


def _close_worker_connections(**kwargs):
    # The worker thread has its own database connection; left open it would stop the test
    # database from being dropped at the end of the run.
    connections.close_all()


def _forget_queue(queue: str) -> None:
    """Leave nothing behind on a shared Redis: the queue and kombu's bindings for it."""
    with celery_app.connection_for_write() as connection:
        if connection.transport.driver_type != "redis":
            return  # the in-memory broker goes with the process
    client = redis.Redis.from_url(celery_app.conf.broker_url)
    keys = list(client.scan_iter(match=f"*{queue}*"))  # the name is unique to this run
    if keys:
        client.delete(*keys)


@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_the_message_queued_at_commit(
    notify_receipt, sms_outbox, gateway, monkeypatch
):
    celery_app.conf.task_always_eager = False  # restored by the autouse fixture in conftest
    # A queue of its own, so a worker started by another test run on the same Redis cannot
    # take this message (and this worker cannot take theirs).
    queue = f"notifications-test-{uuid.uuid4().hex}"

    def delay_on_own_queue(*args, **kwargs):
        # `.delay` with one option added, passed explicitly: Celery caches a task's own `queue`
        # attribute at its first use, so patching the attribute would not be reliable.
        return tasks.send_message.apply_async(args, kwargs, queue=queue)

    monkeypatch.setattr(tasks.send_message, "delay", delay_on_own_queue)
    sending_threads = []
    gateway.during_send = lambda: sending_threads.append(threading.current_thread())
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with start_worker(celery_app, queues=[queue], perform_ping_check=False):
            with transaction.atomic():
                message = notify_receipt()
            deadline = time.monotonic() + 15
            while not sms_outbox and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        task_postrun.disconnect(_close_worker_connections)
        _forget_queue(queue)

    assert len(sms_outbox) == 1
    # Sent by the worker's thread, not inline at commit as an eager run would.
    [sender] = sending_threads
    assert sender is not threading.main_thread()
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 1
