from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from liaison.admin import ScopedModelAdmin

from .models import DayOverride, PublishedYear
from .selectors import LIBRARY_YEARS
from .services import (
    override_delete,
    override_save,
    overrides_delete,
    published_year_delete,
    published_year_save,
)


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        this_year = timezone.localdate().year
        years = {d.year for d in DayOverride.objects.dates("date", "year")}
        years |= {this_year, this_year + 1}
        return [(str(year), str(year)) for year in sorted(years, reverse=True)]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[DayOverride]
    ) -> QuerySet[DayOverride]:
        year = self.value()
        if not year:
            return queryset
        if not (year.isascii() and year.isdigit() and 1 <= int(year) <= 9999):
            return queryset.none()
        return queryset.filter(date__year=int(year))


@admin.register(DayOverride)
class DayOverrideAdmin(ScopedModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "note"]
    list_filter = [YearFilter, "kind"]
    search_fields = ["name", "note"]
    search_help_text = _("A holiday name, e.g. 春节, or words from the note.")
    ordering = ["date"]
    fields = ["date", "kind", "name", "note", "created", "updated"]
    readonly_fields = ["created", "updated"]
    radio_fields = {"kind": admin.HORIZONTAL}
    change_list_template = "workdays/admin/dayoverride_change_list.html"

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: DayOverride) -> str:
        return WEEKDAYS[obj.date.weekday()]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        published = list(PublishedYear.objects.order_by("year").values_list("year", flat=True))
        help_lines = [
            _(
                "Chinese public holidays move every year. The State Council's notice names the "
                "days off (休) and the weekend days that become working days to make up for them "
                "(班, 调休). Deadlines in working days and reception days moved to the next "
                "working day follow this calendar."
            ),
            _(
                "For %(first)s–%(last)s the official calendar built into the software is used; "
                "add an entry here only to correct it."
            )
            % {"first": LIBRARY_YEARS[0], "last": LIBRARY_YEARS[-1]},
            _(
                "For a later year, enter every holiday and every make-up working day from the "
                "notice, then add the year under “Published years”. Until then the dates of that "
                "year are provisional: weekends and the expected statutory holidays are days off "
                "and no make-up working days are assumed."
            ),
            _("Published by staff: %(years)s.") % {"years": "、".join(map(str, published))}
            if published
            else _("No year has been published by staff yet."),
        ]
        extra_context = {**(extra_context or {}), "workdays_help": help_lines}
        return super().changelist_view(request, extra_context=extra_context)

    def save_model(
        self, request: HttpRequest, obj: DayOverride, form: ModelForm, change: bool
    ) -> None:
        override_save(override=obj)

    def delete_model(self, request: HttpRequest, obj: DayOverride) -> None:
        override_delete(override=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[DayOverride]) -> None:
        overrides_delete(overrides=queryset)


@admin.register(PublishedYear)
class PublishedYearAdmin(ScopedModelAdmin):
    list_display = ["year", "note", "created"]
    search_fields = ["note"]
    fields = ["year", "note", "created"]
    readonly_fields = ["created"]
    ordering = ["-year"]

    def save_model(
        self, request: HttpRequest, obj: PublishedYear, form: ModelForm, change: bool
    ) -> None:
        published_year_save(published_year=obj)

    def delete_model(self, request: HttpRequest, obj: PublishedYear) -> None:
        published_year_delete(published_year=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PublishedYear]) -> None:
        for published_year in queryset:
            published_year_delete(published_year=published_year)
