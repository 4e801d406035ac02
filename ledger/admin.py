from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from liaison.admin import DateLookupsMixin, ReadOnlyAdminMixin

from .models import Export
from .permissions import visible_exports


@admin.register(Export)
class ExportAdmin(DateLookupsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of every export: read-only, and each user sees only their own."""

    list_display = ["created", "user", "kind", "format", "state", "rows", "total", "finished"]
    list_filter = ["kind", "format", "state"]
    date_hierarchy = "created"
    # The file has no URL of its own (private storage): `download` links the checking view.
    exclude = ["file"]
    readonly_fields = [
        "user", "kind", "format", "filters", "state", "total", "rows", "download", "error",
        "created", "started", "finished",
    ]  # fmt: skip

    @admin.display(description=_("file"))
    def download(self, obj: Export) -> str:
        # Through the view that checks the owner, never the storage's own URL.
        if not obj.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("ledger:export_download", args=[obj.pk]), _("Download")
        )

    def get_queryset(self, request):
        return visible_exports(request.user, super().get_queryset(request).select_related("user"))
