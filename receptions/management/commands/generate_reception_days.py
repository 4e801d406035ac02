from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from liaison.codes import normalize_code
from liaison.months import add_months
from receptions.services import GenerationReport, generation_horizon, reception_days_generate
from stations.models import Station


class Command(BaseCommand):
    help = (
        "Generate reception days from the stations' rules up to the horizon "
        "(RECEPTION_HORIZON_MONTHS, or --months). Safe to run again: no day is duplicated, and "
        "a day with a rota, a log or a staff change is never moved."
    )

    def add_arguments(self, parser):
        parser.add_argument("--station", metavar="CODE", help="only this station's rules")
        parser.add_argument(
            "--months", type=int, metavar="N", help="months ahead (default: the setting)"
        )

    def handle(
        self, *args: Any, station: str | None = None, months: int | None = None, **options: Any
    ) -> None:
        target = None
        if station:
            target = Station.objects.filter(code=normalize_code(station)).first()
            if target is None:
                raise CommandError(f"No station has the code {station!r}.")
        if months is not None and months < 0:
            raise CommandError("--months cannot be negative.")
        today = timezone.localdate()
        until = add_months(today, months) if months is not None else generation_horizon(today)
        report = GenerationReport()
        reception_days_generate(station=target, until=until, report=report)
        self.stdout.write(
            f"Reception days until {until:%Y-%m-%d}: {report.created} created, "
            f"{report.updated} updated, {report.removed} removed; "
            f"{report.kept} left alone because they have a rota or a log."
        )
