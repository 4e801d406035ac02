"""The suggestions ledger: the filtered suggestions the scope reaches, one keyset page of them
with their departments, and each submitter's contact as this user may see it."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from suggestions.models import DepartmentTask, Suggestion
from suggestions.permissions import listed_contact

from .pages import SUGGESTION_SORTS, Ledger, capped_count, keyset_page


def live_tasks() -> QuerySet[DepartmentTask]:
    return (
        DepartmentTask.objects.exclude(state=DepartmentTask.State.HANDED_BACK)
        .select_related("department")
        .order_by("-role", "pk")
    )


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


def suggestion_ledger(filterset, *, after: str = "", before: str = "") -> Ledger:
    """The filtered suggestions the scope reaches, one keyset page of them, and a capped count."""
    scope = filterset.scope
    qs = filterset.qs
    searching = filterset.is_bound and bool(filterset.data.get("q", "").strip())
    count, exact = capped_count(qs, text_search=searching)
    key = filterset.sort_key
    rows_qs = qs.select_related("station", "theme").prefetch_related(
        Prefetch("tasks", queryset=live_tasks(), to_attr="live_tasks")
    )
    page = keyset_page(rows_qs, key=key, sort=SUGGESTION_SORTS[key], after=after, before=before)
    handled = scope.handled_among([s.pk for s in page.rows])
    today = timezone.localdate()
    # Each label once per page, not once per row and column.
    statuses, routes, ratings = (
        {value: str(label) for value, label in choices.choices}
        for choices in (Suggestion.Status, Suggestion.Route, Suggestion.Rating)
    )
    rows = []
    for s in page.rows:
        name, phone = listed_contact(
            name=s.name, phone=s.phone, anonymous=s.is_anonymous,
            handled=handled is None or s.pk in handled,
        )  # fmt: skip
        overdue = Suggestion.overdue_on(status=s.status, deadline=s.deadline, today=today)
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
