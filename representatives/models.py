import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.validators import phone_validator


class Representative(models.Model):
    """A people's congress representative, or a street deliberation representative."""

    class Level(models.IntegerChoices):
        NATIONAL = 1, _("national representative")
        PROVINCIAL = 2, _("provincial representative")
        CITY = 3, _("city representative")
        COUNTY = 4, _("county representative")
        TOWNSHIP = 5, _("township representative")
        STREET = 6, _("street deliberation representative")

    name = models.CharField(_("name"), max_length=40)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    position = models.CharField(
        _("position"),
        max_length=100,
        blank=True,
        help_text=_("For example: party secretary of Bai'e village."),
    )
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    photo = models.ImageField(_("photo"), upload_to="representatives/", blank=True)
    phone = models.CharField(
        _("contact phone"), max_length=40, blank=True, validators=[phone_validator]
    )
    show_phone = models.BooleanField(
        _("show phone publicly"),
        default=False,
        help_text=_("Only with the representative's consent."),
    )
    bio = models.TextField(_("short biography"), max_length=1000, blank=True)
    term = models.CharField(
        _("term"),
        max_length=40,
        blank=True,
        help_text=_("For example: the 17th county people's congress."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="representative",
        help_text=_("Lets the representative log in, e.g. to record duty-day receptions."),
    )
    code = models.CharField(_("public code"), max_length=12, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Who entered the record: until the representative is assigned to a station, only they (and
    # superusers) reach it, so a new record and its private phone are not open to every station.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["level", "name"]
        indexes = [models.Index(fields=["name"], name="representative_name_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("representatives:detail", kwargs={"code": self.code})

    @property
    def public_phone(self) -> str:
        return self.phone if self.show_phone else ""


def current_assignment_q(on: datetime.date, prefix: str = "") -> Q:
    """The assignment runs on `on`: started, and not ended before it. `prefix` reaches it from
    another model (`assignments__` from a station)."""
    return Q(**{f"{prefix}start_date__lte": on}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": on})
    )


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def current(self, on: datetime.date | None = None) -> "AssignmentQuerySet":
        return self.filter(current_assignment_q(on or timezone.localdate()))

    def overlapping(self, start: datetime.date, end: datetime.date | None) -> "AssignmentQuerySet":
        qs = self.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        return qs if end is None else qs.filter(start_date__lte=end)


class Assignment(models.Model):
    """A representative assigned (编入) to a station for a span of time."""

    class Role(models.TextChoices):
        STATIONED = "stationed", _("stationed representative")
        POINT_LEADER = "point_leader", _("point leader")

    representative = models.ForeignKey(
        Representative,
        verbose_name=_("representative"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STATIONED)
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["station", "representative__level", "representative__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assignment_ends_after_start",
            ),
            # The database's own guard against two open-ended assignments of the same pair;
            # clean() refuses every other overlap with a readable message.
            models.UniqueConstraint(
                fields=["representative", "station"],
                condition=Q(end_date__isnull=True),
                name="assignment_one_open_per_station",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative} → {self.station}"

    def clean(self) -> None:
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if not (self.station_id and self.start_date):
            return
        from stations.models import Station

        others = Assignment.objects.exclude(pk=self.pk).overlapping(self.start_date, self.end_date)
        if self.role == self.Role.POINT_LEADER:
            if self.station.kind != Station.Kind.POINT:
                raise ValidationError({"role": _("Only a liaison point has a point leader.")})
            leader = (
                others.filter(station_id=self.station_id, role=self.Role.POINT_LEADER)
                .exclude(representative_id=self.representative_id)
                .select_related("representative")
                .first()
            )
            if leader:
                raise ValidationError(
                    {
                        "role": _(
                            "%(point)s already has a point leader for this period: %(leader)s."
                        )
                        % {"point": self.station, "leader": leader.representative}
                    }
                )
        if (
            self.representative_id
            and others.filter(
                representative_id=self.representative_id, station_id=self.station_id
            ).exists()
        ):
            raise ValidationError(
                _("%(representative)s is already assigned to %(station)s for part of this period.")
                % {"representative": self.representative, "station": self.station}
            )

    def validate_constraints(self, exclude=None) -> None:
        # clean() refuses every overlapping assignment with names and dates; the open-ended
        # uniqueness constraint stays the database's guard without repeating that message.
        super().validate_constraints(exclude={*(exclude or ()), "representative"})

    def overlaps(self, other: "Assignment") -> bool:
        """True when the two spans share at least one day (open ends run forever)."""
        if self.end_date and other.start_date and other.start_date > self.end_date:
            return False
        if other.end_date and self.start_date and self.start_date > other.end_date:
            return False
        return True
