"""The admin of reception rules and reception days: staff set the rules, add an extra day, and
move or cancel a day through the services."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.dates import WEEKDAYS
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.admin import DateLookupsMixin

from ..models import ReceptionDay, ReceptionRule
from ..permissions import managed_days, managed_rules, managed_stations
from ..schedule import rule_errors
from ..selectors import describe_rule
from ..services import (
    GenerationReport,
    reception_day_cancel,
    reception_day_move,
    reception_days_generate,
)

# --- Reception rules ---------------------------------------------------------------------------


class ReceptionRuleForm(forms.ModelForm):
    class Meta:
        model = ReceptionRule
        fields = [
            "station", "is_active", "start_date", "end_date", "kind", "day_of_month",
            "week_of_month", "weekday", "interval_months", "holiday_policy", "start_time",
            "end_time", "place", "default_theme", "duty_representatives", "duty_leaders",
        ]  # fmt: skip

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        fields = {f.name for f in ReceptionRule._meta.concrete_fields}
        draft = ReceptionRule(**{k: v for k, v in cleaned.items() if k in fields})
        # Only what the form has in hand is checked here; the rest is the model's business.
        if draft.kind:
            for field, message in rule_errors(draft).items():
                self.add_error(field, message)
        return cleaned


def _generation_message(report: GenerationReport) -> str:
    return _(
        "Reception days generated: %(created)s new, %(updated)s updated, %(removed)s removed; "
        "%(kept)s with a rota or a log left as they are."
    ) % vars(report)


WHEN_FIELDS = (
    "kind", "day_of_month", "week_of_month", "weekday", "interval_months", "holiday_policy",
    "start_time", "end_time",
)  # fmt: skip


@admin.register(ReceptionRule)
class ReceptionRuleAdmin(DateLookupsMixin, admin.ModelAdmin):
    form = ReceptionRuleForm
    list_display = ["station", "in_words", "hours", "is_active", "start_date", "end_date"]
    list_filter = [("station", admin.RelatedOnlyFieldListFilter), "kind", "is_active"]
    search_fields = ["station__name", "station__code"]
    autocomplete_fields = ["station"]
    list_select_related = ["station"]
    actions = ["generate_days_now"]
    fieldsets = [
        (None, {"fields": ["station", "is_active", "start_date", "end_date"]}),
        (_("When"), {"fields": WHEN_FIELDS}),
        (
            _("Reception"),
            {"fields": ["place", "default_theme", "duty_representatives", "duty_leaders"]},
        ),
    ]

    def get_queryset(self, request):
        return managed_rules(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "station":
            kwargs["queryset"] = managed_stations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("rule"))
    def in_words(self, obj: ReceptionRule) -> str:
        return describe_rule(obj)

    @admin.display(description=_("time"))
    def hours(self, obj: ReceptionRule) -> str:
        return f"{obj.start_time:%H:%M}–{obj.end_time:%H:%M}"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The public notice shows the new days at once instead of after the nightly run.
        report = GenerationReport()
        reception_days_generate(rule=obj, report=report)
        self.message_user(request, _generation_message(report))

    @admin.action(description=_("Generate reception days now"), permissions=["change"])
    def generate_days_now(self, request, queryset):
        total = GenerationReport()
        for rule in queryset:
            reception_days_generate(rule=rule, report=total)
        self.message_user(request, _generation_message(total))


# --- Reception days ---------------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=ReceptionDay._meta.get_field("change_reason").max_length,
        help_text=_("Shown on the station's public page and in its calendar."),
    )


class MoveForm(ReasonForm):
    new_date = forms.DateField(label=_("New date"), widget=AdminDateWidget)

    field_order = ["new_date", "reason"]


@admin.register(ReceptionDay)
class ReceptionDayAdmin(DateLookupsMixin, admin.ModelAdmin):
    """Days come from the rules; staff add an extra day, set themes, and move or cancel a day
    (with a public reason) through the actions. Nobody deletes a day: cancelling keeps the
    public notice honest."""

    list_display = [
        "date", "weekday", "station", "hours", "theme", "status", "provisional",
        "moved_by_staff", "on_duty",
    ]  # fmt: skip
    list_filter = [
        "status", "provisional", "moved_by_staff", ("station", admin.RelatedOnlyFieldListFilter),
    ]  # fmt: skip
    search_fields = ["station__name", "station__code", "theme"]
    list_select_related = ["station"]
    date_hierarchy = "date"
    ordering = ["date", "start_time"]
    actions = ["move_day", "cancel_days"]
    autocomplete_fields = ["station"]
    readonly_fields = [
        "station", "rule", "nominal_date", "date", "status", "change_reason", "moved_by_staff",
        "provisional", "created", "updated",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["station", "date", "start_time", "end_time", "place", "theme"]}),
        (
            _("Schedule"),
            {"fields": ["status", "change_reason", "moved_by_staff", "provisional"]},
        ),
        (_("Record"), {"fields": ["rule", "nominal_date", "created", "updated"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["station", "date", "start_time", "end_time", "place", "theme"]}),
    ]

    def get_queryset(self, request):
        days = managed_days(request.user, super().get_queryset(request))
        return days.annotate(_on_duty=Count("duties"))

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "station":
            kwargs["queryset"] = managed_stations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: ReceptionDay) -> str:
        return WEEKDAYS[obj.date.weekday()]

    @admin.display(description=_("time"))
    def hours(self, obj: ReceptionDay) -> str:
        return f"{obj.start_time:%H:%M}–{obj.end_time:%H:%M}"

    @admin.display(description=_("on duty"), ordering="_on_duty")
    def on_duty(self, obj: ReceptionDay) -> int:
        return obj._on_duty

    # The actions ask for a reason (and a date) on a page of their own, then call the service.

    def _ask(
        self, request, queryset, *, form, title: str | Promise, action: str
    ) -> TemplateResponse:
        return TemplateResponse(
            request,
            "receptions/admin/day_action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "days": queryset,
                "form": form,
                "action": action,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )

    def _report_failure(self, request, day: ReceptionDay, exc: Exception) -> None:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        self.message_user(request, f"{day}: {text}", messages.ERROR)

    @admin.action(description=_("Move the reception day…"), permissions=["change"])
    def move_day(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one day to move."), messages.WARNING)
            return None
        day = queryset.get()
        form = MoveForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._ask(
                request, queryset, form=form, title=_("Move the reception day"), action="move_day"
            )
        try:
            reception_day_move(
                day=day,
                actor=request.user,
                new_date=form.cleaned_data["new_date"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as exc:
            self._report_failure(request, day, exc)
            return None
        self.message_user(request, _("The reception day was moved."))
        return None

    @admin.action(description=_("Cancel the reception days…"), permissions=["change"])
    def cancel_days(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return self._ask(
                request, queryset, form=form, title=_("Cancel reception days"), action="cancel_days"
            )
        cancelled = 0
        for day in queryset:
            try:
                reception_day_cancel(
                    day=day, actor=request.user, reason=form.cleaned_data["reason"]
                )
                cancelled += 1
            except (ValidationError, PermissionDenied) as exc:
                self._report_failure(request, day, exc)
        if cancelled:
            self.message_user(
                request,
                ngettext(
                    "%(count)d reception day was cancelled.",
                    "%(count)d reception days were cancelled.",
                    cancelled,
                )
                % {"count": cancelled},
            )
        return None
