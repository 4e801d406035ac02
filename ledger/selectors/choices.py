"""The choices of the ledgers' filter forms: which objects an autocomplete field offers this user,
page by page, and how each is labelled."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from representatives.models import Representative
from stations.models import Region
from suggestions.models import Department
from suggestions.permissions import Scope


@dataclass(frozen=True)
class ChoiceSource:
    """How the filter form offers one kind of object: what the typed text matches, the order,
    and the label a person reads (a name alone is ambiguous among 50,000 representatives)."""

    search: tuple[str, ...]
    order: tuple[str, ...]
    # Each source labels objects of its own model.
    label: Callable[[Any], str]
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


def filter_choices(scope: Scope, names=tuple(CHOICE_SOURCES)) -> dict[str, QuerySet]:
    """What the named choice fields of the ledgers' filters may offer this user.

    Only the named ones are built: working out a staff member's departments costs a query,
    which the receptions ledger and a station search do not need.
    """
    build = {
        "region": scope.regions,
        "station": scope.stations,
        "department": scope.departments,
        "representative": scope.representatives,
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
