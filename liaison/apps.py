from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Liaison")

    def ready(self) -> None:
        from . import lookups, roles  # noqa: F401 (lookups registers `__any_of` and `__in`)

        # Groups and their model permissions exist once the permissions themselves do, which is
        # after migrate; keeping them in sync here means a fresh database has every role.
        post_migrate.connect(roles.sync_role_groups_on_migrate, dispatch_uid="liaison.roles")
