from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        # Django's own signals (logins, admin log entries, group and permission changes) and,
        # when django-axes is installed, its lockout signal.
        from . import receivers

        receivers.connect()
