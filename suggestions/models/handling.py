"""Who handles suggestions and how: departments, their tasks, extensions, time limits, reply
templates, and the phone access log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .suggestion import Suggestion


class Department(models.Model):
    """A township government office or a county department that handles suggestions."""

    class Level(models.TextChoices):
        TOWNSHIP = "township", _("township government")
        COUNTY = "county", _("county department")

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(
        "stations.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="departments",
    )
    handlers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handlers"),
        blank=True,
        related_name="departments",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="department_name_unique_in_region"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DepartmentTask(models.Model):
    """A suggestion handed to one department, as lead (主办) or co-handler (协办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("lead")
        CO = "co", _("co-handling")

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("waiting to be signed for")
        SIGNED = "signed", _("signed for")
        HANDED_BACK = "handed_back", _("handed back")
        DONE = "done", _("done")

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="tasks"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="tasks"
    )
    role = models.CharField(_("role"), max_length=4, choices=Role.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.ASSIGNED
    )
    note = models.TextField(_("note"), blank=True)
    created = models.DateTimeField(_("assigned"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("department task")
        verbose_name_plural = _("department tasks")
        ordering = ["-role", "pk"]
        indexes = [models.Index(fields=["department", "state"], name="task_department_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=models.Q(role="lead") & ~models.Q(state="handed_back"),
                name="task_one_active_lead",
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} ({self.get_role_display()})"


class ExtensionRequest(models.Model):
    """A department asks for more time (申请延期); the station decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    working_days = models.PositiveSmallIntegerField(_("extra working days"))
    reason = models.TextField(_("reason"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    decision_note = models.TextField(_("decision note"), blank=True)
    created = models.DateTimeField(_("requested"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} +{self.working_days}"


class HandlingTimeLimit(models.Model):
    """How many working days a route may take in a region (the nearest region up the tree wins)."""

    region = models.ForeignKey(
        "stations.Region", verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    route = models.CharField(_("route"), max_length=12, choices=Suggestion.Route.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        verbose_name = _("handling time limit")
        verbose_name_plural = _("handling time limits")
        constraints = [
            models.UniqueConstraint(fields=["region", "route"], name="time_limit_unique_route")
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.get_route_display()}: {self.working_days}"


class ReplyTemplate(models.Model):
    """Ready wording for public replies, per route and step, with {station}-style placeholders."""

    name = models.CharField(_("name"), max_length=60)
    route = models.CharField(
        _("route"), max_length=12, choices=Suggestion.Route.choices, blank=True
    )
    step = models.CharField(_("step"), max_length=20, choices=Suggestion.Status.choices)
    text = models.TextField(
        _("text"),
        help_text=_("Placeholders: {station}, {department}, {deadline}, {tracking_code}."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        ordering = ["step", "route", "name"]

    def __str__(self) -> str:
        return self.name


class PhoneAccess(models.Model):
    """Every time a handler unmasks a citizen's phone number."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("phone number access")
        verbose_name_plural = _("phone number access log")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} → {self.suggestion_id}"
