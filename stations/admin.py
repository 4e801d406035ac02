from django.contrib import admin
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from liaison.admin import ScopedModelAdmin, everyone, register_relation_scope

from .models import Region, Station
from .qr import qr_admin_block
from .selectors import stations_managed_by
from .services import region_save, station_save

# What an admin form may point at: any region (public reference data), the stations one manages.
register_relation_scope(Region, everyone(Region))
register_relation_scope(Station, stations_managed_by)


class RegionSubtreeFilter(admin.SimpleListFilter):
    """Filter by a region and everything under it (provinces, cities and counties are offered)."""

    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        regions = Region.objects.filter(level__lte=Region.Level.COUNTY).only("pk", "name", "depth")
        return [(str(r.pk), "　" * (r.depth - 1) + r.name) for r in regions]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not (value.isascii() and value.isdigit()):
            return queryset.none()
        region = Region.objects.filter(pk=int(value)).first()
        return queryset.in_region(region) if region else queryset.none()


@admin.register(Region)
class RegionAdmin(ScopedModelAdmin):
    list_display = ["name", "level", "code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "supervisors"]
    list_select_related = ["parent"]
    fields = ["name", "level", "code", "parent", "supervisors"]
    ordering = ["path"]

    def save_model(self, request, obj, form, change):
        region_save(region=obj)


@admin.register(Station)
class StationAdmin(ScopedModelAdmin):
    """Stations as the ground floor knows them. `representatives.admin` registers the admin staff
    use in its place: this one with the representatives' column and their assignments inline."""

    list_display = [
        "name",
        "kind",
        "region",
        "parent",
        "code",
        "head",
        "is_active",
    ]
    list_filter = ["kind", "is_active", RegionSubtreeFilter, "region__level"]
    search_fields = ["name", "code", "address"]
    autocomplete_fields = ["region", "parent", "head", "staff"]
    list_select_related = ["region", "parent", "head"]
    readonly_fields = ["code", "qr_code", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "parent", "region", "code", "is_active"]}),
        (
            _("Public information"),
            {"fields": ["address", "phone", "opening_hours", "introduction"]},
        ),
        (_("QR code"), {"fields": ["qr_code"]}),
        (_("People"), {"fields": ["head", "staff"]}),
        (_("Record"), {"fields": ["created", "updated"], "classes": ["collapse"]}),
    ]
    ordering = ["name"]

    def get_queryset(self, request):
        return (
            stations_managed_by(request.user)
            .select_related("region", "parent", "head")
            .order_by("name")
        )

    @admin.display(description=_("QR code"))
    def qr_code(self, obj: Station) -> str | Promise:
        if not obj.pk:
            return _("The QR code is made when the station is saved.")
        if not obj.is_active:
            return _("An inactive station's QR code does not open; activate the station first.")
        png = reverse("stations:qr_png", kwargs={"code": obj.code})
        svg = reverse("stations:qr_svg", kwargs={"code": obj.code})
        return qr_admin_block(
            png=png, svg=svg, poster=reverse("stations:poster", kwargs={"code": obj.code})
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            # Only a station heads points; which stations the user may pick, the scope decides.
            kwargs["queryset"] = Station.objects.exclude(kind=Station.Kind.POINT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        station_save(station=obj)
