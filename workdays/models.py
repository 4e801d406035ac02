from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DayOverride(models.Model):
    """A date whose status staff set by hand: a holiday (休) or a make-up working day (班).

    Overrides win over everything else. Staff use them to enter the State Council's holiday
    notice for a year the calendar library does not cover yet, or to correct the library.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Day off (休)")
        WORKDAY = "workday", _("Make-up working day (班)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("holiday name"),
        max_length=50,
        blank=True,
        help_text=_("The holiday the day belongs to, as the notice names it, e.g. 春节."),
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("Where the day comes from, e.g. the notice's title or a local decision."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["holiday", "workday"]), name="workdays_override_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{self.date:%Y-%m-%d} {label} {self.name}".rstrip()

    @property
    def is_working(self) -> bool:
        return self.kind == self.Kind.WORKDAY


class PublishedYear(models.Model):
    """A year whose official holiday arrangement staff have entered completely as overrides.

    From then on the year's dates are firm: days without an override are plain weekdays and
    weekends, and the estimated holidays are no longer used.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(1900), MaxValueValidator(2999)]
    )
    note = models.CharField(
        _("notice"),
        max_length=200,
        blank=True,
        help_text=_(
            "The notice the holidays come from, e.g. the State Council General Office's notice "
            "on the holiday arrangements for the year."
        ),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("published year")
        verbose_name_plural = _("published years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)
