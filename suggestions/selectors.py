"""Reads for the citizens' pages and the one rule for who may handle a suggestion."""

import hmac
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise

from liaison.codes import normalize_code
from liaison.phones import last_digits
from representatives.models import Assignment, Representative
from stations.models import Region, Station

from .models import (
    TRACKING_CODE_LENGTH,
    Department,
    DepartmentTask,
    ReplyTemplate,
    Suggestion,
    SuggestionEvent,
    Theme,
)
from .permissions import Scope


def station_for_form(code: str) -> Station:
    return get_object_or_404(
        Station.objects.active().select_related("region"), code=normalize_code(code)
    )


def active_themes() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True)


def villages_for(station: Station) -> QuerySet[Region]:
    """The villages and communities a station's citizens live in: its region's subtree."""
    return (
        Region.objects.subtree(station.region).filter(level=Region.Level.VILLAGE).order_by("name")
    )


def addressees_for(station: Station) -> QuerySet[Representative]:
    ids = Assignment.objects.current().filter(station=station).values("representative_id")
    return Representative.objects.filter(pk__in=ids, is_active=True).order_by("level", "name")


def representative_for_form(code: str) -> tuple[Representative, list[Station]]:
    """A representative's personal code (亮码) and the stations they currently serve."""
    representative = get_object_or_404(
        Representative.objects.filter(is_active=True), code=normalize_code(code)
    )
    stations = list(
        Station.objects.active()
        .filter(assignments__in=Assignment.objects.current().filter(representative=representative))
        .select_related("region")
        .distinct()
        .order_by("name")
    )
    return representative, stations


def normalize_tracking_code(raw: str) -> str:
    return "".join(ch for ch in normalize_code(raw) if ch.isalnum())[: TRACKING_CODE_LENGTH + 2]


def suggestion_for_tracking(code: str, proof: str) -> Suggestion | None:
    """The suggestion whose tracking code and proof match, or None; a miss says nothing more.

    The proof is the last four digits of the phone given, or the anonymous submitter's secret.
    """
    from .services import secret_digest

    code, proof = normalize_tracking_code(code), (proof or "").strip()
    if len(code) != TRACKING_CODE_LENGTH or not proof:
        return None
    suggestion = (
        Suggestion.objects.select_related("station", "theme").filter(tracking_code=code).first()
    )
    if suggestion is None:
        return None
    if suggestion.is_anonymous:
        expected, given = suggestion.secret_digest, secret_digest(code, proof)
    else:
        expected, given = last_digits(suggestion.phone), last_digits(proof)
    if not expected or not hmac.compare_digest(expected, given):
        return None
    return suggestion


def public_timeline(suggestion: Suggestion) -> list[SuggestionEvent]:
    return list(suggestion.events.filter(public=True).order_by("created", "pk"))


# --- the workbench --------------------------------------------------------------------------

Status = Suggestion.Status


def _tabs(today: date) -> dict[str, tuple[str | Promise, Q]]:
    from django.utils.translation import gettext_lazy as _

    return {
        "to_accept": (_("To accept"), Q(status=Status.RECEIVED)),
        "to_route": (_("To route"), Q(status=Status.ACCEPTED)),
        "in_handling": (_("In handling"), Q(status__in=[Status.ASSIGNED, Status.IN_HANDLING])),
        "overdue": (_("Overdue"), Suggestion.overdue_q(today)),
        "to_feed_back": (_("To feed back"), Q(status=Status.COMPLETED)),
        "unsatisfied": (
            _("Not satisfied"),
            Q(status=Status.FED_BACK, rating=Suggestion.Rating.UNSATISFIED),
        ),
        "key": (
            _("Key suggestions"),
            Q(is_key=True) & ~Q(status__in=[Status.CLOSED, Status.REJECTED, Status.MERGED]),
        ),
        "all": (_("All"), Q()),
    }


@dataclass(frozen=True)
class Inbox:
    # (name, label, count); the "all" tab is not counted.
    tabs: list[tuple[str, str | Promise, int | None]]
    tab: str
    suggestions: QuerySet[Suggestion]
    to_sign: int


def inbox(scope: Scope, tab: str, today: date) -> Inbox:
    """The counts of every tab in one query, and the chosen tab's suggestions."""
    tabs = _tabs(today)
    tab = tab if tab in tabs else "to_accept"
    visible = scope.visible()
    counts = visible.aggregate(
        **{name: Count("pk", filter=q) for name, (_label, q) in tabs.items() if name != "all"}
    )
    to_sign = (
        DepartmentTask.objects.filter(
            department_id__in=scope.department_ids, state=DepartmentTask.State.ASSIGNED
        ).count()
        if scope.department_ids
        else 0
    )
    rows = [(name, label, counts.get(name)) for name, (label, _q) in tabs.items()]
    order = ["deadline", "-created"] if tab in {"in_handling", "overdue"} else ["-created"]
    suggestions = visible.filter(tabs[tab][1]).select_related("station", "theme").order_by(*order)
    return Inbox(tabs=rows, tab=tab, suggestions=suggestions, to_sign=to_sign)


@dataclass(frozen=True)
class SuggestionFile:
    suggestion: Suggestion
    photos: list
    events: list
    tasks: list
    pending_extension: object
    duplicates: list
    # Why it is kept off the public notice (ledger.Withholding), or None when it is shown there.
    withholding: object = None


def suggestion_file(scope: Scope, pk: int) -> SuggestionFile:
    """Everything the workbench shows about one suggestion, in a fixed number of queries."""
    suggestion = get_object_or_404(
        scope.visible().select_related(
            "station__region", "theme", "village", "addressee", "merged_into", "key_supervisor",
            "withholding__by",
        ),
        pk=pk,
    )  # fmt: skip
    try:
        withholding = suggestion.withholding
    except ObjectDoesNotExist:
        withholding = None
    return SuggestionFile(
        withholding=withholding,
        suggestion=suggestion,
        photos=list(suggestion.photos.all()),
        events=list(suggestion.events.select_related("actor").order_by("created", "pk")),
        tasks=list(suggestion.tasks.select_related("department").order_by("-role", "pk")),
        pending_extension=suggestion.extensions.filter(state="pending")
        .select_related("department")
        .first(),
        duplicates=list(suggestion.duplicates.only("pk", "tracking_code", "title")),
    )


def departments_for(suggestion: Suggestion, level: str) -> QuerySet[Department]:
    """Departments a station may refer to: those of its own region or a region above it."""
    return Department.objects.filter(
        region_id__in=suggestion.station.region.ancestor_ids(), level=level, is_active=True
    ).order_by("name")


def reply_templates_for(suggestion: Suggestion) -> QuerySet[ReplyTemplate]:
    return ReplyTemplate.objects.filter(is_active=True).filter(
        Q(route="") | Q(route=suggestion.route)
    )
