from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from liaison.images import process_uploaded_image
from liaison.phones import normalize_phone
from stations.models import Station

from .models import Suggestion
from .selectors import active_themes, addressees_for, villages_for
from .services import Submission

MAX_PHOTOS = 3


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
    village = forms.ModelChoiceField(
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
    addressee = forms.ModelChoiceField(
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

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        self.station = station
        self.fields["village"].queryset = villages_for(station)
        self.fields["addressee"].queryset = addressees_for(station)

    @cached_property
    def offers_villages(self) -> bool:
        """Whether the station's region has villages to choose from (asked when rendering)."""
        return self.fields["village"].queryset.exists()

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean(self):
        cleaned = super().clean()
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
