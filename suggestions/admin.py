from django.contrib import admin
from django.db.models import BooleanField, Case, Value, When
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from liaison.admin import DateLookupsMixin, ReadOnlyAdminMixin
from notifications.masking import mask_phone

from .models import (
    Department,
    DepartmentTask,
    ExtensionRequest,
    HandlingTimeLimit,
    PhoneAccess,
    ReplyTemplate,
    Suggestion,
    SuggestionEvent,
    SuggestionPhoto,
    Theme,
)
from .permissions import scope_of


@admin.register(Theme)
class ThemeAdmin(DateLookupsMixin, admin.ModelAdmin):
    list_display = ["name", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["name"]


class _ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class PhotoInline(_ReadOnlyInline):
    model = SuggestionPhoto
    fields = ["preview", "created"]
    readonly_fields = ["preview", "created"]

    @admin.display(description=_("photo"))
    def preview(self, obj: SuggestionPhoto) -> str:
        return format_html(
            '<a href="{}" target="_blank"><img src="{}" alt="" style="max-height:120px"></a>',
            obj.get_absolute_url(),
            obj.get_absolute_url(),
        )


class TaskInline(_ReadOnlyInline):
    model = DepartmentTask
    # A tuple, as django-stubs types `fields` and `readonly_fields` differently and only a tuple
    # (immutable) is both.
    fields = ("department", "role", "state", "note", "created")
    readonly_fields = fields


class EventInline(_ReadOnlyInline):
    model = SuggestionEvent
    fields = ("created", "action", "old_status", "new_status", "actor", "note", "public")
    readonly_fields = fields


@admin.register(Suggestion)
class SuggestionAdmin(DateLookupsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """A read-only record: suggestions change only through the handling services."""

    list_display = [
        "display_tracking_code", "title", "station", "theme", "channel", "status",
        "contact", "created",
    ]  # fmt: skip
    list_filter = ["status", "route", "channel", "theme", "is_key", "outcome", "rating", "created"]
    search_fields = ["tracking_code", "title"]
    list_select_related = ["station", "theme"]
    date_hierarchy = "created"
    inlines = [PhotoInline, TaskInline, EventInline]
    fields = (
        "tracking_code", "status", "station", "village", "theme", "channel", "title", "content",
        "addressee", "contact", "is_anonymous", "consent_at", "registered_by", "route", "deadline",
        "deadline_provisional", "result", "outcome", "decided_by", "refer_to", "feedback_method",
        "feedback_note", "rating", "rating_comment", "reopen_count", "urge_count", "is_key",
        "key_supervisor", "merged_into", "created", "updated",
    )  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        scope = scope_of(request.user)
        return (
            scope.visible()
            .select_related("station", "theme", "village", "addressee", "registered_by")
            .annotate(
                _may_handle=Case(
                    When(pk__in=scope.handled().values("pk"), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
            )
        )

    @admin.display(description=_("tracking code"), ordering="tracking_code")
    def display_tracking_code(self, obj: Suggestion) -> str:
        return obj.display_tracking_code

    @admin.display(description=_("contact"))
    def contact(self, obj: Suggestion) -> str | Promise:
        if obj.is_anonymous:
            return _("anonymous")
        phone = obj.phone if getattr(obj, "_may_handle", False) else mask_phone(obj.phone)
        return f"{obj.name} {phone}".strip()


@admin.register(Department)
class DepartmentAdmin(DateLookupsMixin, admin.ModelAdmin):
    list_display = ["name", "level", "region", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "region__name"]
    autocomplete_fields = ["region", "handlers"]
    list_select_related = ["region"]


@admin.register(HandlingTimeLimit)
class HandlingTimeLimitAdmin(DateLookupsMixin, admin.ModelAdmin):
    list_display = ["region", "route", "working_days"]
    list_filter = ["route"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(DateLookupsMixin, admin.ModelAdmin):
    list_display = ["name", "step", "route", "is_active"]
    list_filter = ["step", "route", "is_active"]
    search_fields = ["name", "text"]


class _ReadOnlyAdmin(DateLookupsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Records written by the services: staff read them here, nobody edits them."""


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(_ReadOnlyAdmin):
    list_display = ["suggestion", "department", "working_days", "state", "created"]
    list_filter = ["state"]
    list_select_related = ["suggestion", "department"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(suggestion__in=scope_of(request.user).visible().values("pk"))
        )


@admin.register(PhoneAccess)
class PhoneAccessAdmin(_ReadOnlyAdmin):
    list_display = ["created", "user", "suggestion"]
    list_filter = ["created"]
    search_fields = ["user__username", "suggestion__tracking_code"]
    list_select_related = ["user", "suggestion"]
    date_hierarchy = "created"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(suggestion__in=scope_of(request.user).visible().values("pk"))
        )
