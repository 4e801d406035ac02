"""The history of reception reminders, and a button to queue today's run by hand."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _

from liaison.admin import DateLookupsMixin, ReadOnlyAdminMixin

from .. import tasks
from ..models import Reminder
from ..permissions import managed_reminders, may_send_reminders_now


@admin.register(Reminder)
class ReminderAdmin(DateLookupsMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The history of reception reminders, read-only: a deleted row would let one go out again."""

    change_list_template = "receptions/rota/reminder_change_list.html"
    list_display = ["created", "day_date", "station", "kind", "recipient_key", "recipient"]
    list_filter = ["kind", ("day__date", admin.DateFieldListFilter), "created"]
    search_fields = ["day__station__name"]
    search_help_text = _("The name of a station, or part of it.")
    list_select_related = ["day__station", "recipient"]
    date_hierarchy = "created"
    ordering = ["-created"]
    # One row per reminder sent: counting the whole table on each page view buys nothing.
    show_full_result_count = False

    @admin.display(description=_("reception day"), ordering="day__date")
    def day_date(self, obj: Reminder):
        return obj.day.date

    @admin.display(description=_("station"), ordering="day__station__name")
    def station(self, obj: Reminder):
        return obj.day.station

    def get_queryset(self, request):
        return managed_reminders(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def get_urls(self):
        send_now = self.admin_site.admin_view(self.send_now_view)
        return [
            path("send-now/", send_now, name="receptions_reminder_send_now"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_send_now": may_send_reminders_now(request.user),
        }
        return super().changelist_view(request, extra_context)

    def send_now_view(self, request):
        """Queue today's reminder run now (after an outage, say): only unsent ones go out."""
        if request.method != "POST" or not may_send_reminders_now(request.user):
            raise PermissionDenied
        tasks.send_reception_reminders.delay()
        self.message_user(
            request, _("Today's reminders are being sent; only those not sent yet go out.")
        )
        return redirect("admin:receptions_reminder_changelist")
