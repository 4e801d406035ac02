"""Who may see a suggestion, and who may do what with it. Every view, list, export and admin
page asks here; nothing else decides.

- Station staff and heads: the suggestions of the stations they manage (and those stations'
  points). They accept, route, follow up, record feedback, reopen and close.
- Department handlers: the suggestions assigned to their department. They sign for, hand back,
  complete and ask for more time.
- Representatives: the suggestions addressed to them or raised at receptions they were on duty
  for; they read and add notes.
- Supervisors (standing committee): everything in their regions' subtrees, read-only, plus urging
  and marking key suggestions.
- Superusers: everything.
"""

from enum import StrEnum

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from notifications.masking import mask_name, mask_phone
from representatives.models import Assignment, Representative
from stations.models import Region, Station
from stations.selectors import managed_station_ids, stations_under

from .models import DataRequest, Department, DepartmentTask, Suggestion


class Action(StrEnum):
    ACCEPT = "accept"
    REJECT = "reject"
    MERGE = "merge"
    ROUTE = "route"
    SIGN = "sign"
    HAND_BACK = "hand_back"
    COMPLETE = "complete"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"
    URGE = "urge"
    FEEDBACK = "feedback"
    REOPEN = "reopen"
    CLOSE = "close"
    MARK_KEY = "mark_key"
    NOTE = "note"


STATION_ACTIONS = {
    Action.ACCEPT, Action.REJECT, Action.MERGE, Action.ROUTE, Action.DECIDE_EXTENSION,
    Action.URGE, Action.FEEDBACK, Action.REOPEN, Action.CLOSE, Action.NOTE,
}  # fmt: skip
DEPARTMENT_ACTIONS = {
    Action.SIGN, Action.HAND_BACK, Action.COMPLETE, Action.REQUEST_EXTENSION, Action.NOTE,
}  # fmt: skip
SUPERVISOR_ACTIONS = {Action.URGE, Action.MARK_KEY, Action.NOTE}
REPRESENTATIVE_ACTIONS = {Action.NOTE}


class Scope:
    """What one user reaches, worked out once per request (a few small queries)."""

    def __init__(self, user: User | AnonymousUser) -> None:
        self.user = user
        self.is_superuser = False
        self.station_ids: set[int] = set()
        self.department_ids: set[int] = set()
        self.region_paths: list[str] = []
        self.representative_id: int | None = None
        if not (user.is_authenticated and user.is_active):
            return
        self.is_superuser = user.is_superuser
        self.station_ids = managed_station_ids(user)
        self.department_ids = set(
            user.departments.filter(is_active=True).values_list("pk", flat=True)
        )
        self.region_paths = list(user.supervised_regions.values_list("path", flat=True))
        self.representative_id = getattr(getattr(user, "representative", None), "pk", None)

    def visible(self) -> QuerySet[Suggestion]:
        if self.is_superuser:
            return Suggestion.objects.all()
        q = Q(pk__in=[])
        if self.station_ids:
            q |= Q(station_id__in=self.station_ids)
        if self.department_ids:
            q |= Q(pk__in=_tasks_of(self.department_ids).values("suggestion_id"))
        if self.region_paths:
            q |= Q(station__in=stations_under(self.region_paths).values("pk"))
        if self.representative_id:
            q |= Q(addressee_id=self.representative_id) | Q(
                pk__in=_raised_on_duty(self.representative_id).values("pk")
            )
        return Suggestion.objects.filter(q)

    def handled(self) -> QuerySet[Suggestion]:
        """Suggestions this user handles, and so may see phone numbers of: the phone rule's one
        home. Staff of the suggestion's station, and handlers of a department with a live task
        on it; supervisors and representatives see masked numbers."""
        if self.is_superuser:
            return Suggestion.objects.all()
        q = Q(pk__in=[])
        if self.station_ids:
            q |= Q(station_id__in=self.station_ids)
        if self.department_ids:
            q |= Q(pk__in=_tasks_of(self.department_ids).values("suggestion_id"))
        return Suggestion.objects.filter(q)

    def handled_among(self, ids: list[int]) -> set[int] | None:
        """Which of `ids` this user handles (and so sees phones of); None means all of them."""
        if self.is_superuser:
            return None
        return set(self.handled().filter(pk__any_of=ids).values_list("pk", flat=True))

    def may_see_phone(self, suggestion: Suggestion) -> bool:
        """The phone rule for one suggestion: asks `handled()` itself."""
        return self.is_superuser or self.handled().filter(pk=suggestion.pk).exists()

    def actions(self, suggestion: Suggestion) -> set[Action]:
        """Everything this user may do with `suggestion`, whatever its state."""
        if self.is_superuser:
            return set(Action)
        allowed: set[Action] = set()
        if suggestion.station_id in self.station_ids:
            allowed |= STATION_ACTIONS
        if self.department_ids and self.active_task(suggestion) is not None:
            allowed |= DEPARTMENT_ACTIONS
        if self.region_paths and self.reaches_region(suggestion.station.region):
            allowed |= SUPERVISOR_ACTIONS
        if self.representative_id and (
            suggestion.addressee_id == self.representative_id
            or (
                suggestion.reception_day_id
                and _raised_on_duty(self.representative_id).filter(pk=suggestion.pk).exists()
            )
        ):
            allowed |= REPRESENTATIVE_ACTIONS
        return allowed

    def active_task(self, suggestion: Suggestion) -> DepartmentTask | None:
        """This user's department's live task on `suggestion`, the lead's first."""
        if self.is_superuser:
            return _live_tasks(suggestion).first()
        return _live_tasks(suggestion).filter(department_id__in=self.department_ids).first()

    # --- personal data requests: the station is where citizens ask (suggestions.privacy) ----

    def answers_data_requests(self) -> QuerySet[Suggestion]:
        """Suggestions whose citizens' requests to see, correct or delete their data this user
        answers: staff of the suggestion's station. Departments, supervisors and representatives
        handle the matter, not the citizen's details."""
        if self.is_superuser:
            return Suggestion.objects.all()
        return Suggestion.objects.filter(station_id__in=self.station_ids)

    def answers_for_station(self, station: Station) -> bool:
        return self.is_superuser or station.pk in self.station_ids

    def data_requests(self) -> QuerySet[DataRequest]:
        """Requests recorded at the stations this user answers for."""
        if self.is_superuser:
            return DataRequest.objects.all()
        return DataRequest.objects.filter(station_id__in=self.station_ids)

    # --- what else the scope reaches: the ledgers' filters and the statistics ask here -------

    def reaches_region(self, region: Region) -> bool:
        """`region` lies in a supervised subtree (superusers reach every region)."""
        return self.is_superuser or any(region.path.startswith(p) for p in self.region_paths)

    def reaches_station(self, station: Station) -> bool:
        """`station` is managed by this user or lies in a supervised subtree."""
        return (
            self.is_superuser
            or station.pk in self.station_ids
            or self.reaches_region(station.region)
        )

    def stations(self) -> QuerySet[Station]:
        """Stations to filter the ledgers by: managed, supervised, and those of what is seen."""
        if self.is_superuser:
            return Station.objects.all()
        q = Q(pk__in=self.station_ids)
        for path in self.region_paths:
            q |= Q(region__path__startswith=path)
        if self.department_ids:
            # A department's reach is its (few) assigned suggestions.
            q |= Q(pk__in=self.visible().values("station_id"))
        if self.representative_id:
            q |= Q(pk__in=Assignment.objects.filter(
                representative_id=self.representative_id).values("station_id"))  # fmt: skip
            q |= Q(pk__in=self.visible().values("station_id"))
        return Station.objects.filter(q)

    def regions(self) -> QuerySet[Region]:
        """Regions to filter by: supervised subtrees down to townships, and the stations' own."""
        if self.is_superuser:
            # Villages only where a point stands: a whole country's villages would swamp the list.
            with_stations = Q(pk__in=Station.objects.values("region_id"))
            return Region.objects.filter(
                Q(level__lte=Region.Level.TOWNSHIP) | with_stations
            ).order_by("path")
        # Correlated (EXISTS … WHERE region = this one), so checking one chosen region reads that
        # region's few stations, not every station in the scope.
        q = Q(Exists(self.stations().filter(region=OuterRef("pk"))))
        for path in self.region_paths:
            q |= Q(path__startswith=path, level__lte=Region.Level.TOWNSHIP)
        return Region.objects.filter(q).order_by("path")

    def departments(self) -> QuerySet[Department]:
        """Departments that may handle what the user sees: those of the regions above and below."""
        if self.is_superuser:
            return Department.objects.all()
        paths = list(self.region_paths) + list(
            Region.objects.filter(stations__pk__in=self.station_ids).values_list("path", flat=True)
        )
        ancestor_ids = {int(part) for path in paths for part in path.split("/") if part}
        q = Q(pk__in=self.department_ids) | Q(region_id__in=ancestor_ids)
        for path in self.region_paths:
            q |= Q(region__path__startswith=path)
        if self.representative_id:
            q |= Q(pk__in=DepartmentTask.objects.filter(
                suggestion__in=self.visible()).values("department_id"))  # fmt: skip
        return Department.objects.filter(q)

    def representatives(self) -> QuerySet[Representative]:
        """Representatives to filter by: those assigned to the stations in reach, and oneself."""
        if self.is_superuser:
            return Representative.objects.order_by("name")
        assigned = Assignment.objects.filter(station__in=self.stations()).values(
            "representative_id"
        )
        q = Q(pk__in=assigned)
        if self.representative_id:
            q |= Q(pk=self.representative_id)
        return Representative.objects.filter(q).order_by("name")


def _tasks_of(department_ids) -> QuerySet[DepartmentTask]:
    return DepartmentTask.objects.filter(department_id__in=department_ids).exclude(
        state=DepartmentTask.State.HANDED_BACK
    )


def _raised_on_duty(representative_id: int) -> QuerySet[Suggestion]:
    # Through the reception day's rota by lookup, not by import: receptions stands above us.
    return Suggestion.objects.filter(reception_day__duties__representative_id=representative_id)


def _live_tasks(suggestion: Suggestion) -> QuerySet[DepartmentTask]:
    return (
        suggestion.tasks.exclude(state=DepartmentTask.State.HANDED_BACK)
        .select_related("department")
        .order_by("-role", "pk")
    )


def scope_of(user: User | AnonymousUser) -> Scope:
    """The user's scope, kept on the user object for the rest of the request."""
    scope: Scope | None = getattr(user, "_suggestion_scope", None)
    if scope is None:
        scope = Scope(user)
        if user.is_authenticated:
            # A per-request cache on the user object, as Django's auth backends keep their
            # `_perm_cache`; the User model declares no such attribute.
            user._suggestion_scope = scope  # type: ignore[attr-defined]
    return scope


def visible_suggestions(user: User | AnonymousUser) -> QuerySet[Suggestion]:
    return scope_of(user).visible()


def ensure_can_act(user: User | AnonymousUser, suggestion: Suggestion, action: Action) -> None:
    if action not in scope_of(user).actions(suggestion):
        raise PermissionDenied(_("You may not do this with this suggestion."))


def can_view_phone(user: User | AnonymousUser, suggestion: Suggestion) -> bool:
    return scope_of(user).may_see_phone(suggestion)


def ensure_can_view_phone(user: User | AnonymousUser, suggestion: Suggestion) -> None:
    if not can_view_phone(user, suggestion):
        raise PermissionDenied(_("You may not do this with this suggestion."))


def shown_contact(*, name: str, phone: str, anonymous: bool, handled: bool) -> tuple[str, str]:
    """The submitter's name and phone as an export file gives them: in full for those who handle
    the suggestion (`Scope.handled`), masked for everyone else. Every export is on record
    (`ledger.models.Export`: who, when, which filters, and the file itself)."""
    if anonymous:
        return str(_("Anonymous")), ""
    if handled:
        return name, phone
    return mask_name(name), mask_phone(phone)


def listed_contact(*, name: str, phone: str, anonymous: bool, handled: bool) -> tuple[str, str]:
    """The submitter's name and phone as every list and page shown on screen gives them (the
    ledger, the admin's lists and records, the inbox): the name as `shown_contact` gives it, the
    phone always masked. A phone is shown in full only on one suggestion's page, to someone who
    handles it, through the reveal that writes the access log (`handling.phone_reveal`)."""
    shown_name, _shown_phone = shown_contact(
        name=name, phone=phone, anonymous=anonymous, handled=handled
    )
    return shown_name, "" if anonymous else mask_phone(phone)
