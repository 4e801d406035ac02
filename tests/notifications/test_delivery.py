import datetime

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from notifications import tasks
from notifications.models import Message
from notifications.services import (
    INTERRUPTED_NOTE,
    SENDING_LEASE,
    backoff,
    message_send,
    send_pending_messages,
)
from notifications.sms import SmsError

from .conftest import RECEPTION_DAY

SECONDS = datetime.timedelta(seconds=1)

# Outside django_capture_on_commit_callbacks the test's transaction never commits, so a message
# written by notify_receipt() stays pending until the test sends it: as if its task were lost.


def _broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_message, "delay", refuse)


@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_neither_breaks_the_caller_nor_loses_the_message(
    notify_receipt, monkeypatch, sms_outbox, caplog
):
    _broker_down(monkeypatch)

    # A real commit, so on_commit runs the way it does in a request.
    with transaction.atomic():
        message = notify_receipt()

    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert message.attempts == 0
    assert sms_outbox == []
    assert "the periodic sweep will send it" in caplog.text

    assert send_pending_messages() == 1
    assert send_pending_messages() == 0
    assert len(sms_outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENT, 1)


def test_a_gateway_failure_is_retried_after_the_backoff(
    notify_receipt, gateway, sms_outbox, reception_day, django_capture_on_commit_callbacks
):
    gateway.error = SmsError("网关超时 (504)")
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_receipt()

    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert message.attempts == 1
    assert message.last_error == "SmsError: 网关超时 (504)"
    assert message.next_attempt_at == RECEPTION_DAY + 30 * SECONDS

    gateway.error = None
    reception_day.shift(29 * SECONDS)
    assert send_pending_messages() == 0  # not due yet
    assert sms_outbox == []

    reception_day.shift(1 * SECONDS)
    assert send_pending_messages() == 1
    assert send_pending_messages() == 0
    assert len(sms_outbox) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 2
    assert message.sent_at == RECEPTION_DAY + 30 * SECONDS


def test_a_message_that_keeps_failing_is_marked_failed_and_left_alone(
    notify_receipt, gateway, settings, sms_outbox, reception_day
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 4
    gateway.error = SmsError("余额不足")
    message = notify_receipt()

    waits = []
    for _attempt in range(4):
        assert send_pending_messages() == 0
        message.refresh_from_db()
        waits.append(message.next_attempt_at - RECEPTION_DAY)
        reception_day.move_to(message.next_attempt_at, tick=False)

    assert message.status == Message.Status.FAILED
    assert message.attempts == 4
    assert message.last_error == "SmsError: 余额不足"
    # 30 s, then 1 min, then 2 min after each failure.
    assert [w.total_seconds() for w in waits[:3]] == [30, 90, 210]

    gateway.error = None
    reception_day.shift(datetime.timedelta(days=1))
    assert send_pending_messages() == 0
    assert sms_outbox == []


def test_the_backoff_doubles_and_stops_at_an_hour():
    assert [backoff(n).total_seconds() for n in range(1, 9)] == [
        30, 60, 120, 240, 480, 960, 1920, 3600,
    ]  # fmt: skip
    assert backoff(1000) == datetime.timedelta(hours=1)


def test_two_workers_claiming_the_same_message_send_it_once(notify_receipt, sms_outbox):
    message = notify_receipt()

    assert message_send(message_id=message.pk) is True
    assert message_send(message_id=message.pk) is False
    assert len(sms_outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_second_worker_arriving_mid_send_backs_off(notify_receipt, gateway, sms_outbox):
    message = notify_receipt()
    second_worker = []
    gateway.during_send = lambda: second_worker.append(message_send(message_id=message.pk))

    assert message_send(message_id=message.pk) is True
    assert second_worker == [False]
    assert len(sms_outbox) == 1


class WorkerKilled(BaseException):
    """What a worker sees when it is killed: nothing it can catch and record."""


def test_a_send_interrupted_by_a_dead_worker_is_retried_after_ten_minutes(
    notify_receipt, gateway, sms_outbox, reception_day
):
    message = notify_receipt()
    gateway.error = WorkerKilled()
    with pytest.raises(WorkerKilled):
        message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.SENDING
    gateway.error = None

    reception_day.shift(SENDING_LEASE - SECONDS)
    assert send_pending_messages() == 0  # the worker may still be talking to the gateway
    message.refresh_from_db()
    assert message.status == Message.Status.SENDING

    reception_day.shift(SECONDS)
    assert send_pending_messages() == 1
    assert send_pending_messages() == 0
    assert len(sms_outbox) == 1
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
    assert message.attempts == 2
    assert message.last_error == str(INTERRUPTED_NOTE)


def test_the_sweep_sends_due_messages_in_batches_oldest_first(
    notify_receipt, sms_outbox, reception_day
):
    for n in range(5):
        notify_receipt(key=f"suggestion:{n}:receipt:sms", recipient=f"1390357000{n}")
        reception_day.shift(SECONDS)

    assert send_pending_messages(batch_size=2) == 5
    assert [m.recipient[-1] for m in sms_outbox] == ["0", "1", "2", "3", "4"]


def test_the_periodic_task_is_the_one_the_beat_schedule_names(notify_receipt, settings, sms_outbox):
    notify_receipt()
    name = settings.CELERY_BEAT_SCHEDULE["notifications-send-pending"]["task"]
    assert tasks.send_pending_messages.name == name
    assert tasks.send_pending_messages.delay().get() == 1
    assert len(sms_outbox) == 1
