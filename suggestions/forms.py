import re
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from liaison.images import process_uploaded_image
from liaison.phones import normalize_phone
from representatives.models import Representative
from stations.models import Region, Station

from .models import DataRequest, Department, Suggestion
from .privacy import RequestInput
from .selectors import active_themes, addressees_for, villages_for
from .services import Submission

MAX_PHOTOS = 3
# A primary key as a form sends it: ASCII digits that fit in a bigint ("²" is a digit to
# str.isdigit(), not to int()).
_ID = re.compile(r"[1-9][0-9]{0,17}", re.ASCII)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("At most %(count)d photos, please.") % {"count": MAX_PHOTOS}, code="too_many"
            )
        photos = []
        for upload in files:
            try:
                photos.append(
                    process_uploaded_image(
                        upload,
                        max_pixels=settings.SUGGESTION_PHOTO_MAX_PIXELS,
                        max_bytes=settings.SUGGESTION_PHOTO_MAX_BYTES,
                    )
                )
            except ValidationError as exc:
                raise ValidationError(
                    _("Photo “%(name)s”: %(problem)s")
                    % {"name": upload.name[:40], "problem": " ".join(exc.messages)}
                ) from None
        return photos


class SuggestionForm(forms.Form):
    """The citizen's form. Plain words, few required fields, every error names its field."""

    theme = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=active_themes(), empty_label=_("Please choose")
    )
    # Their querysets depend on the station and are set in __init__.
    village: "forms.ModelChoiceField[Region]" = forms.ModelChoiceField(
        label=_("Village or community"),
        queryset=None,
        required=False,
        empty_label=_("Not sure / elsewhere"),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=60,
        min_length=4,
        help_text=_("One short sentence, e.g. “The field road in Bai'e village is washed out”."),
    )
    content = forms.CharField(
        label=_("Your opinion or suggestion"),
        max_length=2000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What happened, where, since when, and what you hope for."),
    )
    addressee: "forms.ModelChoiceField[Representative]" = forms.ModelChoiceField(
        label=_("To a representative (optional)"),
        queryset=None,
        required=False,
        empty_label=_("Any representative of this station"),
    )
    photos = MultiplePhotoField(
        label=_("Photos (optional, up to 3)"),
        required=False,
    )
    is_anonymous = forms.BooleanField(
        label=_("Submit anonymously"),
        required=False,
        help_text=_(
            "Without a name and phone number nobody can call you back about the result; you can "
            "only follow it with the tracking code and the public notice."
        ),
    )
    name = forms.CharField(label=_("Your name"), max_length=20, required=False)
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("We use it only to tell you how your suggestion was handled."),
    )
    consent = forms.BooleanField(
        label=_("I agree that my name, phone number and this suggestion are kept for handling it."),
        required=False,
    )
    # Left empty by people, who never see it; filled in by bots that fill every box.
    website = forms.CharField(label=_("Website"), required=False, max_length=200)
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, station: Station, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.station = station
        # self.fields holds this form's copies of the fields, typed only as Field.
        cast(forms.ModelChoiceField, self.fields["village"]).queryset = villages_for(station)
        cast(forms.ModelChoiceField, self.fields["addressee"]).queryset = addressees_for(station)

    @cached_property
    def offers_villages(self) -> bool:
        """Whether the station's region has villages to choose from (asked when rendering)."""
        villages = cast(forms.ModelChoiceField, self.fields["village"]).queryset
        return villages is not None and villages.exists()

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("is_anonymous"):
            cleaned["name"], cleaned["phone"] = "", ""
            return cleaned
        if not cleaned.get("name"):
            self.add_error("name", _("Please give your name, or choose to submit anonymously."))
        raw_phone = cleaned.get("phone", "")
        if not raw_phone:
            self.add_error(
                "phone", _("Please give a phone number, or choose to submit anonymously.")
            )
        else:
            try:
                cleaned["phone"] = normalize_phone(raw_phone)
            except ValidationError as exc:
                self.add_error("phone", exc)
        if not cleaned.get("consent"):
            self.add_error(
                "consent",
                _("Please agree, so that we may keep your details to handle your suggestion."),
            )
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(
            theme=data["theme"],
            title=data["title"].strip(),
            content=data["content"].strip(),
            village=data.get("village"),
            name=data.get("name", ""),
            phone=data.get("phone", ""),
            is_anonymous=bool(data.get("is_anonymous")),
            addressee=data.get("addressee"),
            photos=data.get("photos") or [],
            consent=bool(data.get("consent")),
        )


class StaffSuggestionForm(SuggestionForm):
    """Station staff register a walk-in or phone suggestion on a citizen's behalf."""

    channel = forms.ChoiceField(
        label=_("How it came in"),
        choices=[
            (Suggestion.Channel.WALK_IN, Suggestion.Channel.WALK_IN.label),
            (Suggestion.Channel.PHONE, Suggestion.Channel.PHONE.label),
            (Suggestion.Channel.RECEPTION, Suggestion.Channel.RECEPTION.label),
            (Suggestion.Channel.WEB, Suggestion.Channel.WEB.label),
        ],
    )
    field_order = ["channel"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _("The citizen was told what is kept and why, and agreed.")
        del self.fields["website"]


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    proof = forms.CharField(
        label=_("Last 4 digits of your phone (or your secret if anonymous)"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


# --- the workbench: one small form per action ------------------------------------------------


class ActionForm(forms.Form):
    """A workbench action on one suggestion; subclasses add their fields."""

    def __init__(self, *args, suggestion, **kwargs):
        # Several action forms share a page: their fields need ids of their own.
        kwargs.setdefault("auto_id", f"id_{type(self).__name__.lower()}_%s")
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion


def _text(label, *, required=True, rows=3, max_length=2000):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AcceptForm(ActionForm):
    note = _text(_("Note for the citizen (optional)"), required=False, rows=2)


class RejectForm(ActionForm):
    reason = _text(_("Why it is not accepted (spam, abuse, no content)"))


class MergeForm(ActionForm):
    original = forms.CharField(
        label=_("Tracking code of the suggestion it duplicates"), max_length=12
    )

    def clean_original(self):
        from .selectors import normalize_tracking_code

        code = normalize_tracking_code(self.cleaned_data["original"])
        original = (
            Suggestion.objects.filter(tracking_code=code).exclude(pk=self.suggestion.pk).first()
        )
        if original is None:
            raise ValidationError(_("No other suggestion has this tracking code."))
        return original


class RouteForm(ActionForm):
    route = forms.ChoiceField(label=_("Route"), choices=Suggestion.Route.choices)
    answer = _text(_("Answer given on the spot, or the explanation for a decline"), required=False)
    lead = forms.ModelChoiceField(
        label=_("Lead department"), queryset=Department.objects.none(), required=False
    )
    co_departments = forms.ModelMultipleChoiceField(
        label=_("Co-handling departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decided_by = forms.CharField(label=_("Who decided the decline"), max_length=100, required=False)
    refer_to = forms.CharField(
        label=_("Where the citizen can turn instead"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = self.suggestion.station.region.ancestor_ids()
        departments = Department.objects.filter(region_id__in=ids, is_active=True).order_by(
            "level", "name"
        )
        cast(forms.ModelChoiceField, self.fields["lead"]).queryset = departments
        cast(forms.ModelMultipleChoiceField, self.fields["co_departments"]).queryset = departments

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        route = cleaned.get("route")
        if (
            route in (Suggestion.Route.ON_SITE, Suggestion.Route.EXPLAINED)
            and not (cleaned.get("answer") or "").strip()
        ):
            self.add_error("answer", _("Write the answer or the explanation."))
        if route == Suggestion.Route.EXPLAINED and not cleaned.get("decided_by", "").strip():
            self.add_error("decided_by", _("Say who decided, so the reply is not anonymous."))
        if route in (Suggestion.Route.TOWNSHIP, Suggestion.Route.COUNTY):
            level = (
                Department.Level.TOWNSHIP
                if route == Suggestion.Route.TOWNSHIP
                else Department.Level.COUNTY
            )
            lead = cleaned.get("lead")
            if lead is None:
                self.add_error("lead", _("Choose the lead department."))
            elif lead.level != level:
                message = _("The lead department must be a %(level)s.")
                self.add_error("lead", message % {"level": Department.Level(level).label})
            if any(d.level != level for d in cleaned.get("co_departments") or []):
                message = _("Co-handling departments must be of the same level.")
                self.add_error("co_departments", message)
        return cleaned


class HandBackForm(ActionForm):
    reason = _text(_("Why it is outside your department's remit"))


class CompleteForm(ActionForm):
    result = _text(_("Result"), rows=5)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Suggestion.Outcome.choices)


class ExtensionRequestForm(ActionForm):
    working_days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=60)
    reason = _text(_("Reason"))


class ExtensionDecideForm(ActionForm):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
    )
    note = _text(_("Note"), required=False, rows=2)


class UrgeForm(ActionForm):
    note = _text(_("Message to the department (optional)"), required=False, rows=2)


class FeedbackForm(ActionForm):
    method = forms.ChoiceField(
        label=_("How the citizen was told"), choices=Suggestion.FeedbackMethod.choices
    )
    note = _text(_("What the citizen was told"))


class ReopenForm(ActionForm):
    note = _text(_("Why it is handled again"), required=False, rows=2)


class CloseForm(ActionForm):
    note = _text(_("Note (optional)"), required=False, rows=2)


class KeyForm(ActionForm):
    is_key = forms.BooleanField(label=_("Key suggestion under supervision"), required=False)


class NoteForm(ActionForm):
    note = _text(_("Note"))
    public = forms.BooleanField(label=_("Show on the citizen's tracking page"), required=False)


class RatingForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=20)
    proof = forms.CharField(widget=forms.HiddenInput, max_length=12)
    rating = forms.ChoiceField(choices=Suggestion.Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Anything you want to add (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- personal data requests (suggestions.privacy) ----------------------------------------------


class DataSubjectLookupForm(forms.Form):
    phone = forms.CharField(
        label=_("The citizen's phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])


class DataRequestForm(DataSubjectLookupForm):
    """A citizen's request to see, correct or delete their data, and the answer given."""

    station = forms.ModelChoiceField(label=_("Station asked"), queryset=Station.objects.none())
    kind = forms.ChoiceField(
        label=_("The citizen asks to"), choices=DataRequest.Kind.choices, widget=forms.RadioSelect
    )
    suggestions = forms.ModelMultipleChoiceField(
        label=_("Suggestions concerned"),
        queryset=Suggestion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    requester = forms.CharField(label=_("Who asked"), max_length=50)
    verification = forms.ChoiceField(
        label=_("How identity was checked"), choices=DataRequest.Verification.choices
    )
    verification_note = forms.CharField(
        label=_("Verification note"), max_length=200, required=False
    )
    new_name = forms.CharField(label=_("Correct name"), max_length=20, required=False)
    new_phone = forms.CharField(label=_("Correct phone number"), max_length=30, required=False)
    answer = forms.CharField(
        label=_("Answer given to the citizen"), max_length=2000, widget=forms.Textarea(
            attrs={"rows": 3})
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        stations: QuerySet[Station],
        held: QuerySet[Suggestion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget = forms.HiddenInput()
        cast(forms.ModelChoiceField, self.fields["station"]).queryset = stations
        cast(forms.ModelMultipleChoiceField, self.fields["suggestions"]).queryset = held

    def clean_new_name(self) -> str:
        return self.cleaned_data["new_name"].strip()

    def clean_new_phone(self) -> str:
        raw = self.cleaned_data["new_phone"]
        return normalize_phone(raw) if raw.strip() else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == DataRequest.Kind.CORRECTION and not (
            cleaned.get("new_name") or cleaned.get("new_phone")
        ):
            self.add_error("new_name", _("Give the correct name or phone number."))
        if cleaned.get("verification") == DataRequest.Verification.OTHER and not cleaned.get(
            "verification_note"
        ):
            self.add_error("verification_note", _("Say how the citizen's identity was checked."))
        return cleaned

    def request_input(self) -> RequestInput:
        d = self.cleaned_data
        return RequestInput(
            station=d["station"], phone=d["phone"], kind=d["kind"], requester=d["requester"],
            verification=d["verification"], verification_note=d["verification_note"],
            answer=d["answer"], suggestions=list(d["suggestions"]), new_name=d["new_name"],
            new_phone=d["new_phone"],
        )  # fmt: skip


class BulkAcceptForm(forms.Form):
    """The inbox's ticked suggestions. Whether each may be accepted is the service's to say."""

    ids = forms.TypedMultipleChoiceField(
        label=_("Chosen suggestions"), coerce=int, required=True, widget=forms.MultipleHiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ids"].error_messages = {
            "required": _("Tick at least one suggestion to accept."),
            "invalid_choice": _("“Chosen suggestions” holds an entry that is not a suggestion."),
            "invalid_list": _("“Chosen suggestions” holds an entry that is not a suggestion."),
        }

    def clean_ids(self) -> list[int]:
        ids: list[int] = self.cleaned_data["ids"]
        if len(ids) > 200:
            raise ValidationError(_("At most 200 suggestions at a time, please."), code="too_many")
        return ids

    def full_clean(self) -> None:
        # Any id of the right form is a valid choice; the scope then picks those it reaches.
        values = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        field = cast(forms.TypedMultipleChoiceField, self.fields["ids"])
        field.choices = [(v, v) for v in values if _ID.fullmatch(v)]
        super().full_clean()
