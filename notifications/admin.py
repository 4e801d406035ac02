import re
from typing import TYPE_CHECKING

from django.contrib import admin, messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.admin import DateLookupsMixin, ReadOnlyAdminMixin

from .models import Message
from .services import message_retry

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec


@admin.register(Message)
class MessageAdmin(DateLookupsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The outbox, read-only: a message is what was (or will be) sent and must stay so."""

    list_display = [
        "created",
        "channel",
        "masked_recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["recipient", "key"]
    search_help_text = _(
        "A whole phone number or e-mail address, or the start of a key (suggestion:42:)."
    )
    date_hierarchy = "created"
    ordering = ["-created"]
    # The table grows with every receipt; counting all of it on each page view buys nothing.
    show_full_result_count = False
    actions = ["retry_now"]
    fieldsets = [
        (None, {"fields": ["key", "channel", "recipient", "status", "attempts"]}),
        (_("Timing"), {"fields": ["created", "next_attempt_at", "sent_at"]}),
        (_("Content"), {"fields": ["subject", "body", "html_body"]}),
        (_("Last error"), {"fields": ["error_details"]}),
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Message | None = None) -> "_FieldsetSpec":
        if request.user.is_superuser:
            return self.fieldsets
        # Other viewers see the same mask as in the list: they check that messages go out,
        # they do not need citizens' phone numbers for it.
        first, *rest = self.fieldsets
        fields = ["masked_recipient" if f == "recipient" else f for f in first[1]["fields"]]
        return [(first[0], {"fields": fields}), *rest]

    def get_readonly_fields(self, request: HttpRequest, obj: Message | None = None) -> list[str]:
        return [
            *(f.name for f in self.model._meta.fields),
            "masked_recipient",
            "error_details",
        ]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Message], search_term: str
    ) -> tuple[QuerySet[Message], bool]:
        # Exact and prefix matches only: they use the indexes on recipient and key, where the
        # default case-insensitive "contains" would scan the whole table.
        term = search_term.strip()
        if not term:
            return queryset, False
        # SMS numbers are stored as bare digits; staff paste them as "138 1234 5678".
        compact = re.sub(r"[\s\-()]", "", term)
        return queryset.filter(Q(recipient__in={term, compact}) | Q(key__startswith=term)), False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_message")

    @admin.display(description=_("recipient"))
    def masked_recipient(self, obj: Message) -> str:
        return obj.masked_recipient

    @admin.display(description=_("last error"))
    def short_error(self, obj: Message) -> str:
        return Truncator(obj.last_error).chars(60)

    @admin.display(description=_("last error"))
    def error_details(self, obj: Message) -> str:
        if not obj.last_error:
            return "—"
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', obj.last_error)

    @admin.action(description=_("Retry the selected messages now"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        count = message_retry(messages=queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d message queued for sending.",
                "%(count)d messages queued for sending.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
