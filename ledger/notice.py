"""The public notice (公示): what a station has done with the suggestions it received.

Shown: completed, fed back and closed suggestions, with the public reply (result, who decided an
explained decline, where else to turn), the theme, the title, the submitter's name masked (张*)
and the dates; and the station's monthly figures. Never shown: phone numbers, the content (it is
free text and often holds addresses and numbers), tracking codes (a key to the citizen's own
page), suggestions not accepted or merged, and anything staff withheld (`Withholding`).
Digit runs and e-mail addresses that people type into titles and replies are blotted out too.

Staff withhold an item with a reason and release it again; both are written to the suggestion's
history (not public). The permission is the one for telling the citizen the result
(`Action.FEEDBACK`): station staff of the suggestion's station, through `suggestions.permissions`.
"""

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.months import month_start_after, months_between
from notifications.masking import mask_name
from stations.models import Station
from stations.selectors import active_station
from suggestions.models import Suggestion
from suggestions.permissions import Action, ensure_can_act
from suggestions.services import record_event

from .models import Withholding
from .statistics.figures import MonthRow, Rate
from .statistics.measures import FINISHED, Status
from .statistics.periods import local_midnight, month_of
from .statistics.scope import station_unit_ids

PAGE_SIZE = 30
# Seven or more digits, possibly split by spaces or dashes: phone numbers, ID card numbers
# (but not a date such as 2025-03-10, which replies often give).
_LONG_NUMBER = re.compile(r"\+?\d(?:[\s-]?\d){6,}[xX]?")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class NoticeError(Exception):
    """The withholding cannot be changed that way."""


def scrub(text: str) -> str:
    """Blot out contact data typed into free text: long numbers and e-mail addresses."""

    def blot(match: re.Match) -> str:
        return match.group(0) if _DATE.fullmatch(match.group(0)) else "***"

    return _EMAIL.sub("***", _LONG_NUMBER.sub(blot, text))


@dataclass(frozen=True)
class NoticeItem:
    received: dt.date
    completed: dt.date | None
    station: str
    theme: str
    title: str
    submitter: str
    route: str
    outcome: str
    result: str
    decided_by: str
    refer_to: str


@dataclass(frozen=True)
class NoticePage:
    station: Station
    page: Page
    months: list[MonthRow]


def public_suggestions(station_ids) -> QuerySet[Suggestion]:
    """What the notice may show, newest result first; only the columns it shows are read."""
    return (
        Suggestion.objects.filter(
            station_id__in=station_ids, status__in=FINISHED, withholding__isnull=True
        )
        .select_related("theme", "station")
        .only(
            "created",
            "completed_at",
            "station__name",
            "theme__name",
            "title",
            "name",
            "is_anonymous",
            "route",
            "outcome",
            "result",
            "decided_by",
            "refer_to",
        )  # fmt: skip
        .order_by("-completed_at", "-pk")
    )


def monthly_figures(station_ids: Sequence[int], *, months: int = 12, today=None) -> list[MonthRow]:
    """Received, completed and handling rate for each of the last `months` months (one query)."""
    today = today or timezone.localdate()
    first = month_start_after(today, -(months - 1))
    rows = {
        row["m"]: row
        for row in Suggestion.objects.filter(
            station_id__in=station_ids, created__gte=local_midnight(first)
        )
        .order_by()
        .annotate(m=month_of("created"))
        .values("m")
        .annotate(
            received=Count("pk"),
            completed=Count("pk", filter=Q(status__in=FINISHED)),
            excluded=Count("pk", filter=Q(status__in=(Status.REJECTED, Status.MERGED))),
        )
    }
    out = []
    for month in months_between(first, today):
        row = rows.get(month, {"received": 0, "completed": 0, "excluded": 0})
        base = row["received"] - row["excluded"]
        out.append(
            MonthRow(
                month=month,
                received=row["received"],
                completed=row["completed"],
                handling_rate=Rate(row["completed"], base),
            )
        )
    return out


def _item(suggestion: Suggestion) -> NoticeItem:
    if suggestion.is_anonymous or not suggestion.name:
        submitter = _("anonymous")
    else:
        submitter = mask_name(suggestion.name)
    completed = suggestion.completed_at
    return NoticeItem(
        received=timezone.localdate(suggestion.created),
        completed=timezone.localdate(completed) if completed else None,
        station=suggestion.station.name,
        theme=suggestion.theme.name,
        title=scrub(suggestion.title),
        submitter=submitter,
        route=suggestion.get_route_display() if suggestion.route else "",
        outcome=suggestion.get_outcome_display() if suggestion.outcome else "",
        result=scrub(suggestion.result),
        decided_by=scrub(suggestion.decided_by),
        refer_to=scrub(suggestion.refer_to),
    )


def notice_page(code: str, page_number=None) -> NoticePage:
    """A station's notice: one page of 30 items and the last twelve months' figures."""
    station = active_station(code)
    ids = station_unit_ids(station)
    page = Paginator(public_suggestions(ids), PAGE_SIZE).get_page(page_number)
    page.object_list = [_item(s) for s in page.object_list]
    return NoticePage(station=station, page=page, months=monthly_figures(ids))


def _locked(suggestion: Suggestion) -> Suggestion:
    return (
        Suggestion.objects.select_related("station__region")
        .select_for_update(of=("self",))
        .get(pk=suggestion.pk)
    )


@transaction.atomic
def withhold(*, suggestion: Suggestion, actor: User, reason: str) -> Withholding:
    """Keep `suggestion` off the public notice, with the reason on the record."""
    suggestion = _locked(suggestion)
    ensure_can_act(actor, suggestion, Action.FEEDBACK)
    reason = reason.strip()
    if not reason:
        raise NoticeError(_("Say why this suggestion is kept off the public notice."))
    withholding = Withholding.objects.filter(suggestion=suggestion).first() or Withholding(
        suggestion=suggestion
    )
    withholding.reason, withholding.by = reason, actor
    withholding.full_clean()
    withholding.save()
    record_event(
        suggestion,
        action="withhold",
        old_status=suggestion.status,
        actor=actor,
        note=_("Kept off the public notice: %(reason)s") % {"reason": reason},
    )
    return withholding


@transaction.atomic
def release(*, suggestion: Suggestion, actor: User) -> None:
    """Show a withheld suggestion on the public notice again."""
    suggestion = _locked(suggestion)
    ensure_can_act(actor, suggestion, Action.FEEDBACK)
    deleted, _per_model = Withholding.objects.filter(suggestion=suggestion).delete()
    if not deleted:
        raise NoticeError(_("This suggestion is not withheld from the public notice."))
    record_event(
        suggestion,
        action="release",
        old_status=suggestion.status,
        actor=actor,
        note=_("Shown on the public notice again."),
    )
