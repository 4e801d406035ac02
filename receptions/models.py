"""Reception days (接待日): the rules a station keeps, the days they give, who is on duty, and
what happened. Days are generated from rules ahead of time; a day that has a rota or a log is
never moved or removed by regeneration."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.storage import private_storage


class ReceptionRule(models.Model):
    """A station's standing rule, e.g. "the 10th of each month, moved to the next working day"."""

    class Kind(models.TextChoices):
        MONTHLY_DAY = "monthly_day", _("a day of each month")
        NTH_WEEKDAY = "nth_weekday", _("a weekday of a week of each month")
        EVERY_K_MONTHS = "every_k_months", _("a day every few months")

    class HolidayPolicy(models.TextChoices):
        NEXT_WORKING_DAY = "next", _("move to the next working day (节假日顺延)")
        SKIP = "skip", _("skip that month")
        KEEP = "keep", _("keep the date")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), on_delete=models.CASCADE,
        related_name="reception_rules",
    )  # fmt: skip
    kind = models.CharField(_("kind of rule"), max_length=16, choices=Kind.choices)
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"), null=True, blank=True,
        help_text=_(
            "For “a day of each month” and “a day every few months”: 1–31 "
            "(a short month uses its last day)."
        ),
    )  # fmt: skip
    week_of_month = models.SmallIntegerField(
        _("week of the month"), null=True, blank=True,
        help_text=_("For “a weekday of a week”: 1–5, or -1 for the last."),
    )  # fmt: skip
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=Weekday.choices, null=True, blank=True
    )
    interval_months = models.PositiveSmallIntegerField(
        _("every how many months"), default=1,
        help_text=_("For “a day every few months”, counted from the start date's month."),
    )  # fmt: skip
    holiday_policy = models.CharField(
        _("on holidays and weekends"), max_length=6, choices=HolidayPolicy.choices,
        default=HolidayPolicy.NEXT_WORKING_DAY,
    )  # fmt: skip
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Empty: the station's address.")
    )
    default_theme = models.CharField(_("default theme"), max_length=100, blank=True)
    duty_representatives = models.PositiveSmallIntegerField(_("representatives on duty"), default=2)
    duty_leaders = models.PositiveSmallIntegerField(_("leaders on duty"), default=1)
    start_date = models.DateField(_("valid from"))
    end_date = models.DateField(_("valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reception rule")
        verbose_name_plural = _("reception rules")
        ordering = ["station", "pk"]

    def __str__(self) -> str:
        return f"{self.station} · {self.get_kind_display()}"


class ReceptionDay(models.Model):
    """One reception day (接待日) at a station."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CANCELLED = "cancelled", _("cancelled")
        HELD = "held", _("held")

    station = models.ForeignKey(
        "stations.Station", verbose_name=_("station"), on_delete=models.CASCADE,
        related_name="reception_days",
    )  # fmt: skip
    rule = models.ForeignKey(
        ReceptionRule, verbose_name=_("rule"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="days",
    )  # fmt: skip
    # The date the rule names before any holiday move: what regeneration matches on.
    nominal_date = models.DateField(_("date by the rule"), null=True, blank=True)
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    change_reason = models.CharField(
        _("reason for the change"), max_length=200, blank=True,
        help_text=_("Shown publicly when a day is moved or cancelled."),
    )  # fmt: skip
    moved_by_staff = models.BooleanField(_("moved by staff"), default=False)
    provisional = models.BooleanField(
        _("provisional"), default=False,
        help_text=_("Worked out from a year whose official holiday calendar is not published yet."),
    )  # fmt: skip
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["station", "date"], name="reception_day_station_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "nominal_date"],
                condition=Q(rule__isnull=False),
                name="reception_day_once_per_rule_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.date}"


class Duty(models.Model):
    """A representative (or the responsible leader) on duty on a reception day (值班)."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("representative on duty")
        LEADER = "leader", _("leader on duty")

    day = models.ForeignKey(
        ReceptionDay, verbose_name=_("reception day"), on_delete=models.CASCADE,
        related_name="duties",
    )  # fmt: skip
    representative = models.ForeignKey(
        "representatives.Representative", verbose_name=_("representative"),
        on_delete=models.PROTECT, related_name="duties",
    )  # fmt: skip
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duty rota")
        ordering = ["day", "-role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["day", "representative"], name="duty_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.representative} ({self.get_role_display()})"


class Unavailability(models.Model):
    """A representative cannot take duty for a while (travel, illness, sessions)."""

    representative = models.ForeignKey(
        "representatives.Representative", verbose_name=_("representative"),
        on_delete=models.CASCADE, related_name="unavailabilities",
    )  # fmt: skip
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        ordering = ["start_date"]

    def __str__(self) -> str:
        return f"{self.representative} {self.start_date}–{self.end_date}"


class SwapRequest(models.Model):
    """A representative asks to swap a duty; staff approve or refuse."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    duty = models.ForeignKey(
        Duty, verbose_name=_("duty"), on_delete=models.CASCADE, related_name="swap_requests"
    )
    replacement = models.ForeignKey(
        "representatives.Representative", verbose_name=_("proposed replacement"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.duty} ⇄ {self.replacement or '?'}"


class DutyLog(models.Model):
    """What happened on a held reception day, recorded by a representative on duty."""

    day = models.OneToOneField(
        ReceptionDay, verbose_name=_("reception day"), on_delete=models.CASCADE, related_name="log"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    attendees = models.ManyToManyField(
        "representatives.Representative", verbose_name=_("representatives present"),
        related_name="attended_receptions",
    )  # fmt: skip
    visitor_batches = models.PositiveIntegerField(_("visitor groups (批次)"), default=0)
    visitors = models.PositiveIntegerField(_("visitors (人次)"), default=0)
    summary = models.TextField(_("summary"), max_length=5000)
    created = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("duty log")
        verbose_name_plural = _("duty logs")
        ordering = ["-day__date"]

    def __str__(self) -> str:
        return f"{self.day}"


class DutyLogPhoto(models.Model):
    log = models.ForeignKey(
        DutyLog, verbose_name=_("duty log"), on_delete=models.CASCADE, related_name="photos"
    )
    # Private like citizens' photos: visitors are in them. Shown through the receptions ledger.
    image = models.ImageField(_("photo"), upload_to="receptions/%Y/%m/", storage=private_storage)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.image.name

    def get_absolute_url(self) -> str:
        return reverse("ledger:reception_photo", args=[self.log_id, self.pk])


class Reminder(models.Model):
    """A reminder sent about a reception day: at most one per day, recipient and kind."""

    class Kind(models.TextChoices):
        DUTY_3_DAYS = "duty_3", _("duty in 3 days")
        DUTY_1_DAY = "duty_1", _("duty tomorrow")
        ROTA_INCOMPLETE = "rota_incomplete", _("rota incomplete a week before")
        LOG_MISSING = "log_missing", _("no duty log two days after")

    day = models.ForeignKey(
        ReceptionDay, verbose_name=_("reception day"), on_delete=models.CASCADE,
        related_name="reminders",
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # A representative's user, or a station staff member.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    representative = models.ForeignKey(
        "representatives.Representative", verbose_name=_("representative"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    recipient_key = models.CharField(
        _("recipient key"), max_length=40,
        help_text=_("user:<id> or rep:<id>: who the reminder is for."),
    )  # fmt: skip
    created = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "recipient_key", "kind"], name="reminder_once_per_day_recipient_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} · {self.get_kind_display()} · {self.recipient_key}"
