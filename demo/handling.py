"""The handling half of the demo: departments, their handlers, reply templates, and the steps a
demo suggestion is walked through (the suggestions themselves are in `demo.suggestions`).

A step is applied once: when the suggestion is in the state the step starts from and its history
does not record the step yet. A second run (or a run after someone reopened a demo suggestion in
the workbench) therefore changes nothing.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from liaison.roles import Role
from stations.models import Station
from suggestions import handling
from suggestions.models import Department, ReplyTemplate, Suggestion

from .base import Loader, User

Status = Suggestion.Status
RouteTo = Suggestion.Route
Outcome = Suggestion.Outcome

# The demo's actors, by username.
STAFF = "zhongduo_staff"
SUPERVISOR = "supervisor"
TRANSPORT = "transport_handler"
TOWNSHIP = "township_handler"

# --- departments and their handlers --------------------------------------------------------

ZHONGDUO_GOVERNMENT = "中垛乡人民政府"
JI_TRANSPORT = "吉县交通运输局"
JI_WATER = "吉县水利局"
# (name, level, region name)
DEPARTMENTS = (
    (ZHONGDUO_GOVERNMENT, Department.Level.TOWNSHIP, "中垛乡"),
    (JI_TRANSPORT, Department.Level.COUNTY, "吉县"),
    (JI_WATER, Department.Level.COUNTY, "吉县"),
    ("吉县农业农村局", Department.Level.COUNTY, "吉县"),
    ("幸福乡人民政府", Department.Level.TOWNSHIP, "幸福乡"),
    ("南关区住房和城乡建设局", Department.Level.COUNTY, "南关区"),
)
# (username, e-mail, department)
HANDLERS = (
    (TRANSPORT, "transport@demo.invalid", JI_TRANSPORT),
    (TOWNSHIP, "township@demo.invalid", ZHONGDUO_GOVERNMENT),
)
# The supervisor oversees both demo townships through their counties.
SUPERVISED_COUNTIES = ("吉县", "南关区")

# --- reply templates -----------------------------------------------------------------------

# (name, route, step, text); placeholders as in ReplyTemplate.text's help text.
REPLY_TEMPLATES = (
    (
        "现场办理答复",
        RouteTo.ON_SITE,
        Status.COMPLETED,
        "您反映的问题，{station}接待代表已当场答复：（答复内容）。"
        "如仍有疑问，可凭查询码{tracking_code}查询，或再次到站反映。",
    ),
    (
        "交乡镇政府办理告知",
        RouteTo.TOWNSHIP,
        Status.ASSIGNED,
        "您反映的问题已交{department}办理，办理期限至{deadline}。",
    ),
    (
        "协调县直部门办理告知",
        RouteTo.COUNTY,
        Status.ASSIGNED,
        "您反映的问题超出乡镇职权范围，{station}已协调{department}办理，办理期限至{deadline}。"
        "联络站将跟踪督办，办理结果会及时反馈给您。",
    ),
    (
        "解释答复",
        RouteTo.EXPLAINED,
        Status.COMPLETED,
        "您反映的问题，经（作出决定的单位）研究认为：（不能办理的理由和依据）。"
        "此事项可向（有关部门或渠道）反映，也可拨打12345政务服务便民热线咨询。"
        "感谢您对人大工作的关心和支持。——{station}",
    ),
    (
        "办结反馈",
        "",
        Status.FED_BACK,
        "您反映的问题（查询码{tracking_code}）已办理完毕，办理结果是：（办理结果）。"
        "请在查询页面对办理结果作出满意度评价，如不满意请说明理由。——{station}",
    ),
)

# --- the steps a demo suggestion goes through ----------------------------------------------

Actors = Mapping[str, User]
Departments = Mapping[str, Department]


@dataclass(frozen=True)
class Accept:
    action = "accept"
    before = (Status.RECEIVED,)

    def apply(self, suggestion: Suggestion, actors: Actors, departments: Departments) -> None:
        handling.suggestion_accept(suggestion=suggestion, actor=actors[STAFF])


@dataclass(frozen=True)
class Route:
    route: str
    answer: str = ""
    lead: str = ""
    co: tuple[str, ...] = ()
    decided_by: str = ""
    refer_to: str = ""
    # Demo data only: the deadline is moved into the past so the "overdue" tab has something.
    overdue: bool = False
    action = "route"
    before = (Status.ACCEPTED,)

    def apply(self, suggestion: Suggestion, actors: Actors, departments: Departments) -> None:
        handling.suggestion_route(
            suggestion=suggestion,
            actor=actors[STAFF],
            route=self.route,
            answer=self.answer,
            lead=departments[self.lead] if self.lead else None,
            co_departments=[departments[name] for name in self.co],
            decided_by=self.decided_by,
            refer_to=self.refer_to,
        )
        if self.overdue:
            # DEMO DATA ONLY: no service moves a deadline backwards, and the demo cannot travel
            # in time, so the deadline the route step set is overwritten directly. Applied only
            # together with the route step, so a re-run never touches it again.
            Suggestion.objects.filter(pk=suggestion.pk).update(
                deadline=timezone.localdate() - datetime.timedelta(days=7)
            )


@dataclass(frozen=True)
class Sign:
    by: str
    action = "sign"
    before = (Status.ASSIGNED,)

    def apply(self, suggestion: Suggestion, actors: Actors, departments: Departments) -> None:
        handling.task_sign(suggestion=suggestion, actor=actors[self.by])


@dataclass(frozen=True)
class Complete:
    by: str
    result: str
    outcome: str = Outcome.A
    action = "complete"
    before = (Status.IN_HANDLING,)

    def apply(self, suggestion: Suggestion, actors: Actors, departments: Departments) -> None:
        handling.task_complete(
            suggestion=suggestion, actor=actors[self.by], result=self.result, outcome=self.outcome
        )


@dataclass(frozen=True)
class Feedback:
    method: str
    note: str
    action = "feedback"
    before = (Status.COMPLETED,)

    def apply(self, suggestion: Suggestion, actors: Actors, departments: Departments) -> None:
        handling.suggestion_feedback(
            suggestion=suggestion, actor=actors[STAFF], method=self.method, note=self.note
        )


@dataclass(frozen=True)
class Rate:
    """The citizen's rating, as given on the tracking page (no actor)."""

    rating: str
    comment: str = ""
    action = "rate"
    before = (Status.FED_BACK,)

    def apply(self, suggestion: Suggestion, actors: Actors, departments: Departments) -> None:
        handling.suggestion_rate(suggestion=suggestion, rating=self.rating, comment=self.comment)


@dataclass(frozen=True)
class MarkKey:
    action = "key"
    before = (Status.ASSIGNED, Status.IN_HANDLING)

    def apply(self, suggestion: Suggestion, actors: Actors, departments: Departments) -> None:
        supervisor = actors[SUPERVISOR]
        handling.suggestion_mark_key(suggestion=suggestion, actor=supervisor, supervisor=supervisor)


@dataclass(frozen=True)
class Urge:
    note: str
    action = "urge"
    before = (Status.ASSIGNED, Status.IN_HANDLING)

    def apply(self, suggestion: Suggestion, actors: Actors, departments: Departments) -> None:
        handling.suggestion_urge(suggestion=suggestion, actor=actors[SUPERVISOR], note=self.note)


@dataclass(frozen=True)
class AskExtension:
    by: str
    working_days: int
    reason: str
    action = "extension"
    before = (Status.ASSIGNED, Status.IN_HANDLING)

    def apply(self, suggestion: Suggestion, actors: Actors, departments: Departments) -> None:
        handling.extension_request(
            suggestion=suggestion,
            actor=actors[self.by],
            working_days=self.working_days,
            reason=self.reason,
        )


Step = Accept | Route | Sign | Complete | Feedback | Rate | MarkKey | Urge | AskExtension


def walk(
    suggestion: Suggestion, steps: tuple[Step, ...], actors: Actors, departments: Departments
) -> None:
    """Apply each step not yet in the suggestion's history whose starting state it is in."""
    done = set(suggestion.events.values_list("action", flat=True))
    for step in steps:
        if step.action in done or suggestion.status not in step.before:
            continue
        step.apply(suggestion, actors, departments)
        suggestion.refresh_from_db()


class HandlingLoader(Loader):
    """The departments and their handlers, the supervisor's counties, the reply templates."""

    def load_departments(self, zhongduo: Station, xingfu: Station) -> dict[str, Department]:
        """The departments, their handlers, and the supervisor's counties."""
        regions = {
            region.name: region
            for station in (zhongduo, xingfu)
            for region in (station.region, station.region.parent)
        }
        departments = {}
        for name, level, region in DEPARTMENTS:
            # No service writes departments: staff keep them in the admin.
            department, created = Department.objects.get_or_create(
                region=regions[region], name=name, defaults={"level": level}
            )
            departments[name] = self._new(department) if created else department
        for username, email, department_name in HANDLERS:
            handler = self.user(username, Role.DEPARTMENT_HANDLER, email=email)
            departments[department_name].handlers.add(handler)
        supervisor = User.objects.get(username=SUPERVISOR)
        for county in SUPERVISED_COUNTIES:
            regions[county].supervisors.add(supervisor)
        return departments

    def load_reply_templates(self) -> None:
        for name, route, step, text in REPLY_TEMPLATES:
            template, created = ReplyTemplate.objects.get_or_create(
                name=name, defaults={"route": route, "step": step, "text": text}
            )
            if created:
                self._new(template)
