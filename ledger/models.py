import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.storage import private_storage


class Export(models.Model):
    """One export of the ledger: who, when, which filter, how many rows, and the file."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", pgettext_lazy("export state", "failed")
        # The file was deleted after EXPORT_KEEP_DAYS; the record of the export stays.
        EXPIRED = "expired", _("expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT,
        related_name="ledger_exports",
    )  # fmt: skip
    kind = models.CharField(_("ledger"), max_length=20, default="suggestions")
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    filters = models.JSONField(_("filter"), default=dict)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(_("rows expected"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(
        _("file"), upload_to="exports/%Y/%m/", storage=private_storage, blank=True
    )
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(_("requested"), auto_now_add=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.created:%Y-%m-%d %H:%M}"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def percent(self) -> int | None:
        """How far a running export is, 0–100; None while the number of rows is not known."""
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.rows * 100 // self.total)

    @property
    def expires(self):
        """When the file will be deleted (EXPORT_KEEP_DAYS after it was written)."""
        if self.finished is None:
            return None
        return self.finished + dt.timedelta(days=settings.EXPORT_KEEP_DAYS)


class Withholding(models.Model):
    """Staff keep a completed suggestion off the public notice (公示), with a reason."""

    suggestion = models.OneToOneField(
        "suggestions.Suggestion", verbose_name=_("suggestion"), on_delete=models.CASCADE,
        related_name="withholding",
    )  # fmt: skip
    reason = models.CharField(_("reason"), max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("withheld from the public notice")
        verbose_name_plural = _("withheld from the public notice")

    def __str__(self) -> str:
        return f"{self.suggestion_id}: {self.reason}"


# --- Statistics summaries ---------------------------------------------------------------------
# Derived data only: ledger.statistics.summaries rebuilds them from the suggestions, reception
# days and duty logs (nightly for past months, every ten minutes for months that changed). Nothing
# else writes them and nothing is lost by deleting them; the dashboard falls back to live counts
# meanwhile.


class RegionMonthSummary(models.Model):
    """One region's figures for one calendar month, its whole subtree included.

    Suggestions count in the month they were received (created), with the state they are in at
    the last refresh; reception figures count in the month of the reception day. A province's
    year is then twelve rows, not a million suggestions.
    """

    region = models.ForeignKey(
        "stations.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    received = models.PositiveIntegerField(default=0)
    status_received = models.PositiveIntegerField(default=0)
    status_accepted = models.PositiveIntegerField(default=0)
    status_rejected = models.PositiveIntegerField(default=0)
    status_merged = models.PositiveIntegerField(default=0)
    status_assigned = models.PositiveIntegerField(default=0)
    status_in_handling = models.PositiveIntegerField(default=0)
    status_completed = models.PositiveIntegerField(default=0)
    status_fed_back = models.PositiveIntegerField(default=0)
    status_closed = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    raised = models.PositiveIntegerField(default=0)
    channel_qr = models.PositiveIntegerField(default=0)
    channel_web = models.PositiveIntegerField(default=0)
    channel_walk_in = models.PositiveIntegerField(default=0)
    channel_phone = models.PositiveIntegerField(default=0)
    channel_reception = models.PositiveIntegerField(default=0)
    route_on_site = models.PositiveIntegerField(default=0)
    route_township = models.PositiveIntegerField(default=0)
    route_county = models.PositiveIntegerField(default=0)
    route_explained = models.PositiveIntegerField(default=0)
    outcome_a = models.PositiveIntegerField(default=0)
    outcome_b = models.PositiveIntegerField(default=0)
    outcome_c = models.PositiveIntegerField(default=0)
    outcome_d = models.PositiveIntegerField(default=0)
    rating_satisfied = models.PositiveIntegerField(default=0)
    rating_basically = models.PositiveIntegerField(default=0)
    rating_unsatisfied = models.PositiveIntegerField(default=0)
    with_deadline = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    days_total = models.PositiveIntegerField(default=0)
    days_counted = models.PositiveIntegerField(default=0)
    receptions_held = models.PositiveIntegerField(default=0)
    visitor_batches = models.PositiveIntegerField(default=0)
    visitors = models.PositiveIntegerField(default=0)
    duties_done = models.PositiveIntegerField(default=0)
    receptions_logged = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly statistics of a region")
        verbose_name_plural = _("monthly statistics of regions")
        constraints = [
            models.UniqueConstraint(fields=["region", "month"], name="region_month_summary_once")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m}"


class RegionMonthBreakdown(models.Model):
    """Suggestions of a region and month by theme, or by lead department."""

    class Dimension(models.TextChoices):
        THEME = "theme", _("theme")
        DEPARTMENT = "department", _("department")

    region = models.ForeignKey(
        "stations.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))
    dimension = models.CharField(_("broken down by"), max_length=10, choices=Dimension.choices)
    key = models.PositiveIntegerField(_("theme or department"))
    received = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("monthly breakdown of a region")
        verbose_name_plural = _("monthly breakdowns of regions")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "month", "dimension", "key"], name="region_month_breakdown_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m} {self.dimension}:{self.key}"


class SummaryMonth(models.Model):
    """A month whose summaries are built, and when the refresh that built them started.

    The current month is summarised up to `until` (today, at the time of the refresh): the
    dashboard counts only what was received from then on live.
    """

    month = models.DateField(_("month"), unique=True)
    refreshed = models.DateTimeField(_("refreshed"))
    until = models.DateField(
        _("counted until"),
        null=True,
        blank=True,
        help_text=_("Only what happened before this day is counted; empty: the whole month."),
    )

    class Meta:
        verbose_name = _("summarised month")
        verbose_name_plural = _("summarised months")
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
