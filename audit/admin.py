"""The audit administrator's view of the audit log: read-only, filtered, exported as CSV.

Seen by whoever holds audit.view_auditentry (the audit administrator's group). Superusers hold
every permission in Django, so they see it too; in production no one works as a superuser.
"""

import csv
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.http.response import StreamingHttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from liaison.admin import ReadOnlyAdminMixin
from liaison.spreadsheets import safe_cell

from .models import AuditEntry
from .services import Action, audit_record


def time_with_offset(moment: dt.datetime) -> str:
    """Local time with its UTC offset, to the second: 2026-12-02 21:30:45+08:00."""
    return timezone.localtime(moment).isoformat(sep=" ", timespec="seconds")


class TimeRangeFilter(admin.ListFilter):
    """Entries from one day to another, both included, in the site's time zone."""

    title = _("time")
    template = "admin/audit/time_range_filter.html"
    from_name = "time_from"
    to_name = "time_to"
    _names = (from_name, to_name)

    def __init__(
        self,
        request: HttpRequest,
        params: dict[str, Any],
        model: type[AuditEntry],
        model_admin: admin.ModelAdmin,
    ) -> None:
        super().__init__(request, params, model, model_admin)
        for name in self._names:
            if name in params:
                value = params.pop(name)
                self.used_parameters[name] = value[-1] if isinstance(value, list) else value

    def expected_parameters(self) -> list[str | None]:
        return list(self._names)

    def has_output(self) -> bool:
        return True

    def _day(self, name: str) -> dt.date | None:
        raw = self.used_parameters.get(name)
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError as exc:
            raise IncorrectLookupParameters(exc) from exc

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        start, end = self._day(self.from_name), self._day(self.to_name)
        try:
            if start:
                queryset = queryset.filter(
                    time__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min))
                )
            if end:
                queryset = queryset.filter(
                    time__lt=timezone.make_aware(
                        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min)
                    )
                )
        except OverflowError as exc:  # 9999-12-31 and one day more
            raise IncorrectLookupParameters(exc) from exc
        return queryset

    def choices(self, changelist: ChangeList) -> Iterator[dict[str, Any]]:
        others = QueryDict(changelist.get_query_string(remove=[*self._names, "p"])[1:])
        yield {
            "hidden": [(name, value) for name, values in others.lists() for value in values],
            "from_name": self.from_name,
            "to_name": self.to_name,
            "from_value": self.used_parameters.get(self.from_name, ""),
            "to_value": self.used_parameters.get(self.to_name, ""),
        }


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "time_shown",
        "username",
        "source_address",
        "action",
        "outcome",
        "content_type",
        "object_repr",
    ]
    list_filter = [
        "action",
        "outcome",
        ("user", admin.RelatedOnlyFieldListFilter),
        TimeRangeFilter,
    ]
    list_select_related = ["content_type"]
    search_fields = ["^username", "object_repr", "=object_id"]
    search_help_text = _("The start of a username, part of an object's name, or an object's id.")
    date_hierarchy = "time"
    # The log grows with every login; counting all of it on each page view buys nothing.
    show_full_result_count = False
    fields = [
        "time_shown",
        "user",
        "username",
        "source_address",
        "action",
        "outcome",
        "content_type",
        "object_id",
        "object_repr",
        "details_shown",
    ]
    readonly_fields = ["time_shown", "details_shown"]

    @admin.display(description=_("time"), ordering="time")
    def time_shown(self, entry: AuditEntry) -> str:
        return time_with_offset(entry.time)

    @admin.display(description=_("details"))
    def details_shown(self, entry: AuditEntry) -> str:
        return json.dumps(entry.details, ensure_ascii=False, sort_keys=True)

    def get_urls(self) -> list[URLPattern]:
        export = path(
            "export/",
            self.admin_site.admin_view(self.export_view),
            name="audit_auditentry_export",
        )
        return [export, *super().get_urls()]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        query = request.GET.urlencode()
        export_url = reverse("admin:audit_auditentry_export") + (f"?{query}" if query else "")
        response = super().changelist_view(
            request, {**(extra_context or {}), "export_url": export_url}
        )
        return response

    def export_view(self, request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
        """The entries the change list shows with the same filters, as CSV; itself audited."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            entries = self.get_changelist_instance(request).get_queryset(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:audit_auditentry_changelist") + "?e=1")
        audit_record(
            action=Action.AUDIT_EXPORT,
            request=request,
            details={"filters": {k: request.GET.getlist(k) for k in sorted(request.GET)}},
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(
            _csv_lines(entries), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
        return response


class _Line:
    """csv.writer writes into this and gets the line back, so each row streams as it is made."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(entries: QuerySet[AuditEntry]) -> Iterator[str]:
    writer = csv.writer(_Line())
    # A byte-order mark, as in the ledger's CSV: without it Excel reads Chinese as mojibake.
    yield "\ufeff"
    fields = {f.name: f for f in AuditEntry._meta.fields}
    columns = [
        "time",
        "username",
        "source_address",
        "action",
        "outcome",
        "content_type",
        "object_id",
        "object_repr",
        "details",
    ]
    yield writer.writerow([capfirst(str(fields[name].verbose_name)) for name in columns])
    actions = dict(AuditEntry.Action.choices)
    outcomes = dict(AuditEntry.Outcome.choices)
    for entry in entries.order_by("-time", "-id").iterator(chunk_size=2000):
        content_type = (
            ContentType.objects.get_for_id(entry.content_type_id) if entry.content_type_id else None
        )
        yield writer.writerow(
            [
                time_with_offset(entry.time),
                safe_cell(entry.username),
                entry.source_address or "",
                str(actions.get(entry.action, entry.action)),
                str(outcomes.get(entry.outcome, entry.outcome)),
                f"{content_type.app_label}.{content_type.model}" if content_type else "",
                safe_cell(entry.object_id),
                safe_cell(entry.object_repr),
                safe_cell(json.dumps(entry.details, ensure_ascii=False, sort_keys=True)),
            ]
        )
