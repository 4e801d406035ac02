from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from . import selectors

        post_migrate.connect(
            selectors.forget_snapshot_on_migrate, sender=self, dispatch_uid="workdays.snapshot"
        )
