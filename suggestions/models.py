from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TRACKING_CODE_LENGTH = 8


class Theme(models.Model):
    """What a suggestion is about; staff keep the list in the admin."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Suggestion(models.Model):
    """An opinion or suggestion (意见建议) from a citizen, and everything done with it."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")

    class Channel(models.TextChoices):
        QR = "qr", _("QR code")
        WEB = "web", _("website")
        WALK_IN = "walk_in", _("walk-in")
        PHONE = "phone", _("phone call")
        RECEPTION = "reception", _("reception day")

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    village = models.ForeignKey(
        "stations.Region",
        verbose_name=_("village / community"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="suggestions"
    )
    title = models.CharField(_("title"), max_length=60)
    content = models.TextField(_("content"), max_length=2000)
    name = models.CharField(_("name"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    addressee = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    tracking_code = models.CharField(
        _("tracking code"), max_length=TRACKING_CODE_LENGTH, unique=True, editable=False
    )
    # Anonymous submitters get a secret instead of the phone's last digits; only its HMAC is kept.
    secret_digest = models.CharField(max_length=64, blank=True, editable=False)
    # The form's one-time token: a double click or a resubmit finds the suggestion already made.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_suggestions",
    )
    created = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["station", "-created"], name="suggestion_station_created"),
            models.Index(fields=["status", "-created"], name="suggestion_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.display_tracking_code} {self.title}"

    @property
    def display_tracking_code(self) -> str:
        """Grouped for reading aloud: 7K3M-9QXP."""
        code = self.tracking_code
        return f"{code[:4]}-{code[4:]}" if len(code) == TRACKING_CODE_LENGTH else code


def photo_path(instance: "SuggestionPhoto", filename: str) -> str:
    suggestion = instance.suggestion
    return f"suggestions/{suggestion.created:%Y/%m}/{suggestion.tracking_code}-{filename}"


class SuggestionPhoto(models.Model):
    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=photo_path)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name


class SuggestionEvent(models.Model):
    """One step in a suggestion's history. Append-only: written by the services, never edited."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="events"
    )
    old_status = models.CharField(_("from"), max_length=20, blank=True)
    new_status = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown to the citizen on the tracking page.")
    )
    created = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return f"{self.suggestion_id}: {self.old_status or '—'} → {self.new_status}"
