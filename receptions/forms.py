"""The duty log with the suggestions raised at the reception, and the rota page's small forms.
The admin's forms live with the admin."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from liaison.phones import normalize_phone
from representatives.models import Assignment, Representative
from stations.models import Region
from suggestions.forms import MultiplePhotoField
from suggestions.selectors import active_themes, villages_for
from suggestions.services import Submission

from .models import ReceptionDay


class DutyLogForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Representatives present"),
        queryset=Representative.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    visitor_batches = forms.IntegerField(
        label=_("Visitor groups (批次)"), min_value=0, max_value=1000
    )
    visitors = forms.IntegerField(label=_("Visitors (人次)"), min_value=0, max_value=10000)
    summary = forms.CharField(
        label=_("What was raised and what was done"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photos = MultiplePhotoField(label=_("Photos (optional, up to 3)"), required=False)

    def __init__(self, *args, day: ReceptionDay, **kwargs):
        super().__init__(*args, **kwargs)
        on_station = Assignment.objects.current(day.date).filter(station_id=day.station_id)
        # self.fields holds this form's copies of the fields, typed only as Field.
        attendees = cast(forms.ModelMultipleChoiceField, self.fields["attendees"])
        attendees.queryset = Representative.objects.filter(
            Q(pk__in=on_station.values("representative_id"))
            | Q(pk__in=day.duties.values("representative_id"))
        ).order_by("level", "name")

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        batches, visitors = cleaned.get("visitor_batches"), cleaned.get("visitors")
        if batches is not None and visitors is not None and visitors < batches:
            self.add_error("visitors", _("There cannot be fewer visitors than visitor groups."))
        return cleaned


class RaisedSuggestionForm(forms.Form):
    """One suggestion a visitor raised; a row left empty is ignored."""

    theme = forms.ModelChoiceField(label=_("Theme"), queryset=active_themes(), required=False)
    # Its queryset depends on the day's station and is set in __init__.
    village: "forms.ModelChoiceField[Region]" = forms.ModelChoiceField(
        label=_("Village or community"), queryset=None, required=False
    )
    title = forms.CharField(label=_("Title"), max_length=60, required=False)
    content = forms.CharField(
        label=_("What the visitor raised"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    name = forms.CharField(label=_("Visitor's name (optional)"), max_length=20, required=False)
    phone = forms.CharField(label=_("Visitor's phone (optional)"), max_length=30, required=False)

    def __init__(self, *args, day: ReceptionDay, **kwargs):
        super().__init__(*args, **kwargs)
        village = cast(forms.ModelChoiceField, self.fields["village"])
        village.queryset = villages_for(day.station)

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(f) for f in ("title", "content", "name", "phone"))

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if self.is_blank:
            return cleaned
        for field in ("theme", "title", "content"):
            if not cleaned.get(field):
                self.add_error(field, _("Needed for a suggestion raised at the reception."))
        if cleaned.get("phone"):
            try:
                cleaned["phone"] = normalize_phone(cleaned["phone"])
            except ValidationError as exc:
                self.add_error("phone", exc)
        return cleaned

    def submission(self) -> Submission:
        data = self.cleaned_data
        anonymous = not (data.get("name") and data.get("phone"))
        return Submission(
            theme=data["theme"], title=data["title"].strip(), content=data["content"].strip(),
            village=data.get("village"), name=data.get("name", ""), phone=data.get("phone", ""),
            is_anonymous=anonymous, consent=not anonymous,
        )  # fmt: skip


class BaseRaisedFormSet(forms.BaseFormSet):
    def __init__(self, *args, day: ReceptionDay, **kwargs):
        self.day = day
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "day": self.day}

    def submissions(self) -> list[Submission]:
        return [form.submission() for form in self.forms if not form.is_blank]


RaisedFormSet = forms.formset_factory(
    RaisedSuggestionForm, formset=BaseRaisedFormSet, extra=3, max_num=10
)


# --- the rota page -----------------------------------------------------------------------------


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("refuse", gettext_lazy("Refuse"))]
    )


class SwapRequestForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)
