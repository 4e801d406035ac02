from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceptionsConfig(AppConfig):
    name = "receptions"
    verbose_name = _("Reception days")

    def ready(self) -> None:
        from workdays.selectors import calendar_changed

        from . import services

        # A corrected or newly published holiday calendar moves the reception days nobody has
        # built on yet (no rota, no log, no staff change).
        calendar_changed.connect(
            services.reception_days_follow_calendar, dispatch_uid="receptions.follow_calendar"
        )
