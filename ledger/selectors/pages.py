"""Keyset pages and capped counts for the ledgers (台账).

Deep pages stay as fast as the first: a page is "the 50 rows after this one" in a fixed order
(keyset pagination), never OFFSET n, and the total is counted only up to COUNT_CAP.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core import signing
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

PAGE_SIZE = 50
# Above this many rows the page says "10,000+" rather than count a million rows on every view.
COUNT_CAP = 10_000
# A text search reads every matching row to count it (each trigram hit is checked in the
# table), so its count stops sooner: "1,000+ rows" says enough about a search.
SEARCH_COUNT_CAP = 1_000
_CURSOR_SALT = "ledger.cursor"


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
        field = F(self.field)
        if self.nullable:
            # Rows without a value come last going forward, so first going back.
            nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
            expr = field.desc(**nulls) if desc else field.asc(**nulls)
        else:
            expr = field.desc() if desc else field.asc()
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
    """(count, exact): counts at most cap + 1 rows, in a LIMITed subquery. Without a cap given,
    a text search counts up to SEARCH_COUNT_CAP and anything else up to COUNT_CAP.

    For a text search, PostgreSQL's planner expects the first thousand matches early in a
    sequential scan, and then checks the LIKE on every long text it passes (40 ms on a
    million rows); the trigram indexes find them in a third of that. The hint is local to
    the count's own short transaction.
    """
    if cap is None:
        cap = SEARCH_COUNT_CAP if text_search else COUNT_CAP
    limited = queryset.order_by()[: cap + 1]
    # Inside someone else's transaction SET LOCAL would outlive the count, so no hint there.
    if text_search and connection.vendor == "postgresql" and not connection.in_atomic_block:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            count = limited.count()
    else:
        count = limited.count()
    return min(count, cap), count <= cap


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
