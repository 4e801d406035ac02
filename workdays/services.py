"""Every write to the working-day calendar: staff overrides and published years. Each one
validates, saves, and calls `workdays.selectors.note_change`, so this thread sees the change at
once and every process (and the `calendar_changed` receivers) after commit.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from .models import DayOverride, PublishedYear
from .selectors import note_change


@transaction.atomic
def override_save(*, override: DayOverride) -> DayOverride:
    """Create or change an override; moving it to another date changes both years."""
    override.full_clean()
    years = {override.date.year}
    if override.pk is not None:
        old_date = (
            DayOverride.objects.select_for_update()
            .filter(pk=override.pk)
            .values_list("date", flat=True)
            .first()
        )
        if old_date is not None:
            years.add(old_date.year)
    override.save()
    note_change(sender=DayOverride, years=years)
    return override


@transaction.atomic
def override_delete(*, override: DayOverride) -> None:
    year = override.date.year
    override.delete()
    note_change(sender=DayOverride, years={year})


@transaction.atomic
def overrides_delete(*, overrides: QuerySet[DayOverride] | Iterable[DayOverride]) -> int:
    """Delete many overrides as one change (one signal for all their years)."""
    pks = [override.pk for override in overrides]
    doomed = DayOverride.objects.filter(pk__in=pks)
    years = {day.year for day in doomed.values_list("date", flat=True)}
    deleted, _per_model = doomed.delete()
    if deleted:
        note_change(sender=DayOverride, years=years)
    return deleted


@transaction.atomic
def published_year_save(*, published_year: PublishedYear) -> PublishedYear:
    """Mark a year published: its dates become firm and its estimated holidays are dropped."""
    published_year.full_clean()
    years = {published_year.year}
    if published_year.pk is not None:
        old_year = (
            PublishedYear.objects.select_for_update()
            .filter(pk=published_year.pk)
            .values_list("year", flat=True)
            .first()
        )
        if old_year is not None:
            years.add(old_year)
    published_year.save()
    note_change(sender=PublishedYear, years=years)
    return published_year


@transaction.atomic
def published_year_delete(*, published_year: PublishedYear) -> None:
    """Make a year provisional again (its dates fall back to the estimate)."""
    year = published_year.year
    published_year.delete()
    note_change(sender=PublishedYear, years={year})
