import datetime
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest

from liaison.celery import app as celery_app
from notifications import sms
from notifications.services import Channel, notify
from notifications.sms import LocmemSmsBackend, SmsMessage

# A reception day in Zhongduo: the 10th of the month, in the morning.
RECEPTION_DAY = datetime.datetime(2025, 3, 10, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
SIGNATURE = "【人大代表联络站】"


@pytest.fixture(autouse=True)
def _celery_runs_eagerly(settings):
    # Under CI REDIS_URL is set and tasks would go to the real broker. The Celery app read its
    # configuration once at start, so the Django setting alone would not reach it.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def sms_outbox(settings) -> list[SmsMessage]:
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    settings.SMS_SIGNATURE = SIGNATURE
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


class Gateway:
    """The SMS gateway as a test drives it: up, down with an error, or doing something mid-send."""

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self.during_send: Callable[[], None] | None = None


@pytest.fixture
def gateway(monkeypatch) -> Gateway:
    state = Gateway()
    deliver = LocmemSmsBackend.send

    def send(backend, recipient: str, text: str) -> None:
        if state.during_send:
            state.during_send()
        if state.error is not None:
            raise state.error
        deliver(backend, recipient, text)

    monkeypatch.setattr(LocmemSmsBackend, "send", send)
    return state


@pytest.fixture
def reception_day(time_machine):
    time_machine.move_to(RECEPTION_DAY, tick=False)
    return time_machine


TRACK_URL = "http://127.0.0.1:8000/track/K7M2QX9P/"


@pytest.fixture
def notify_receipt(db):
    """The call the suggestions app makes when a citizen submits a suggestion."""

    def notify_receipt(
        *, key="suggestion:42:receipt:sms", channel=Channel.SMS, recipient="13812345678"
    ):
        return notify(
            key=key,
            channel=channel,
            recipient=recipient,
            template="suggestion_received",
            context={
                "station_name": "中垛乡人大代表联络站",
                "tracking_code": "K7M2QX9P",
                "track_url": TRACK_URL,
            },
        )

    return notify_receipt
