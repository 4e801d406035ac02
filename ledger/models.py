from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Export(models.Model):
    """One export of the ledger: who, when, which filter, how many rows, and the file."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

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
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(_("requested"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.created:%Y-%m-%d %H:%M}"


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
