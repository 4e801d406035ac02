from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import m2m_changed, post_migrate
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Liaison")

    def ready(self) -> None:
        from . import lookups, roles  # noqa: F401 (lookups registers `__any_of` and `__in`)

        # Groups and their model permissions exist once the permissions themselves do, which is
        # after migrate; keeping them in sync here means a fresh database has every role.
        post_migrate.connect(roles.sync_role_groups_on_migrate, dispatch_uid="liaison.roles")
        from django.contrib.auth.models import User

        m2m_changed.connect(
            roles.guard_administrator_roles,
            sender=User.groups.through,
            dispatch_uid="liaison.roles.administrators",
        )


class LiaisonAdminConfig(admin_apps.AdminConfig):
    """`django.contrib.admin` with the project's site (`liaison.admin.LiaisonAdminSite`) as
    `admin.site`, so every registered model admin answers 404 outside the user's reach."""

    default = False  # `liaison` itself is LiaisonConfig; this one is named in INSTALLED_APPS
    default_site = "liaison.admin.LiaisonAdminSite"
