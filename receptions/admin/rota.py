"""The admin of the duty rota, absences and swap requests; every write goes through
receptions.rota and receptions.swaps like the staff page's."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.admin import DateLookupsMixin

from ..models import Duty, SwapRequest, Unavailability
from ..permissions import managed_absences, managed_days, managed_duties, managed_swaps
from ..rota import check_can_take, duty_remove, duty_set, unavailability_add
from ..swaps import swap_decide


class DutyAdminForm(forms.ModelForm):
    class Meta:
        model = Duty
        fields = ["day", "representative", "role"]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        day, representative = cleaned.get("day"), cleaned.get("representative")
        if self.instance.pk is None and day and representative:
            # The service checks again under the day's lock; this puts the message on the form.
            check_can_take(day=day, representative=representative)
        return cleaned


@admin.register(Duty)
class DutyAdmin(DateLookupsMixin, admin.ModelAdmin):
    """The rota, one duty a row; writes go through receptions.rota like the staff page's."""

    form = DutyAdminForm
    list_display = ["day_date", "station", "representative", "role"]
    list_filter = ["role", ("day__date", admin.DateFieldListFilter)]
    search_fields = ["representative__name", "day__station__name"]
    list_select_related = ["day__station", "representative"]
    autocomplete_fields = ["representative"]
    raw_id_fields = ["day"]
    ordering = ["-day__date", "day", "-role"]

    @admin.display(description=_("date"), ordering="day__date")
    def day_date(self, obj: Duty):
        return obj.day.date

    @admin.display(description=_("station"), ordering="day__station__name")
    def station(self, obj: Duty):
        return obj.day.station

    def get_queryset(self, request):
        return managed_duties(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "day":
            kwargs["queryset"] = managed_days(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Who is on duty changes by removing and adding, or by a swap; only the role is edited.
        return ["day", "representative"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        saved = duty_set(
            day=obj.day, actor=request.user, representative=obj.representative, role=obj.role
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        duty_remove(duty=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for duty in queryset:
            duty_remove(duty=duty, actor=request.user)


class UnavailabilityAdminForm(forms.ModelForm):
    class Meta:
        model = Unavailability
        fields = ["representative", "start_date", "end_date", "reason"]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        return cleaned


@admin.register(Unavailability)
class UnavailabilityAdmin(DateLookupsMixin, admin.ModelAdmin):
    form = UnavailabilityAdminForm
    list_display = ["representative", "start_date", "end_date", "reason"]
    list_filter = [("start_date", admin.DateFieldListFilter)]
    search_fields = ["representative__name"]
    list_select_related = ["representative"]
    autocomplete_fields = ["representative"]
    ordering = ["-start_date"]

    def get_queryset(self, request):
        return managed_absences(request.user, super().get_queryset(request))

    def save_model(self, request, obj, form, change):
        if change:
            obj.full_clean()
            obj.save()
            return
        saved = unavailability_add(
            representative=obj.representative,
            actor=request.user,
            start_date=obj.start_date,
            end_date=obj.end_date,
            reason=obj.reason,
        )
        obj.pk = saved.pk


@admin.register(SwapRequest)
class SwapRequestAdmin(DateLookupsMixin, admin.ModelAdmin):
    """Swap requests are made by representatives on the rota page and decided here or there."""

    list_display = [
        "day_date", "station", "requester", "replacement", "state", "decided_by", "created",
    ]  # fmt: skip
    list_filter = ["state"]
    search_fields = ["duty__representative__name", "duty__day__station__name"]
    list_select_related = [
        "duty__day__station", "duty__representative", "replacement", "decided_by",
    ]  # fmt: skip
    ordering = ["-created"]
    actions = ["approve", "refuse"]

    @admin.display(description=_("date"), ordering="duty__day__date")
    def day_date(self, obj: SwapRequest):
        return obj.duty.day.date

    @admin.display(description=_("station"), ordering="duty__day__station__name")
    def station(self, obj: SwapRequest):
        return obj.duty.day.station

    @admin.display(description=_("requested by"), ordering="duty__representative__name")
    def requester(self, obj: SwapRequest):
        return obj.duty.representative

    def get_queryset(self, request):
        return managed_swaps(request.user, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, *, approve: bool) -> None:
        done = 0
        for swap in queryset.filter(state=SwapRequest.State.PENDING):
            try:
                swap_decide(swap=swap, actor=request.user, approve=approve)
            except ValidationError as error:
                self.message_user(request, f"{swap}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d swap request decided.", "%(count)d swap requests decided.", done)
            % {"count": done},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve the selected swap requests"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Refuse the selected swap requests"), permissions=["change"])
    def refuse(self, request, queryset):
        self._decide(request, queryset, approve=False)
