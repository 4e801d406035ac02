"""Reads for the ledgers (台账): what a user's scope reaches, keyset pages and capped counts.

Deep pages stay as fast as the first: a page is "the 50 rows after this one" in a fixed order
(keyset pagination), never OFFSET n, and the total is counted only up to COUNT_CAP.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core import signing
from django.db import connection, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.masking import mask_name, mask_phone
from receptions.models import Duty, DutyLog, DutyLogPhoto
from representatives.models import Assignment, Representative
from stations.models import Region, Station
from stations.selectors import stations_under
from suggestions.models import Department, DepartmentTask, Suggestion

PAGE_SIZE = 50
# Above this many rows the page says "10,000+" rather than count a million rows on every view.
COUNT_CAP = 10_000
# A text search reads every matching row to count it (each trigram hit is checked in the
# table), so its count stops sooner: "1,000+ rows" says enough about a search.
SEARCH_COUNT_CAP = 1_000
_CURSOR_SALT = "ledger.cursor"


# --- scope: which stations, regions, departments and representatives a user reaches ----------


def stations_in_scope(scope) -> QuerySet[Station]:
    if scope.is_superuser:
        return Station.objects.all()
    q = Q(pk__in=scope.station_ids)
    for path in scope.region_paths:
        q |= Q(region__path__startswith=path)
    if scope.department_ids:
        # A department's reach is its (few) assigned suggestions.
        q |= Q(pk__in=scope.visible().values("station_id"))
    if scope.representative_id:
        q |= Q(pk__in=Assignment.objects.filter(
            representative_id=scope.representative_id).values("station_id"))  # fmt: skip
        q |= Q(pk__in=scope.visible().values("station_id"))
    return Station.objects.filter(q)


def regions_in_scope(scope) -> QuerySet[Region]:
    """Regions to filter by: supervised subtrees down to townships, and the stations' own."""
    if scope.is_superuser:
        # Villages only where a point stands: a whole country's villages would swamp the list.
        with_stations = Q(pk__in=Station.objects.values("region_id"))
        return Region.objects.filter(Q(level__lte=Region.Level.TOWNSHIP) | with_stations).order_by(
            "path"
        )
    # Correlated (EXISTS … WHERE region = this one), so checking one chosen region reads that
    # region's few stations, not every station in the scope.
    q = Q(Exists(stations_in_scope(scope).filter(region=OuterRef("pk"))))
    for path in scope.region_paths:
        q |= Q(path__startswith=path, level__lte=Region.Level.TOWNSHIP)
    return Region.objects.filter(q).order_by("path")


def departments_in_scope(scope) -> QuerySet[Department]:
    """Departments that may handle what the user sees: those of the regions above and below."""
    if scope.is_superuser:
        return Department.objects.all()
    paths = list(scope.region_paths) + list(
        Region.objects.filter(stations__pk__in=scope.station_ids).values_list("path", flat=True)
    )
    ancestor_ids = {int(part) for path in paths for part in path.split("/") if part}
    q = Q(pk__in=scope.department_ids) | Q(region_id__in=ancestor_ids)
    for path in scope.region_paths:
        q |= Q(region__path__startswith=path)
    if scope.representative_id:
        q |= Q(pk__in=DepartmentTask.objects.filter(
            suggestion__in=scope.visible()).values("department_id"))  # fmt: skip
    return Department.objects.filter(q)


def representatives_in_scope(scope, stations: QuerySet[Station]) -> QuerySet[Representative]:
    if scope.is_superuser:
        return Representative.objects.order_by("name")
    assigned = Assignment.objects.filter(station__in=stations).values("representative_id")
    q = Q(pk__in=assigned)
    if scope.representative_id:
        q |= Q(pk=scope.representative_id)
    return Representative.objects.filter(q).order_by("name")


def visible_duty_logs(scope) -> QuerySet[DutyLog]:
    """Held receptions: the stations' own, the supervised subtrees', and a representative's."""
    if scope.is_superuser:
        return DutyLog.objects.all()
    q = Q(day__station_id__in=scope.station_ids)
    if scope.region_paths:
        q |= Q(day__station__in=stations_under(scope.region_paths).values("pk"))
    if scope.representative_id:
        rep = scope.representative_id
        q |= Q(day__in=Duty.objects.filter(representative_id=rep).values("day_id"))
        q |= Q(pk__in=DutyLog.attendees.through.objects.filter(
            representative_id=rep).values("dutylog_id"))  # fmt: skip
    return DutyLog.objects.filter(q)


# --- choices for the filter form's autocomplete fields -------------------------------------


@dataclass(frozen=True)
class ChoiceSource:
    """How the filter form offers one kind of object: what the typed text matches, the order,
    and the label a person reads (a name alone is ambiguous among 50,000 representatives)."""

    search: tuple[str, ...]
    order: tuple[str, ...]
    label: Callable[[object], str]
    related: tuple[str, ...] = ()


def _region_label(region: Region) -> str:
    parent = region.parent if region.parent_id else None
    return f"{region.name}（{parent.name}）" if parent else region.name


def _representative_label(representative: Representative) -> str:
    return f"{representative.name}（{representative.get_level_display()}）"


def _department_label(department: Department) -> str:
    return f"{department.name}（{department.region.name}）"


CHOICE_SOURCES: dict[str, ChoiceSource] = {
    "region": ChoiceSource(
        ("name__icontains", "code__startswith"), ("path",), _region_label, ("parent",)
    ),
    "station": ChoiceSource(("name__icontains", "code__iexact"), ("name", "pk"), str),
    "department": ChoiceSource(
        ("name__icontains",), ("name", "pk"), _department_label, ("region",)
    ),
    "representative": ChoiceSource(
        ("name__icontains", "code__iexact"), ("name", "pk"), _representative_label
    ),
}
CHOICE_PAGE_SIZE = 20


def filter_choices(scope, names=tuple(CHOICE_SOURCES)) -> dict[str, QuerySet]:
    """What the named choice fields of the ledgers' filters may offer this user.

    Only the named ones are built: working out a staff member's departments costs a query,
    which the receptions ledger and a station search do not need.
    """
    build = {
        "region": lambda: regions_in_scope(scope),
        "station": lambda: stations_in_scope(scope),
        "department": lambda: departments_in_scope(scope),
        "representative": lambda: representatives_in_scope(scope, stations_in_scope(scope)),
    }
    return {name: build[name]() for name in names}


def choice_page(
    queryset: QuerySet, source: ChoiceSource, *, term: str, page: int
) -> tuple[list[tuple[int, str]], bool]:
    """One page of (pk, label) choices matching `term`, and whether more follow."""
    term = term.strip()[:50]
    if term:
        q = Q()
        for lookup in source.search:
            q |= Q(**{lookup: term})
        queryset = queryset.filter(q)
    start = (max(page, 1) - 1) * CHOICE_PAGE_SIZE
    rows = list(
        queryset.select_related(*source.related).order_by(*source.order)[
            start : start + CHOICE_PAGE_SIZE + 1
        ]
    )
    more = len(rows) > CHOICE_PAGE_SIZE
    return [(obj.pk, source.label(obj)) for obj in rows[:CHOICE_PAGE_SIZE]], more


# --- keyset pages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sort:
    """An order for keyset pages: one field, then the primary key as the tie-breaker."""

    field: str
    descending: bool
    kind: str  # "datetime", "date" or "str": how a cursor value is read back
    nullable: bool = False

    def value_of(self, row) -> object:
        value = row
        for part in self.field.split("__"):
            value = getattr(value, part)
        return value

    def ordering(self, reverse: bool) -> list:
        desc = self.descending != reverse
        expr = F(self.field)
        if self.nullable:
            # Rows without a value come last going forward, so first going back.
            nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
            expr = expr.desc(**nulls) if desc else expr.asc(**nulls)
        else:
            expr = expr.desc() if desc else expr.asc()
        return [expr, "-pk" if desc else "pk"]

    def after(self, value, pk: int, reverse: bool) -> Q:
        """Rows strictly after (value, pk) in this order."""
        desc = self.descending != reverse
        cmp, cmp_eq = ("lt", "lte") if desc else ("gt", "gte")
        nulls_last = not reverse
        f = self.field
        if value is None:
            q = Q(**{f"{f}__isnull": True, f"pk__{cmp}": pk})
            return q if nulls_last else q | Q(**{f"{f}__isnull": False})
        # "field <= v AND (field < v OR pk < p)": the first half bounds an index range scan,
        # which the plain "field < v OR (field = v AND pk < p)" does not.
        q = Q(**{f"{f}__{cmp_eq}": value}) & (Q(**{f"{f}__{cmp}": value}) | Q(**{f"pk__{cmp}": pk}))
        if self.nullable and nulls_last:
            q |= Q(**{f"{f}__isnull": True})
        return q

    def encode(self, key: str, row) -> str:
        value = self.value_of(row)
        if isinstance(value, dt.date):
            value = value.isoformat()
        return signing.dumps([key, value, row.pk], salt=_CURSOR_SALT)

    def decode(self, key: str, token: str) -> tuple[object, int] | None:
        """The cursor's (value, pk), or None for a token that is bad or from another order."""
        try:
            token_key, value, pk = signing.loads(token, salt=_CURSOR_SALT)
            if token_key != key or not isinstance(pk, int):
                return None
            if value is not None and self.kind == "datetime":
                value = dt.datetime.fromisoformat(value)
            elif value is not None and self.kind == "date":
                value = dt.date.fromisoformat(value)
            elif value is not None and not isinstance(value, str):
                return None
        except (signing.BadSignature, ValueError, TypeError):
            return None
        return value, pk


SUGGESTION_SORTS: dict[str, Sort] = {
    "-created": Sort("created", True, "datetime"),
    "created": Sort("created", False, "datetime"),
    "deadline": Sort("deadline", False, "date", nullable=True),
    "-deadline": Sort("deadline", True, "date", nullable=True),
    "status": Sort("status", False, "str"),
    "-status": Sort("status", True, "str"),
}
SUGGESTION_SORT_CHOICES = [
    ("-created", _("Newest first")),
    ("created", _("Oldest first")),
    ("deadline", _("Deadline, earliest first")),
    ("-deadline", _("Deadline, latest first")),
    ("status", _("Status")),
    ("-status", _("Status, reversed")),
]
DEFAULT_SUGGESTION_SORT = "-created"
RECEPTION_SORTS: dict[str, Sort] = {"-date": Sort("day__date", True, "date")}


@dataclass
class KeysetPage:
    rows: list
    has_next: bool
    has_previous: bool
    next_cursor: str | None = None
    previous_cursor: str | None = None


def keyset_page(
    queryset: QuerySet, *, key: str, sort: Sort, after: str = "", before: str = "",
    size: int = PAGE_SIZE,
) -> KeysetPage:  # fmt: skip
    """One page after the `after` cursor (or before the `before` one), in one query."""
    cursor = sort.decode(key, before) if before else None
    reverse = cursor is not None
    if cursor is None and after:
        cursor = sort.decode(key, after)
    qs = queryset.order_by(*sort.ordering(reverse))
    if cursor is not None:
        qs = qs.filter(sort.after(*cursor, reverse=reverse))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, cursor is not None
    page = KeysetPage(rows=rows, has_next=has_next and bool(rows), has_previous=has_previous)
    if rows:
        page.next_cursor = sort.encode(key, rows[-1]) if page.has_next else None
        page.previous_cursor = sort.encode(key, rows[0]) if page.has_previous else None
    return page


def capped_count(
    queryset: QuerySet, cap: int | None = None, *, text_search: bool = False
) -> tuple[int, bool]:
    """(count, exact): counts at most cap + 1 rows, in a LIMITed subquery.

    For a text search, PostgreSQL's planner expects the first thousand matches early in a
    sequential scan, and then checks the LIKE on every long text it passes (40 ms on a
    million rows); the trigram indexes find them in a third of that. The hint is local to
    the count's own short transaction.
    """
    cap = COUNT_CAP if cap is None else cap
    limited = queryset.order_by()[: cap + 1]
    # Inside someone else's transaction SET LOCAL would outlive the count, so no hint there.
    if text_search and connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            count = limited.count()
    else:
        count = limited.count()
    return min(count, cap), count <= cap


# --- the suggestions ledger -------------------------------------------------------------------


def live_tasks() -> QuerySet[DepartmentTask]:
    return (
        DepartmentTask.objects.exclude(state=DepartmentTask.State.HANDED_BACK)
        .select_related("department")
        .order_by("-role", "pk")
    )


def handled_ids(scope, ids: list[int]) -> set[int] | None:
    """Which of `ids` the user handles (and so sees phones of); None means all of them."""
    if scope.is_superuser:
        return None
    return set(scope.handled().filter(pk__any_of=ids).values_list("pk", flat=True))


def contact(*, name: str, phone: str, anonymous: bool, handled: bool) -> tuple[str, str]:
    """The submitter's name and phone as this user may see them."""
    if anonymous:
        return str(_("Anonymous")), ""
    if handled:
        return name, phone
    return mask_name(name), mask_phone(phone)


@dataclass
class LedgerRow:
    suggestion: Suggestion
    departments: list[str]
    is_overdue: bool
    name: str
    phone: str
    url: str = ""
    status: str = ""
    route: str = ""
    rating: str = ""


@dataclass
class Ledger:
    filterset: object
    page: KeysetPage
    count: int
    exact: bool
    rows: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)

    @property
    def cap_display(self) -> str:
        """What an inexact count is shown as ("10,000" of "10,000+ rows")."""
        return f"{self.count:,}"


def suggestion_ledger(filterset, *, after: str = "", before: str = "") -> Ledger:
    """The filtered suggestions the scope reaches, one keyset page of them, and a capped count."""
    scope = filterset.scope
    qs = filterset.qs
    searching = filterset.is_bound and bool(filterset.data.get("q", "").strip())
    count, exact = capped_count(qs, SEARCH_COUNT_CAP if searching else None, text_search=searching)
    key = filterset.sort_key
    rows_qs = qs.select_related("station", "theme").prefetch_related(
        Prefetch("tasks", queryset=live_tasks(), to_attr="live_tasks")
    )
    page = keyset_page(rows_qs, key=key, sort=SUGGESTION_SORTS[key], after=after, before=before)
    handled = handled_ids(scope, [s.pk for s in page.rows])
    today = timezone.localdate()
    # Each label once per page, not once per row and column.
    statuses, routes, ratings = (
        {value: str(label) for value, label in choices.choices}
        for choices in (Suggestion.Status, Suggestion.Route, Suggestion.Rating)
    )
    rows = []
    for s in page.rows:
        name, phone = contact(
            name=s.name, phone=s.phone, anonymous=s.is_anonymous,
            handled=handled is None or s.pk in handled,
        )  # fmt: skip
        overdue = (
            s.deadline is not None and s.status in Suggestion.OPEN_STATUSES and s.deadline < today
        )
        departments = [t.department.name for t in s.live_tasks]
        rows.append(
            LedgerRow(
                s,
                departments,
                overdue,
                name,
                phone,
                url=reverse("workbench:suggestion", args=[s.pk]),
                status=statuses.get(s.status, s.status),
                route=routes.get(s.route, ""),
                rating=ratings.get(s.rating, ""),
            )  # fmt: skip
        )
    return Ledger(filterset=filterset, page=page, count=count, exact=exact, rows=rows)


# --- the receptions ledger --------------------------------------------------------------------


def _raised_count() -> Subquery:
    raised = (
        Suggestion.objects.filter(reception_day=OuterRef("day_id"))
        .order_by()
        .values("reception_day")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(raised, output_field=IntegerField()), 0)


def reception_rows(queryset: QuerySet[DutyLog]) -> QuerySet[DutyLog]:
    return (
        queryset.select_related("day__station")
        .prefetch_related(
            Prefetch("attendees", queryset=Representative.objects.only("pk", "name").order_by("pk"))
        )
        .annotate(raised=_raised_count())
    )


@dataclass(frozen=True)
class ReceptionRecord:
    """One held reception as its page shows it: the log, who was on duty, what was raised."""

    log: DutyLog
    duties: list[Duty]
    # The suggestions raised there that this user may open, and how many were raised in all.
    raised: list[Suggestion]
    raised_total: int

    @property
    def hidden_count(self) -> int:
        return self.raised_total - len(self.raised)


def reception_record(scope, log: DutyLog) -> ReceptionRecord:
    """What the reception page needs of `log` (one of `reception_logs(scope)`)."""
    return ReceptionRecord(
        log=log,
        duties=list(
            log.day.duties.select_related("representative").order_by("role", "representative__name")
        ),
        raised=list(
            scope.visible()
            .filter(reception_day_id=log.day_id)
            .only("pk", "tracking_code", "title", "status")
            .order_by("created", "pk")
        ),
        raised_total=log.raised,
    )


def reception_logs(scope) -> QuerySet[DutyLog]:
    """The held receptions the user may open, with what their page shows alongside."""
    return (
        visible_duty_logs(scope)
        .select_related("day__station", "recorded_by")
        .prefetch_related(
            Prefetch("attendees", queryset=Representative.objects.order_by("name")),
            Prefetch("photos", queryset=DutyLogPhoto.objects.order_by("pk")),
        )
        .annotate(raised=_raised_count())
    )


def reception_ledger(filterset, *, after: str = "", before: str = "") -> Ledger:
    qs = filterset.qs
    totals = qs.aggregate(
        days=Count("pk"), batches=Sum("visitor_batches"), visitors=Sum("visitors")
    )
    totals["raised"] = Suggestion.objects.filter(reception_day__log__in=qs).count()
    page = keyset_page(
        reception_rows(qs), key="-date", sort=RECEPTION_SORTS["-date"], after=after,
        before=before,
    )  # fmt: skip
    return Ledger(
        filterset=filterset, page=page, count=totals["days"], exact=True, rows=page.rows,
        totals=totals,
    )  # fmt: skip
