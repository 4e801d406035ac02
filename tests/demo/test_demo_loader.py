"""`manage.py load_demo`: the demo network matches DOMAIN.md and loads the same way twice, and
its suggestions show every step of the handling workflow."""

import datetime as dt
from collections import Counter
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from liaison.roles import Role
from notifications.models import Message
from receptions.models import Duty, DutyLog, ReceptionDay, ReceptionRule
from receptions.permissions import may_log
from representatives.models import Assignment, Representative
from stations.models import Region, Station
from suggestions.handling import suggestion_reopen
from suggestions.models import (
    Department,
    DepartmentTask,
    ExtensionRequest,
    ReplyTemplate,
    Suggestion,
    SuggestionEvent,
)
from suggestions.permissions import scope_of
from suggestions.selectors import inbox

Level = Representative.Level
Status = Suggestion.Status
COUNTED = (
    Region, Station, Representative, Assignment, get_user_model(), Department, ReplyTemplate,
    Suggestion, SuggestionEvent, DepartmentTask, ExtensionRequest, Message, ReceptionRule,
    ReceptionDay, Duty, DutyLog,
)  # fmt: skip
NEW_LOGINS = ("transport_handler", "township_handler")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The demo hashes five passwords per run; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def township(name: str) -> Region:
    return Region.objects.get(name=name, level=Region.Level.TOWNSHIP)


@pytest.mark.django_db
def test_demo_builds_zhongduo_and_xingfu_as_domain_describes():
    load_demo()

    zhongduo = township("中垛乡")
    assert Region.objects.subtree(zhongduo).count() == 11
    assert zhongduo.children.filter(name="白额村", level=Region.Level.VILLAGE).exists()
    station = Station.objects.get(region=zhongduo, name="中垛乡人大代表联络站")
    assert station.kind == Station.Kind.STATION
    assert station.head.level == Level.COUNTY
    stationed = Assignment.objects.current().filter(station=station)
    assert stationed.count() == 77
    assert Counter(stationed.values_list("representative__level", flat=True)) == {
        Level.COUNTY: 22,
        Level.TOWNSHIP: 55,
    }
    points = station.points.all()
    assert points.count() == 10
    for point in points:
        assert point.kind == Station.Kind.POINT
        assert point.region.parent == zhongduo
        leaders = Assignment.objects.current().filter(
            station=point, role=Assignment.Role.POINT_LEADER
        )
        assert leaders.count() == 1
        assert leaders.get().representative.level == Level.TOWNSHIP

    xingfu = township("幸福乡")
    stations = Station.objects.in_region(xingfu)
    assert stations.count() == 8
    assert stations.filter(kind=Station.Kind.HOME, region=xingfu).count() == 1
    representatives = Representative.objects.filter(assignments__station__in=stations).distinct()
    assert representatives.count() == 72
    assert Counter(representatives.values_list("level", flat=True)) == {
        Level.PROVINCIAL: 2,
        Level.CITY: 6,
        Level.COUNTY: 24,
        Level.TOWNSHIP: 40,
    }


@pytest.mark.django_db
def test_running_demo_twice_changes_nothing():
    load_demo()
    counts = {model: model.objects.count() for model in COUNTED}
    updated = dict(Representative.objects.values_list("pk", "updated"))
    stations_updated = dict(Station.objects.values_list("pk", "updated"))
    suggestions = set(Suggestion.objects.values_list("pk", "status", "deadline", "updated"))
    users = set(get_user_model().objects.values_list("pk", "email", "password"))

    output = load_demo()

    assert {model: model.objects.count() for model in COUNTED} == counts
    assert dict(Representative.objects.values_list("pk", "updated")) == updated
    assert dict(Station.objects.values_list("pk", "updated")) == stations_updated
    assert set(Suggestion.objects.values_list("pk", "status", "deadline", "updated")) == suggestions
    assert set(get_user_model().objects.values_list("pk", "email", "password")) == users
    assert "demo-pass-2026" in output
    for username in NEW_LOGINS:
        assert username in output


@pytest.mark.django_db
def test_demo_does_not_walk_a_reopened_suggestion_again():
    """A visitor may reopen a demo suggestion; reloading the demo leaves their work alone."""
    load_demo()
    unhappy = Suggestion.objects.get(rating=Suggestion.Rating.UNSATISFIED)
    staff = get_user_model().objects.get(username="zhongduo_staff")
    suggestion_reopen(suggestion=unhappy, actor=staff, note="再交乡政府办理一次。")
    events = SuggestionEvent.objects.count()

    load_demo()

    unhappy.refresh_from_db()
    assert unhappy.status == Status.ACCEPTED
    assert SuggestionEvent.objects.count() == events


@pytest.mark.django_db
def test_demo_users_can_log_in_with_their_roles(client):
    load_demo()

    for username in (
        "admin", "zhongduo_staff", "xingfu_staff", "supervisor", "rep_demo", *NEW_LOGINS
    ):  # fmt: skip
        assert client.login(username=username, password="demo-pass-2026"), username
        client.logout()
    users = get_user_model().objects
    staff = users.get(username="zhongduo_staff")
    assert Station.objects.get(name="中垛乡人大代表联络站").staff.filter(pk=staff.pk).exists()
    assert staff.groups.filter(name=Role.STATION_STAFF).exists()
    assert (
        Station.objects.get(name="幸福乡人大代表之家")
        .staff.filter(username="xingfu_staff")
        .exists()
    )
    assert users.get(username="admin").is_superuser
    assert users.get(username="supervisor").groups.filter(name=Role.SUPERVISOR).exists()
    rep_demo = users.get(username="rep_demo")
    assert rep_demo.representative.level == Level.COUNTY
    assert rep_demo.representative.assignments.filter(station__name="中垛乡人大代表联络站").exists()
    assert rep_demo.groups.filter(name=Role.REPRESENTATIVE).exists()


@pytest.mark.django_db
def test_demo_suggestions_reach_every_state_at_zhongduo():
    output = load_demo()

    statuses = set(Suggestion.objects.values_list("status", flat=True))
    assert statuses == set(Status) - {Status.MERGED, Status.REJECTED}
    station = Station.objects.get(name="中垛乡人大代表联络站")
    assert set(Suggestion.objects.values_list("station_id", flat=True)) <= {
        station.pk,
        *station.points.values_list("pk", flat=True),
    }
    routes = Counter(Suggestion.objects.exclude(route="").values_list("route", flat=True))
    assert set(routes) == set(Suggestion.Route)
    assert Suggestion.objects.filter(is_anonymous=True).count() >= 2
    phones = [p for p in Suggestion.objects.values_list("phone", flat=True) if p]
    assert len(phones) == len(set(phones))
    ratings = set(Suggestion.objects.exclude(rating="").values_list("rating", flat=True))
    assert {Suggestion.Rating.SATISFIED, Suggestion.Rating.UNSATISFIED} <= ratings
    assert Suggestion.objects.get(rating=Suggestion.Rating.UNSATISFIED).status == Status.FED_BACK
    waiting = Suggestion.objects.get(status=Status.FED_BACK, rating="")
    assert f"/track/?code={waiting.tracking_code}" in output
    explained = Suggestion.objects.get(route=Suggestion.Route.EXPLAINED)
    assert explained.decided_by and explained.refer_to
    assert explained.outcome == Suggestion.Outcome.D
    for line in ("待受理 (received)", "办理中 (in handling)", "逾期未办结 (overdue)"):
        assert line in output


@pytest.mark.django_db
def test_bai_e_field_road_is_a_pending_key_suggestion_with_the_county():
    load_demo()

    road = Suggestion.objects.get(title__startswith="白额村田间道路")
    assert road.village.name == "白额村"
    assert road.status == Status.ASSIGNED
    assert road.route == Suggestion.Route.COUNTY
    tasks = {t.department.name: t.role for t in road.tasks.select_related("department")}
    assert tasks == {"吉县交通运输局": "lead", "吉县水利局": "co"}
    supervisor = get_user_model().objects.get(username="supervisor")
    assert road.is_key and road.key_supervisor == supervisor
    assert road.urge_count == 1
    assert road.addressee.user.username == "rep_demo"
    pending = ExtensionRequest.objects.get(state=ExtensionRequest.State.PENDING)
    assert pending.department.name == "吉县交通运输局"
    assert pending.suggestion.status == Status.IN_HANDLING


@pytest.mark.django_db
def test_overdue_suggestion_is_in_the_station_staffs_overdue_tab():
    load_demo()

    staff = get_user_model().objects.get(username="zhongduo_staff")
    box = inbox(scope_of(staff), "overdue", timezone.localdate())

    assert {name: count for name, _label, count in box.tabs}["overdue"] == 1
    overdue = box.suggestions.get()
    assert overdue.status == Status.IN_HANDLING
    assert overdue.route == Suggestion.Route.TOWNSHIP
    assert overdue.is_overdue


@pytest.mark.django_db
def test_department_handlers_see_only_their_departments_suggestions(client):
    load_demo()
    users = get_user_model().objects

    transport = users.get(username="transport_handler")
    assert client.login(username="transport_handler", password="demo-pass-2026")
    assert transport.email == "transport@demo.invalid"
    assert transport.groups.filter(name=Role.DEPARTMENT_HANDLER).exists()
    county = Suggestion.objects.filter(route=Suggestion.Route.COUNTY)
    assert county.count() == 2
    assert set(scope_of(transport).visible()) == set(county)

    township = users.get(username="township_handler")
    assert set(scope_of(township).visible()) == set(
        Suggestion.objects.filter(route=Suggestion.Route.TOWNSHIP)
    )


@pytest.mark.django_db
def test_demo_departments_templates_and_supervision_are_in_place():
    load_demo()

    levels = dict(Department.objects.values_list("name", "level"))
    assert levels == {
        "中垛乡人民政府": Department.Level.TOWNSHIP,
        "吉县交通运输局": Department.Level.COUNTY,
        "吉县水利局": Department.Level.COUNTY,
        "吉县农业农村局": Department.Level.COUNTY,
        "幸福乡人民政府": Department.Level.TOWNSHIP,
        "南关区住房和城乡建设局": Department.Level.COUNTY,
    }
    supervisor = get_user_model().objects.get(username="supervisor")
    assert set(supervisor.supervised_regions.values_list("name", flat=True)) == {"吉县", "南关区"}
    assert scope_of(supervisor).visible().count() == Suggestion.objects.count()
    for user in get_user_model().objects.filter(is_staff=True):
        assert user.email.endswith("@demo.invalid"), user.username
    # The workbench fills the templates with these placeholders; none may be left unknown.
    values = dict.fromkeys(("station", "department", "deadline", "tracking_code"), "x")
    for template in ReplyTemplate.objects.all():
        template.text.format_map(values)
    notice = ReplyTemplate.objects.get(name="交乡镇政府办理告知")
    assert notice.text == "您反映的问题已交{department}办理，办理期限至{deadline}。"


@pytest.mark.django_db
def test_demo_holds_monthly_receptions_with_rota_logs_and_coming_days():
    with time_machine.travel(dt.datetime(2025, 5, 20, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        load_demo()
        zhongduo = Station.objects.get(name="中垛乡人大代表联络站")
        xingfu = Station.objects.get(name="幸福乡人大代表之家")
        today = dt.date(2025, 5, 20)
        past = list(ReceptionDay.objects.filter(station=zhongduo, date__lt=today).order_by("date"))
        # The 10th of each month; Saturday 10 May 2025 moves to Monday the 12th.
        assert [day.date for day in past] == [
            dt.date(2024, 12, 10), dt.date(2025, 1, 10), dt.date(2025, 2, 10),
            dt.date(2025, 3, 10), dt.date(2025, 4, 10), dt.date(2025, 5, 12),
        ]  # fmt: skip
        third_tuesdays = ReceptionDay.objects.filter(station=xingfu, date__lt=today)
        assert all(d.date.weekday() == 1 and 15 <= d.date.day <= 21 for d in third_tuesdays)
        for day in [*past, *third_tuesdays]:
            roles = Counter(day.duties.values_list("role", flat=True))
            assert roles == {Duty.Role.REPRESENTATIVE: 2, Duty.Role.LEADER: 1}, day

        # Logged by the staff, all but the latest Zhongduo day, which the demo representative
        # (on duty that day) can log in the demo.
        assert [day.date for day in past if hasattr(day, "log")] == [d.date for d in past[:-1]]
        assert all(hasattr(day, "log") for day in third_tuesdays)
        rep_user = get_user_model().objects.get(username="rep_demo")
        assert may_log(rep_user, past[-1])
        logs = DutyLog.objects.filter(day__in=past[:-1])
        assert all(log.visitors >= log.visitor_batches > 0 and log.summary for log in logs)
        assert all(set(log.attendees.all()) == {d.representative for d in log.day.duties.all()}
                   for log in logs)  # fmt: skip
        raised = Suggestion.objects.filter(reception_day__isnull=False)
        assert raised.count() == 2  # in the January and March logs; May's is not logged yet
        assert set(raised.values_list("channel", "station")) == {
            (Suggestion.Channel.RECEPTION, zhongduo.pk)
        }

        # The coming days come from the generator, the next one with the demo representative.
        coming = ReceptionDay.objects.filter(station=zhongduo, date__gte=today).order_by("date")
        assert coming[0].date == dt.date(2025, 6, 10) and not coming[0].provisional
        assert coming[0].duties.filter(representative__user=rep_user).exists()
