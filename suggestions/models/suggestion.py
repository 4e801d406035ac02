"""The suggestion itself: its themes, photos and history, and the overdue rule."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.storage import private_storage

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


def format_tracking_code(code: str) -> str:
    """A tracking code grouped for reading aloud: 7K3M-9QXP. The one place the format is made."""
    return f"{code[:4]}-{code[4:]}" if len(code) == TRACKING_CODE_LENGTH else code


class SuggestionQuerySet(models.QuerySet["Suggestion"]):
    def open(self) -> "SuggestionQuerySet":
        """Suggestions whose handling clock is running (accepted, assigned, being handled)."""
        return self.filter(status__in=Suggestion.OPEN_STATUSES)

    def overdue(self, today: dt.date) -> "SuggestionQuerySet":
        return self.filter(Suggestion.overdue_q(today))

    def not_overdue(self, today: dt.date) -> "SuggestionQuerySet":
        return self.exclude(Suggestion.overdue_q(today))

    def with_overdue(self, today: dt.date) -> "SuggestionQuerySet":
        """Each row carries `overdue_on_day` (bool), for rows read with values()/values_list().
        A CASE rather than the bare condition: a NULL deadline must read False, not NULL."""
        return self.annotate(
            overdue_on_day=models.Case(
                models.When(Suggestion.overdue_q(today), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class Suggestion(models.Model):
    """An opinion or suggestion (意见建议) from a citizen, and everything done with it."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("not accepted")
        MERGED = "merged", _("merged into another")
        ASSIGNED = "assigned", _("assigned to a department")
        IN_HANDLING = "in_handling", _("being handled")
        COMPLETED = "completed", _("completed")
        FED_BACK = "fed_back", _("result given to the citizen")
        CLOSED = "closed", _("closed")

    # States in which the clock runs against the handling deadline ("open").
    OPEN_STATUSES = (Status.ACCEPTED, Status.ASSIGNED, Status.IN_HANDLING)
    FINISHED_STATUSES = (Status.COMPLETED, Status.FED_BACK, Status.CLOSED)

    class Route(models.TextChoices):
        ON_SITE = "on_site", _("resolved on site")
        TOWNSHIP = "township", _("referred to the township government")
        COUNTY = "county", _("escalated to county departments")
        EXPLAINED = "explained", _("explained and declined")

    class Outcome(models.TextChoices):
        A = "A", _("A: solved or basically solved")
        B = "B", _("B: being solved")
        C = "C", _("C: planned for solution")
        D = "D", _("D: kept for reference, with an explanation")

    class FeedbackMethod(models.TextChoices):
        PHONE = "phone", _("by phone")
        IN_PERSON = "in_person", _("in person")
        NOTICE = "notice", _("by public notice")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("satisfied")
        BASICALLY = "basically", _("basically satisfied")
        UNSATISFIED = "unsatisfied", _("not satisfied")

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
    # Set when the personal fields were cleared (retention or a citizen's deletion request); the
    # retention task claims rows by this staying NULL, so a second run finds nothing to do.
    anonymised_at = models.DateTimeField(_("personal data removed"), null=True, blank=True)
    reception_day = models.ForeignKey(
        "receptions.ReceptionDay",
        verbose_name=_("reception day"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text=_("For suggestions raised at a reception."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registered_suggestions",
    )
    # Handling: filled in by the services as the suggestion moves along.
    route = models.CharField(_("route"), max_length=12, choices=Route.choices, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    deadline_provisional = models.BooleanField(
        _("deadline provisional"),
        default=False,
        help_text=_("Computed from a year whose official holiday calendar is not published yet."),
    )
    result = models.TextField(_("result"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=1, choices=Outcome.choices, blank=True)
    decided_by = models.CharField(
        _("decided by"),
        max_length=100,
        blank=True,
        help_text=_("Who decided an explained decline, as told to the citizen."),
    )
    refer_to = models.CharField(
        _("where else to turn"),
        max_length=200,
        blank=True,
        help_text=_("Where the matter belongs, e.g. the court, arbitration, the petitions office."),
    )
    feedback_method = models.CharField(
        _("feedback method"), max_length=12, choices=FeedbackMethod.choices, blank=True
    )
    feedback_note = models.TextField(_("what the citizen was told"), blank=True)
    rating = models.CharField(_("satisfaction"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("citizen's comment"), blank=True, max_length=500)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    rejection_reason = models.TextField(_("reason not accepted"), blank=True)
    urge_count = models.PositiveIntegerField(_("urges"), default=0)
    is_key = models.BooleanField(_("key suggestion under supervision"), default=False)
    key_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_suggestions",
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    fed_back_at = models.DateTimeField(_("result given"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    created = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = SuggestionQuerySet.as_manager()

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

    # --- the overdue rule: its one home. The condition in SQL and the same condition for one
    # loaded suggestion; tests/suggestions/test_rules.py pins that the two agree.
    @staticmethod
    def overdue_q(today: dt.date, prefix: str = "") -> Q:
        """Still open (the clock runs) and past its deadline, on `today`.

        `prefix` reaches the suggestion from another model: `suggestion__`.
        """
        open_ = Suggestion.OPEN_STATUSES
        return Q(**{f"{prefix}status__in": open_, f"{prefix}deadline__lt": today})

    @staticmethod
    def overdue_on(*, status: str, deadline: dt.date | None, today: dt.date) -> bool:
        """The same rule for values already read (an export row, a ledger row)."""
        return deadline is not None and status in Suggestion.OPEN_STATUSES and deadline < today

    @property
    def is_open(self) -> bool:
        """The handling clock runs (the same states as `Suggestion.objects.open()`)."""
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        today = timezone.localdate()
        return self.overdue_on(status=self.status, deadline=self.deadline, today=today)

    @property
    def is_due_soon(self) -> bool:
        """Open, not yet overdue, and within DUE_SOON_WORKING_DAYS working days of its deadline."""
        from ..deadlines import is_due_soon

        return is_due_soon(self, today=timezone.localdate())

    @property
    def display_tracking_code(self) -> str:
        """Grouped for reading aloud: 7K3M-9QXP."""
        return format_tracking_code(self.tracking_code)


def photo_path(instance: "SuggestionPhoto", filename: str) -> str:
    suggestion = instance.suggestion
    return f"suggestions/{suggestion.created:%Y/%m}/{suggestion.tracking_code}-{filename}"


class SuggestionPhoto(models.Model):
    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="photos"
    )
    # Private: a citizen's photo may show their house, their face or a neighbour's; it reaches
    # only those who may see the suggestion, through the workbench's photo view.
    image = models.ImageField(_("photo"), upload_to=photo_path, storage=private_storage)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.image.name

    def get_absolute_url(self) -> str:
        return reverse("workbench:photo", args=[self.suggestion_id, self.pk])


class SuggestionEvent(models.Model):
    """One step in a suggestion's history. Append-only: written by the services, never edited."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=30, blank=True)
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
