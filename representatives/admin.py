from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import BadRequest, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from liaison.admin import (
    ScopedModelAdmin,
    ScopedTabularInline,
    allow_import_export_form,
    register_relation_scope,
)
from stations.admin import StationAdmin
from stations.models import Station
from stations.qr import qr_admin_block
from stations.selectors import stations_managed_by

from .models import Assignment, Representative, current_assignment_q
from .roster import RosterResource
from .selectors import prefetch_current_assignments, representatives_managed_by
from .services import assignment_save, clean_photo, representative_save

# A representative form field offers only those the user manages (their private phone is theirs).
register_relation_scope(Representative, representatives_managed_by)


class AssignmentFormSet(forms.BaseInlineFormSet):
    """Refuses overlaps between rows of the same form, which no single row can see."""

    def clean(self):
        super().clean()
        # Rows of a station's inline differ by representative, a representative's by station.
        other_side = "representative_id" if self.fk.name == "station" else "station_id"
        rows = [
            form.instance
            for form in self.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for index, first in enumerate(rows):
            for second in rows[index + 1 :]:
                if not first.overlaps(second):
                    continue
                if getattr(first, other_side) == getattr(second, other_side):
                    raise ValidationError(
                        _("The same assignment is listed twice for overlapping periods.")
                    )
                if first.role == second.role == Assignment.Role.POINT_LEADER and (
                    first.station_id == second.station_id
                ):
                    raise ValidationError(_("A liaison point has only one point leader at a time."))


class _AssignmentInline(ScopedTabularInline):
    model = Assignment
    formset = AssignmentFormSet
    extra = 0
    fields = ["representative", "station", "role", "start_date", "end_date"]

    @staticmethod
    def save_through_service(formset) -> None:
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for assignment in instances:
            assignment_save(assignment=assignment)


class AssignmentInlineForStation(_AssignmentInline):
    autocomplete_fields = ["representative"]
    fields = ["representative", "role", "start_date", "end_date"]
    verbose_name_plural = _("representatives assigned here")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("representative")


class AssignmentInlineForRepresentative(_AssignmentInline):
    autocomplete_fields = ["station"]
    fields = ["station", "role", "start_date", "end_date"]
    verbose_name_plural = _("stations this representative is assigned to")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("station")


# The station admin staff use: the ground floor's, with how many representatives each station has
# and who is assigned to it. Stations cannot know representatives, so the addition is made here.
admin.site.unregister(Station)


@admin.register(Station)
class StationWithRepresentativesAdmin(StationAdmin):
    list_display = [
        "name",
        "kind",
        "region",
        "parent",
        "code",
        "head",
        "current_representatives",
        "is_active",
    ]
    inlines = [AssignmentInlineForStation]

    def get_queryset(self, request):
        current = current_assignment_q(timezone.localdate(), prefix="assignments__")
        return (
            super()
            .get_queryset(request)
            .annotate(_current_representatives=Count("assignments", filter=current))
        )

    @admin.display(description=_("representatives"), ordering="_current_representatives")
    def current_representatives(self, obj: Station) -> int:
        return obj._current_representatives

    def save_formset(self, request, form, formset, change):
        AssignmentInlineForStation.save_through_service(formset)


class RepresentativeForm(forms.ModelForm):
    class Meta:
        model = Representative
        fields = [
            "name", "level", "position", "work_unit", "term", "photo",
            "phone", "show_phone", "bio", "user", "is_active",
        ]  # fmt: skip

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo is not self.instance.photo and hasattr(photo, "content_type"):
            return clean_photo(photo)
        return photo

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("show_phone") and not cleaned.get("phone"):
            self.add_error("phone", _("Enter the phone number that may be shown publicly."))
        return cleaned


@admin.register(Representative)
class RepresentativeAdmin(ImportExportMixin, ScopedModelAdmin):
    def get_export_queryset(self, request: HttpRequest) -> QuerySet[Representative]:
        # The export reads the change list's filters from the address, like the list does; the
        # list answers an unknown filter with its "?e=1" notice, the export with a 400.
        try:
            return super().get_export_queryset(request)
        except IncorrectLookupParameters:
            raise BadRequest(_("The export's filter is not valid.")) from None

    form = RepresentativeForm
    resource_classes = [RosterResource]
    import_formats = [XLSX, CSV]
    export_formats = [XLSX, CSV]
    list_display = [
        "thumbnail",
        "name",
        "level",
        "position",
        "work_unit",
        "station_list",
        "is_active",
    ]
    list_display_links = ["thumbnail", "name"]
    list_filter = ["level", "is_active", "show_phone", "assignments__station__kind"]
    search_fields = ["name", "code", "work_unit", "position"]
    autocomplete_fields = ["user"]
    readonly_fields = ["code", "photo_preview", "qr_code", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["name", "level", "position", "work_unit", "term", "code", "is_active"]}),
        (_("Public board"), {"fields": ["photo", "photo_preview", "phone", "show_phone", "bio"]}),
        (_("Personal QR code"), {"fields": ["qr_code"]}),
        (_("Account"), {"fields": ["user"]}),
        (_("Record"), {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]
    inlines = [AssignmentInlineForRepresentative]
    list_per_page = 50

    def export_action(self, request: HttpRequest) -> TemplateResponse:
        # The library's export form needs three inline attributes (liaison.admin says which).
        return allow_import_export_form(super().export_action)(request)

    def get_queryset(self, request):
        return representatives_managed_by(request.user).prefetch_related(
            prefetch_current_assignments()
        )

    def get_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    @admin.display(description=_("photo"))
    def thumbnail(self, obj: Representative) -> str:
        if not obj.photo:
            return "—"
        return format_html('<img src="{}" alt="" class="admin-rep-thumbnail">', obj.photo.url)

    @admin.display(description=_("preview"))
    def photo_preview(self, obj: Representative) -> str:
        if not obj.photo:
            return "—"
        return format_html('<img src="{}" alt="" class="admin-rep-photo">', obj.photo.url)

    @admin.display(description=_("QR code"))
    def qr_code(self, obj: Representative) -> str | Promise:
        if not obj.pk:
            return _("The QR code is made when the representative is saved.")
        if not obj.is_active:
            return _("An inactive representative's QR code does not open.")
        png = reverse("representatives:qr_png", kwargs={"code": obj.code})
        svg = reverse("representatives:qr_svg", kwargs={"code": obj.code})
        return qr_admin_block(png=png, svg=svg)

    @admin.display(description=_("current stations"))
    def station_list(self, obj: Representative) -> str:
        return "、".join(a.station.name for a in obj.current_assignments) or "—"

    def save_model(self, request, obj, form, change):
        representative_save(representative=obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        _AssignmentInline.save_through_service(formset)


@admin.register(Assignment)
class AssignmentAdmin(ScopedModelAdmin):
    list_display = ["representative", "station", "role", "start_date", "end_date"]
    list_filter = ["role", "station__kind", "representative__level"]
    search_fields = ["representative__name", "station__name", "station__code"]
    autocomplete_fields = ["representative", "station"]
    list_select_related = ["representative", "station"]
    date_hierarchy = "start_date"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(station__in=stations_managed_by(request.user))

    def save_model(self, request, obj, form, change):
        assignment_save(assignment=obj)
