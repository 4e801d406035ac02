"""Reception reminders: duty 3 days and 1 day before, short rotas, missing logs; each once."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.celery import app as celery_app
from liaison.roles import Role
from notifications import sms
from notifications.models import Message
from receptions import reminders
from receptions import tasks as reminder_tasks
from receptions.models import Duty, DutyLog, ReceptionDay, Reminder
from representatives.models import Representative
from stations.models import Station
from stations.services import station_save
from tests.factories import assign, make_representative, make_station, make_user

Kind = Reminder.Kind
LEADER, REPRESENTATIVE = Duty.Role.LEADER, Duty.Role.REPRESENTATIVE
SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Thursday in March 2025; its reminders go out on Monday the 10th and Wednesday the 12th.
RECEPTION = datetime.date(2025, 3, 13)


@pytest.fixture(autouse=True)
def _eager_celery_and_local_sms(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield
    celery_app.conf.task_always_eager = previous
    sms.outbox.clear()


@pytest.fixture
def on(time_machine):
    """Move to 07:30 (when the beat runs) on a date."""

    def move(date: datetime.date) -> None:
        time_machine.move_to(datetime.datetime.combine(date, datetime.time(7, 30), SHANGHAI))

    return move


def make_day(station, date, **extra) -> ReceptionDay:
    return ReceptionDay.objects.create(
        station=station, date=date, start_time=datetime.time(9), end_time=datetime.time(11, 30),
        **extra,
    )  # fmt: skip


def shift(days: int) -> datetime.date:
    return RECEPTION + datetime.timedelta(days=days)


@pytest.fixture
def people(network, station_staff):
    """Zhongduo's head and two representatives on duty; staff with and without e-mail."""
    n = network
    station_staff.email = "staff@zhongduo.example"
    station_staff.save()
    n.staff = station_staff
    n.quiet_staff = make_user("zhongduo_staff_2", role=Role.STATION_STAFF, staff=True)
    n.station.staff.add(n.quiet_staff)  # no e-mail address: nothing can reach them
    n.head = make_representative("赵站长", Representative.Level.TOWNSHIP, phone="13903570001")
    n.station.head = n.head
    station_save(station=n.station)
    # The township representative has a landline only, and an account with an e-mail address.
    n.rep_township.phone = "03577921234"
    n.rep_township.user = make_user("li_xiuying", role=Role.REPRESENTATIVE)
    n.rep_township.user.email = "li.xiuying@example.com"
    n.rep_township.user.save()
    n.rep_township.save()
    return n


@pytest.fixture
def day(people):
    day = make_day(people.station, RECEPTION, place="中垛乡政府二楼会议室", theme="道路交通")
    Duty.objects.create(day=day, representative=people.head, role=LEADER)
    Duty.objects.create(day=day, representative=people.rep_county, role=REPRESENTATIVE)
    Duty.objects.create(day=day, representative=people.rep_township, role=REPRESENTATIVE)
    return day


def messages_for(day, kind):
    return Message.objects.filter(key__startswith=f"reception:{day.pk}:{kind}:").order_by("key")


# --- duty reminders ------------------------------------------------------------------------------


def test_the_people_on_duty_hear_three_days_and_one_day_before(
    day, people, on, settings, django_capture_on_commit_callbacks
):
    on(shift(-4))
    assert reminders.send_reception_reminders() == 0

    on(shift(-3))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_reception_reminders() == 3
    sent = messages_for(day, Kind.DUTY_3_DAYS)
    assert {(m.channel, m.recipient) for m in sent} == {
        ("sms", "13903570001"),
        ("sms", "13903571234"),
        ("email", "li.xiuying@example.com"),
    }
    head_sms = sent.get(recipient="13903570001")
    for detail in (
        "赵站长",
        "2025年3月13日",
        "星期四",
        "09:00",
        "11:30",
        "中垛乡政府二楼会议室",
        "道路交通",
    ):
        assert detail in head_sms.body
    assert "值班领导" in head_sms.body
    email = sent.get(channel="email")
    assert "李秀英" in email.body and "2025年3月13日" in email.subject
    assert {r.recipient_key for r in Reminder.objects.filter(kind=Kind.DUTY_3_DAYS)} == {
        f"rep:{people.head.pk}",
        f"rep:{people.rep_county.pk}",
        f"rep:{people.rep_township.pk}",
    }
    # Sent after commit through the (eager) task, with the signature.
    assert sorted(m.recipient for m in sms.outbox) == ["13903570001", "13903571234"]
    assert all(m.text.startswith(settings.SMS_SIGNATURE) for m in sms.outbox)
    assert set(sent.values_list("status", flat=True)) == {Message.Status.SENT}

    on(shift(-2))
    assert reminders.send_reception_reminders() == 0
    on(shift(-1))
    assert reminders.send_reception_reminders() == 3
    assert messages_for(day, Kind.DUTY_1_DAY).count() == 3
    on(shift(0))
    assert reminders.send_reception_reminders() == 0


def test_running_twice_sends_one_message_per_recipient_and_kind(day, on):
    on(shift(-3))
    assert reminder_tasks.send_reception_reminders.delay().get() == 3
    assert reminder_tasks.send_reception_reminders.delay().get() == 0
    assert Message.objects.count() == Reminder.objects.count() == 3
    on(shift(-1))
    reminder_tasks.send_reception_reminders.delay()
    reminder_tasks.send_reception_reminders.delay(shift(-1).isoformat())
    assert Message.objects.count() == Reminder.objects.count() == 6
    assert Reminder.objects.values("recipient_key", "kind").distinct().count() == 6


def test_a_missed_morning_is_caught_up_the_next_day(day, on):
    on(shift(-2))
    assert reminders.send_reception_reminders() == 3
    assert messages_for(day, Kind.DUTY_3_DAYS).count() == 3


def test_someone_put_on_duty_late_still_hears_once(day, people, on):
    on(shift(-3))
    reminders.send_reception_reminders()
    late = make_representative("晚到代表", Representative.Level.TOWNSHIP, phone="13903579999")
    assign(late, people.station)
    Duty.objects.create(day=day, representative=late, role=REPRESENTATIVE)
    on(shift(-2))
    assert reminders.send_reception_reminders() == 1
    assert messages_for(day, Kind.DUTY_3_DAYS).filter(recipient="13903579999").exists()


def test_someone_who_cannot_be_reached_is_not_recorded_as_reminded(day, people, on):
    people.rep_township.user.email = ""
    people.rep_township.user.save()
    on(shift(-3))
    assert reminders.send_reception_reminders() == 2
    assert not Reminder.objects.filter(representative=people.rep_township).exists()


def test_cancelled_days_get_no_duty_reminders(day, on):
    day.status = ReceptionDay.Status.CANCELLED
    day.save()
    on(shift(-3))
    assert reminders.send_reception_reminders() == 0


def test_a_reminder_claimed_by_another_run_is_not_sent_again(day, people, on):
    Reminder.objects.create(
        day=day, kind=Kind.DUTY_3_DAYS, representative=people.head,
        recipient_key=f"rep:{people.head.pk}",
    )  # fmt: skip
    on(shift(-3))
    assert reminders.send_reception_reminders() == 2
    assert not messages_for(day, Kind.DUTY_3_DAYS).filter(recipient="13903570001").exists()


def test_a_run_that_dies_half_way_leaves_nothing_and_the_rerun_sends_everything_once(
    day, on, monkeypatch
):
    real_notify = reminders.notify
    calls = []

    def notify_then_die(**kwargs):
        calls.append(kwargs["key"])
        if len(calls) == 2:
            raise RuntimeError("worker lost")
        return real_notify(**kwargs)

    monkeypatch.setattr(reminders, "notify", notify_then_die)
    on(shift(-3))
    with pytest.raises(RuntimeError):
        reminders.send_reception_reminders()
    assert Reminder.objects.count() == Message.objects.count() == 0

    monkeypatch.setattr(reminders, "notify", real_notify)
    assert reminders.send_reception_reminders() == 3
    assert Reminder.objects.count() == Message.objects.count() == 3


def test_the_reminder_days_come_from_the_settings(day, on, settings):
    settings.RECEPTION_REMINDER_DAYS = [5, 1]
    on(shift(-5))
    assert reminders.send_reception_reminders() == 3
    assert Reminder.objects.filter(kind=Kind.DUTY_3_DAYS).count() == 3
    settings.RECEPTION_REMINDER_DAYS = [3, 2]
    with pytest.raises(ImproperlyConfigured):
        reminders.send_reception_reminders()


# --- reminders to station staff --------------------------------------------------------------------


def test_staff_hear_of_an_incomplete_rota_a_week_before(people, on):
    short = make_day(people.station, RECEPTION, theme="环境卫生")
    Duty.objects.create(day=short, representative=people.rep_county, role=REPRESENTATIVE)
    full = make_day(people.station, shift(1))
    for rep, role in ((people.head, LEADER), (people.rep_county, REPRESENTATIVE),
                      (people.rep_township, REPRESENTATIVE)):  # fmt: skip
        Duty.objects.create(day=full, representative=rep, role=role)

    on(shift(-8))
    assert reminders.send_reception_reminders() == 0
    on(shift(-7))
    assert reminders.send_reception_reminders() == 1
    [message] = Message.objects.all()
    assert message.channel == "email" and message.recipient == "staff@zhongduo.example"
    assert message.key == f"reception:{short.pk}:{Kind.ROTA_INCOMPLETE}:user:{people.staff.pk}"
    assert "值班代表1/2名、值班领导0/1名" in message.body
    assert "/workbench/rota/" in message.body
    reminder = Reminder.objects.get()
    assert reminder.recipient == people.staff and reminder.kind == Kind.ROTA_INCOMPLETE
    on(shift(-6))
    assert reminders.send_reception_reminders() == 0


def test_the_staff_of_a_points_station_hear_of_the_point(people, on):
    point_day = make_day(people.point_baie, RECEPTION)
    on(shift(-7))
    reminders.send_reception_reminders()
    assert Message.objects.get().key.startswith(f"reception:{point_day.pk}:rota_incomplete:")


def test_staff_hear_when_no_log_is_recorded_two_days_after(people, on):
    held = make_day(people.station, RECEPTION, status=ReceptionDay.Status.HELD)
    logged = make_day(people.station, RECEPTION)
    DutyLog.objects.create(day=logged, recorded_by=people.staff, summary="接待群众5人次")
    cancelled = make_day(people.station, RECEPTION, status=ReceptionDay.Status.CANCELLED)
    other = make_day(people.other_station, RECEPTION)  # nobody there has an e-mail address

    on(shift(1))
    assert reminders.send_reception_reminders() == 0
    on(shift(2))
    assert reminders.send_reception_reminders() == 1
    [message] = Message.objects.all()
    assert message.key == f"reception:{held.pk}:{Kind.LOG_MISSING}:user:{people.staff.pk}"
    assert "2025年3月13日" in message.subject
    assert f"/workbench/receptions/{held.pk}/log/" in message.body
    assert not Reminder.objects.filter(day__in=[logged, cancelled, other]).exists()
    on(shift(3))
    assert reminders.send_reception_reminders() == 0


def test_every_kind_together_once_per_recipient_and_kind(day, people, on):
    make_day(people.station, shift(4))  # rota empty
    make_day(people.station, shift(-5), status=ReceptionDay.Status.HELD)  # no log
    on(shift(-3))
    assert reminders.send_reception_reminders() == 5
    assert reminders.send_reception_reminders() == 0
    keys = list(Reminder.objects.values_list("day_id", "kind", "recipient_key"))
    assert len(keys) == len(set(keys)) == Message.objects.count() == 5
    assert {k for _d, k, _r in keys} == {Kind.DUTY_3_DAYS, Kind.ROTA_INCOMPLETE, Kind.LOG_MISSING}


# --- batches ---------------------------------------------------------------------------------------


def test_reminders_are_built_in_batches_without_reads_per_person(people, on, monkeypatch):
    monkeypatch.setattr(reminders, "DAY_BATCH", 4)
    stations = [make_station(f"第{i}联络站", people.zhongduo) for i in range(10)]
    for i, station in enumerate(stations):
        d = make_day(station, RECEPTION)
        for j in range(3):
            rep = make_representative(f"代表{i}{j}", phone=f"139035{i:02d}{j:03d}")
            Duty.objects.create(
                day=d, representative=rep, role=LEADER if j == 0 else REPRESENTATIVE
            )
    on(shift(-3))
    with CaptureQueriesContext(connection) as queries:
        assert reminders.send_reception_reminders() == 30
    selects = [q for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    # Per batch of days: the days, their duties with people, the claims already made. Per
    # reminder: only notify()'s own look for an existing message.
    batches = 3
    assert len(selects) <= 30 + 3 * batches + 6


# --- the admin -----------------------------------------------------------------------------------


def test_the_reminder_history_is_in_the_admin_filtered_by_kind_and_searched_by_station(
    day, people, on, admin_client_, django_assert_max_num_queries
):
    on(shift(-3))
    reminders.send_reception_reminders()
    url = "/admin/receptions/reminder/"
    with django_assert_max_num_queries(15):
        response = admin_client_.get(url, {"kind": Kind.DUTY_3_DAYS})
    assert response.status_code == 200
    assert response.content.decode().count("rep:") == 3
    assert admin_client_.get(url, {"q": "中垛"}).content.decode().count("rep:") == 3
    assert admin_client_.get(url, {"q": "屯里"}).content.decode().count("rep:") == 0
    assert admin_client_.get(url, {"kind": Kind.LOG_MISSING}).content.decode().count("rep:") == 0
    assert admin_client_.get(f"{url}{Reminder.objects.first().pk}/change/").status_code == 200


def test_staff_see_only_their_stations_reminders(day, people, on, client, other_station_staff):
    on(shift(-3))
    reminders.send_reception_reminders()
    other_station_staff.user_permissions.add(Permission.objects.get(codename="view_reminder"))
    client.force_login(other_station_staff)
    response = client.get("/admin/receptions/reminder/")
    assert response.status_code == 200
    assert "rep:" not in response.content.decode()


def test_a_superuser_can_queue_todays_run_from_the_admin(day, on, admin_client_, client, people):
    on(shift(-3))
    response = admin_client_.post("/admin/receptions/reminder/send-now/")
    assert response.status_code == 302
    assert Reminder.objects.count() == 3
    people.staff.user_permissions.add(Permission.objects.get(codename="view_reminder"))
    client.force_login(people.staff)
    assert client.post("/admin/receptions/reminder/send-now/").status_code == 403


@pytest.mark.parametrize("model", ["duty", "unavailability", "swaprequest", "reminder"])
def test_the_rota_admin_pages_render(day, admin_client_, model):
    assert admin_client_.get(f"/admin/receptions/{model}/").status_code == 200
    if model in {"duty", "unavailability"}:
        assert admin_client_.get(f"/admin/receptions/{model}/add/").status_code == 200


def test_staff_add_a_duty_in_the_admin_through_the_service(day, people, client):
    for codename in ("view_duty", "add_duty"):
        people.staff.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(people.staff)
    # Entered by this staff member (so in their reach, issue 11) but not assigned to the station.
    newcomer = make_representative("新代表", Representative.Level.TOWNSHIP, created_by=people.staff)
    url = "/admin/receptions/duty/add/"
    response = client.post(
        url, {"day": day.pk, "representative": newcomer.pk, "role": REPRESENTATIVE}
    )
    assert response.status_code == 200  # not assigned here: the form says so
    assert "未编入" in response.content.decode()
    assign(newcomer, people.station)
    response = client.post(
        url, {"day": day.pk, "representative": newcomer.pk, "role": REPRESENTATIVE}
    )
    assert response.status_code == 302
    assert day.duties.filter(representative=newcomer).exists()
    assert Station.objects.filter(pk=people.station.pk).exists()
