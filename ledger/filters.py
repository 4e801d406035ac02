"""The ledger's filters (台账筛选), one FilterSet per ledger.

Every choice list is cut to the user's scope, so a station or region outside it is refused by
the form as well as by the scope-limited queryset the filters run on.
"""

import datetime as dt
from typing import Any, cast

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.widgets import AutocompleteSelect
from receptions.models import DutyLog
from representatives.models import Representative
from stations.models import Region, Station
from stations.selectors import stations_under
from suggestions.models import Department, DepartmentTask, Suggestion, Theme
from suggestions.permissions import Scope

from .selectors.choices import CHOICE_SOURCES, filter_choices
from .selectors.pages import DEFAULT_SUGGESTION_SORT, SUGGESTION_SORT_CHOICES

YES_NO = [("1", _("Yes")), ("0", _("No"))]
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def autocomplete(source: str) -> AutocompleteSelect:
    """A widget that fetches the user's scoped choices of `source` as they type."""
    return AutocompleteSelect(
        url=reverse_lazy("ledger:choices", args=[source]),
        label=CHOICE_SOURCES[source].label,
        placeholder=_("Type to search"),
    )


def _day_start(day: dt.date) -> dt.datetime:
    """Local midnight as an aware datetime: compares on the indexed column, not on its date."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class FilterForm(forms.Form):
    """Bootstrap's classes on every widget, so the page renders each field as it is.

    The ledger renders this form on every page view; plain widgets cost a fraction of what a
    layout library's per-field templates do.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class _ScopedFilterSet(django_filters.FilterSet):
    """Sets the querysets of the choice filters from the user's scope."""

    # The filters always in sight; the rest fold away under "More filters" (a phone screen
    # holds six). None shows every filter.
    primary_fields: tuple[str, ...] | None = None

    def __init__(self, data=None, queryset=None, *, scope: Scope, **kwargs: Any) -> None:
        super().__init__(data, queryset, **kwargs)
        self.scope = scope
        for name, choices in self.scoped_choices(scope).items():
            # Only model choice filters are named by scoped_choices.
            cast(django_filters.ModelChoiceFilter, self.filters[name]).queryset = choices

    def scoped_choices(self, scope: Scope) -> dict[str, QuerySet]:
        raise NotImplementedError

    def field_groups(self) -> tuple[list, list, bool]:
        """(fields in sight, folded fields, whether the fold opens: one of them is in use)."""
        form = self.form
        if self.primary_fields is None:
            return list(form), [], False
        primary = [form[name] for name in self.primary_fields]
        more = [field for field in form if field.name not in self.primary_fields]
        in_use = any(
            field.errors or (self.is_bound and field.name != "sort" and self.data.get(field.name))
            for field in more
        )
        return primary, more, bool(in_use)

    def filter_region(self, queryset: QuerySet, name: str, region: Region) -> QuerySet:
        return queryset.filter(**{f"{name}__in": stations_under([region.path]).values("pk")})

    def filter_created_from(self, queryset: QuerySet, name: str, day: dt.date) -> QuerySet:
        return queryset.filter(**{f"{name}__gte": _day_start(day)})

    def filter_created_to(self, queryset: QuerySet, name: str, day: dt.date) -> QuerySet:
        return queryset.filter(**{f"{name}__lt": _day_start(day + dt.timedelta(days=1))})


class SuggestionFilter(_ScopedFilterSet):
    primary_fields = ("q", "region", "station", "created_from", "created_to", "status")
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="station", queryset=Region.objects.none(),
        method="filter_region", widget=autocomplete("region"),
    )  # fmt: skip
    station = django_filters.ModelChoiceFilter(
        label=_("Station"), queryset=Station.objects.none(), widget=autocomplete("station")
    )
    created_from = django_filters.DateFilter(
        label=_("Submitted from"), field_name="created", method="filter_created_from",
        widget=DATE_INPUT,
    )  # fmt: skip
    created_to = django_filters.DateFilter(
        label=_("Submitted until"), field_name="created", method="filter_created_to",
        widget=DATE_INPUT,
    )  # fmt: skip
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Suggestion.Status.choices)
    route = django_filters.ChoiceFilter(label=_("Route"), choices=Suggestion.Route.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.none(), method="filter_department",
        widget=autocomplete("department"),
    )  # fmt: skip
    theme = django_filters.ModelChoiceFilter(label=_("Theme"), queryset=Theme.objects.all())
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Suggestion.Channel.choices)
    representative = django_filters.ModelChoiceFilter(
        label=_("Representative"),
        field_name="addressee",
        queryset=Representative.objects.none(),
        widget=autocomplete("representative"),
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"), choices=YES_NO, method="filter_overdue"
    )
    is_key = django_filters.ChoiceFilter(
        label=_("Key supervision"), choices=YES_NO, method="filter_is_key"
    )
    rating = django_filters.ChoiceFilter(label=_("Satisfaction"), choices=Suggestion.Rating.choices)
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SUGGESTION_SORT_CHOICES, method="keep",
        empty_label=None,
    )  # fmt: skip

    class Meta:
        model = Suggestion
        form = FilterForm
        fields: list[str] = []

    def scoped_choices(self, scope: Scope) -> dict[str, QuerySet]:
        return filter_choices(scope)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        # On PostgreSQL, `icontains` is UPPER(col::text) LIKE UPPER('%…%'), which the pg_trgm GIN
        # indexes of migration suggestions/0005 serve for three characters or more. One or two
        # characters hold no whole trigram, so the same lookup then runs as a plain scan over
        # the rows the other filters and the scope leave; the results are the same either way.
        return queryset.filter(Q(title__icontains=value) | Q(content__icontains=value))

    def filter_department(self, queryset: QuerySet, name: str, department) -> QuerySet:
        tasks = DepartmentTask.objects.filter(department=department).exclude(
            state=DepartmentTask.State.HANDED_BACK
        )
        return queryset.filter(pk__in=tasks.values("suggestion_id"))

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        overdue = Suggestion.overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value == "1" else queryset.exclude(overdue)

    def filter_is_key(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_key=value == "1")

    def keep(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """The sort is applied by the keyset pager, which must know it."""
        return queryset

    @property
    def sort_key(self) -> str:
        if not self.is_bound:
            return DEFAULT_SUGGESTION_SORT
        self.is_valid()  # cleaned_data holds the fields that passed, whatever else failed
        return self.form.cleaned_data.get("sort") or DEFAULT_SUGGESTION_SORT


class ReceptionFilter(_ScopedFilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), field_name="day__station", queryset=Region.objects.none(),
        method="filter_region", widget=autocomplete("region"),
    )  # fmt: skip
    station = django_filters.ModelChoiceFilter(
        label=_("Station"), field_name="day__station", queryset=Station.objects.none(),
        widget=autocomplete("station"),
    )  # fmt: skip
    date_from = django_filters.DateFilter(
        label=_("Date from"), field_name="day__date", lookup_expr="gte", widget=DATE_INPUT
    )
    date_to = django_filters.DateFilter(
        label=_("Date until"), field_name="day__date", lookup_expr="lte", widget=DATE_INPUT
    )

    class Meta:
        model = DutyLog
        form = FilterForm
        fields: list[str] = []

    def scoped_choices(self, scope: Scope) -> dict[str, QuerySet]:
        return filter_choices(scope, ("region", "station"))

    @property
    def sort_key(self) -> str:
        return "-date"
