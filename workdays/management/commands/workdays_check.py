import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workdays.models import PublishedYear
from workdays.selectors import LIBRARY_YEARS, ONE_DAY, DayInfo, Source, day_info

SOURCE_LABELS = {
    Source.OVERRIDE: gettext_lazy("staff entry"),
    Source.OFFICIAL: gettext_lazy("official"),
    Source.ESTIMATE: gettext_lazy("estimate"),
}


class Command(BaseCommand):
    # Lazy, so that --help speaks the active language; the stubs expect a plain str.
    help = gettext_lazy(  # type: ignore[assignment]
        "Print every holiday and make-up working day of a year as the working-day calendar sees "
        "it, and whether the year is provisional. Run it after entering a holiday notice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("year", type=int)

    def handle(self, *args: Any, year: int, **options: Any) -> None:
        if not 1 <= year <= 9999:
            raise CommandError(_("The year must lie between 1 and 9999."))
        days: list[DayInfo] = []
        day = dt.date(year, 1, 1)
        while day.year == year:
            days.append(day_info(day))
            if day == dt.date.max:
                break
            day += ONE_DAY

        self.stdout.write(self._status(year, provisional=days[0].provisional))
        off = [info for info in days if info.is_holiday]
        makeup = [info for info in days if info.is_makeup_workday]
        self.stdout.write(_("Days off (休):"))
        self._list(off)
        self.stdout.write(_("Make-up working days (班):"))
        self._list(makeup)
        self.stdout.write(
            _(
                "%(off)d days off besides ordinary weekends, %(makeup)d make-up working days, "
                "%(working)d working days in all."
            )
            % {
                "off": len(off),
                "makeup": len(makeup),
                "working": sum(info.is_working for info in days),
            }
        )

    def _status(self, year: int, *, provisional: bool) -> str:
        if year in LIBRARY_YEARS:
            return self.style.SUCCESS(
                _(
                    "%(year)s: official calendar built into the software "
                    "(it covers %(first)s–%(last)s)."
                )
                % {"year": year, "first": LIBRARY_YEARS[0], "last": LIBRARY_YEARS[-1]}
            )
        if not provisional:
            published = PublishedYear.objects.filter(year=year).first()
            note = published.note if published else ""
            return self.style.SUCCESS(
                _(
                    "%(year)s: published by staff (%(note)s). Days without an entry are ordinary "
                    "weekdays and weekends."
                )
                % {"year": year, "note": note or "—"}
            )
        return self.style.WARNING(
            _(
                "%(year)s is PROVISIONAL: no official calendar yet. Weekends and the expected "
                "statutory holidays are days off; no make-up working days are assumed."
            )
            % {"year": year}
        )

    def _list(self, days: list[DayInfo]) -> None:
        if not days:
            self.stdout.write("  " + _("(none)"))
        for info in days:
            self.stdout.write(
                f"  {info.date:%Y-%m-%d} {WEEKDAYS[info.date.weekday()]}  "
                f"{info.label or '—'}  [{SOURCE_LABELS[info.source]}]"
            )
