from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.validators import phone_validator

PATH_SEPARATOR = "/"

division_code_validator = RegexValidator(
    r"^\d{6}(\d{3}(\d{3})?)?$",
    _("An administrative division code has 6, 9 or 12 digits."),
)


def child_path(parent: "Region | None", pk: int) -> str:
    """The materialized path of region `pk` placed under `parent` (or at the top)."""
    return f"{parent.path if parent else ''}{pk}{PATH_SEPARATOR}"


class RegionQuerySet(models.QuerySet["Region"]):
    def subtree(self, region: "Region", *, include_self: bool = True) -> "RegionQuerySet":
        """Every region under `region`: one indexed prefix query on the materialized path."""
        qs = self.filter(path__startswith=region.path)
        return qs if include_self else qs.exclude(pk=region.pk)


class Region(models.Model):
    """A node of the administrative tree, kept as a materialized path.

    `parent` is the plain foreign key people and the admin work with; `path` ("1/7/42/") repeats
    the chain of primary keys so that a whole subtree is one `LIKE 'prefix%'` query on an index.
    `stations.services.region_create` / `region_move` keep the two in step.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        CITY = 2, _("city")
        COUNTY = 3, _("county / district")
        TOWNSHIP = 4, _("township / street")
        VILLAGE = 5, _("village / community")

    name = models.CharField(_("name"), max_length=64)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    code = models.CharField(
        _("division code"),
        max_length=12,
        blank=True,
        validators=[division_code_validator],
        help_text=_("Official administrative division code, where known."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(
        _("tree path"), max_length=255, db_index=True, blank=True, editable=False
    )
    depth = models.PositiveSmallIntegerField(_("depth"), default=1, editable=False)
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisors"),
        blank=True,
        related_name="supervised_regions",
        help_text=_("Standing-committee staff who oversee every station in this region."),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="region_code_unique"
            ),
            models.UniqueConstraint(fields=["parent", "name"], name="region_name_unique_in_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="region_top_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        parent = self.parent if self.parent_id else None
        if parent is not None:
            if self.pk and parent.path.startswith(self.path or "\0"):
                message = _("A region cannot be placed under itself or one of its descendants.")
                raise ValidationError({"parent": message})
            if self.level is not None and self.level <= parent.level:
                raise ValidationError(
                    {
                        "level": _("A %(child)s cannot lie under a %(parent)s.")
                        % {"child": self.get_level_display(), "parent": parent.get_level_display()}
                    }
                )
        if self.pk:
            old_path = Region.objects.filter(pk=self.pk).values_list("path", flat=True).first()
            new_path = child_path(parent, self.pk)
            if old_path and old_path != new_path:
                self._check_points_stay_inside(old_path=old_path, new_parent=parent)

    @staticmethod
    def _check_points_stay_inside(*, old_path: str, new_parent: "Region | None") -> None:
        """After a move, every point must still lie inside its station's region."""
        stranded = (
            Station.objects.filter(kind=Station.Kind.POINT, region__path__startswith=old_path)
            .exclude(parent__region__path__startswith=old_path)
            .select_related("parent__region")
        )
        for point in stranded:
            if new_parent is None or not point.parent.region.contains(new_parent):
                raise ValidationError(
                    {
                        "parent": _(
                            "Moving this region would take the point %(point)s outside the region "
                            "of its station %(station)s."
                        )
                        % {"point": point, "station": point.parent}
                    }
                )

    def contains(self, other: "Region") -> bool:
        """True when `other` is this region or lies anywhere under it."""
        return other.path.startswith(self.path)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.split(PATH_SEPARATOR) if part]

    def ancestors(self) -> "RegionQuerySet":
        """This region and everything above it, from the top down, in one query."""
        return Region.objects.filter(pk__in=self.ancestor_ids()).order_by("depth")


class StationQuerySet(models.QuerySet["Station"]):
    def active(self) -> "StationQuerySet":
        return self.filter(is_active=True)

    def in_region(self, region: Region) -> "StationQuerySet":
        return self.filter(region__path__startswith=region.path)


class Station(models.Model):
    """A home (代表之家), station (代表联络站) or point (代表联络点)."""

    class Kind(models.TextChoices):
        HOME = "home", _("representatives' home")
        STATION = "station", _("liaison station")
        POINT = "point", _("liaison point")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STATION)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points",
        help_text=_("A liaison point belongs to a home or station."),
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="stations"
    )
    code = models.CharField(
        _("public code"),
        max_length=12,
        unique=True,
        editable=False,
        help_text=_("Short code used in the station's public address and QR code."),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=200,
        blank=True,
        help_text=_("For example: weekdays 8:30–12:00, 14:30–17:30."),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    head = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("station head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_stations",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        blank=True,
        related_name="managed_stations",
        help_text=_("Administrators who keep this station's records."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], name="station_name_unique_in_region"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stations:detail", kwargs={"code": self.code})

    def clean(self) -> None:
        errors: dict[str, list] = {}
        parent = self.parent if self.parent_id else None
        if self.kind == self.Kind.POINT:
            if parent is None:
                errors.setdefault("parent", []).append(
                    _("A liaison point must belong to a home or station.")
                )
        if parent is not None:
            if self.pk and parent.pk == self.pk:
                errors.setdefault("parent", []).append(_("A station cannot belong to itself."))
            elif parent.kind == self.Kind.POINT:
                errors.setdefault("parent", []).append(
                    _("A liaison point cannot have points of its own; choose a home or station.")
                )
            elif self.kind != self.Kind.POINT:
                errors.setdefault("parent", []).append(
                    _("Only a liaison point belongs to another station; leave this empty.")
                )
            elif self.region_id and not parent.region.contains(self.region):
                errors.setdefault("region", []).append(
                    _("A point's region must lie inside its station's region (%(region)s).")
                    % {"region": parent.region}
                )
        if self.pk and self.kind != self.Kind.POINT and self.region_id:
            outside = self.points.exclude(region__path__startswith=self.region.path)
            if outside.exists():
                errors.setdefault("region", []).append(
                    _("Some of this station's points lie outside that region: %(points)s.")
                    % {"points": "、".join(p.name for p in outside[:5])}
                )
        if self.pk and self.kind == self.Kind.POINT and self.points.exists():
            errors.setdefault("kind", []).append(
                _("This station has points of its own, so it cannot become a point.")
            )
        if errors:
            raise ValidationError(errors)
