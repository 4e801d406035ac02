from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and sessions")

    def ready(self) -> None:
        from django.contrib.auth.models import User
        from django.contrib.auth.signals import user_logged_in

        from . import checks, services  # noqa: F401 (checks registers the superuser warning)

        user_logged_in.connect(services.session_start, dispatch_uid="accounts.session_start")
        # Every way of disabling an account (the admin, a script, the shell) ends its sessions.
        post_save.connect(
            services.sessions_end_if_disabled, sender=User, dispatch_uid="accounts.disabled"
        )
