"""The roles people play, as Django groups with model permissions.

Object-level scope (which stations, which suggestions) is decided per app by one helper
(`stations.selectors.stations_managed_by`); groups only say what kind of thing a role may touch.
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.apps import AppConfig
from django.contrib.auth.models import AbstractUser, AnonymousUser, Group, Permission, User
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    STATION_STAFF = "联络站工作人员"
    STATION_HEAD = "站长"
    REPRESENTATIVE = "人大代表"
    DEPARTMENT_HANDLER = "承办部门工作人员"
    SUPERVISOR = "人大常委会监督人员"
    # 三员分立: the three administrators of a government system, whose rights exclude each other.
    SYSTEM_ADMIN = "系统管理员"
    SECURITY_ADMIN = "安全管理员"
    AUDIT_ADMIN = "审计管理员"


ADMINISTRATOR_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)


_STATION_MANAGER_PERMISSIONS = [
    "stations.view_region",
    "stations.view_station",
    "stations.change_station",
    "representatives.view_representative",
    "representatives.add_representative",
    "representatives.change_representative",
    "representatives.view_assignment",
    "representatives.add_assignment",
    "representatives.change_assignment",
    "representatives.delete_assignment",
    "suggestions.view_suggestion",
    "suggestions.view_suggestionphoto",
    "suggestions.view_suggestionevent",
    "receptions.view_receptionrule",
    "receptions.add_receptionrule",
    "receptions.change_receptionrule",
    "receptions.view_receptionday",
    "receptions.change_receptionday",
    "receptions.view_duty",
    "receptions.add_duty",
    "receptions.change_duty",
    "receptions.delete_duty",
    "receptions.view_unavailability",
    "receptions.add_unavailability",
    "receptions.view_swaprequest",
    "receptions.change_swaprequest",
    "receptions.view_reminder",
    "receptions.view_dutylog",
    "ledger.view_export",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.STATION_STAFF: _STATION_MANAGER_PERMISSIONS,
    Role.STATION_HEAD: _STATION_MANAGER_PERMISSIONS,
    Role.REPRESENTATIVE: [],
    Role.DEPARTMENT_HANDLER: [],
    Role.SUPERVISOR: [
        "stations.view_region",
        "stations.view_station",
        "representatives.view_representative",
        "representatives.view_assignment",
    ],
    # Users (not their roles) and the settings of stations, representatives and handling.
    Role.SYSTEM_ADMIN: [
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "stations.view_region",
        "stations.add_region",
        "stations.change_region",
        "stations.view_station",
        "stations.add_station",
        "stations.change_station",
        "representatives.view_representative",
        "representatives.add_representative",
        "representatives.change_representative",
        "representatives.view_assignment",
        "representatives.add_assignment",
        "representatives.change_assignment",
        "suggestions.view_theme",
        "suggestions.add_theme",
        "suggestions.change_theme",
        "suggestions.view_department",
        "suggestions.add_department",
        "suggestions.change_department",
        "suggestions.view_handlingtimelimit",
        "suggestions.add_handlingtimelimit",
        "suggestions.change_handlingtimelimit",
        "workdays.view_dayoverride",
        "workdays.add_dayoverride",
        "workdays.change_dayoverride",
        "workdays.view_publishedyear",
    ],
    # Who holds which role, and the login lockouts; no domain data.
    Role.SECURITY_ADMIN: [
        "auth.view_user",
        "auth.view_group",
        "accounts.assign_role",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
        # A lost phone: delete the user's authenticator and recovery codes; they enrol again.
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "otp_static.view_staticdevice",
        "otp_static.delete_staticdevice",
    ],
    # Reads the audit log and nothing else. The permission exists once the audit app is
    # installed; until then the group is simply empty.
    Role.AUDIT_ADMIN: ["audit.view_auditentry"],
}


def sync_role_groups() -> None:
    """Create every role's group and give it exactly its permissions. Safe to run again."""
    for role, dotted_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = Q(pk__in=[])
        for dotted in dotted_names:
            app_label, codename = dotted.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))


def sync_role_groups_on_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # post_migrate fires once per app, after that app's permissions exist; syncing after each of
    # ours means the last one leaves every group complete.
    if sender.name in {
        "stations", "representatives", "suggestions", "notifications", "workdays", "receptions",
        "django.contrib.auth", "accounts", "axes", "audit", "django_otp.plugins.otp_totp",
        "django_otp.plugins.otp_static",
    }:  # fmt: skip
        sync_role_groups()


def has_role(user: AbstractUser | AnonymousUser, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=role.value).exists()


def check_administrator_roles(group_names: Iterable[str]) -> None:
    """Refuse a set of groups that holds more than one of the three administrator roles."""
    names = set(group_names)
    if sum(role.value in names for role in ADMINISTRATOR_ROLES) > 1:
        raise ValidationError(
            _(
                "A user may hold only one of the roles of system administrator, security "
                "administrator and audit administrator."
            ),
            code="administrator_roles",
        )


def guard_administrator_roles(
    sender: type[Model],
    instance: Model,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    """m2m_changed on User.groups: the last line behind the admin's form, for any other write
    (a shell, a script, `group.user_set.add`). `set()` removes before it adds, so at `pre_add`
    the user's groups plus `pk_set` are what they will hold."""
    if action != "pre_add" or not pk_set:
        return
    administrator_names = {role.value for role in ADMINISTRATOR_ROLES}
    if reverse:
        assert isinstance(instance, Group)
        if instance.name not in administrator_names:
            return
        for held in Group.objects.filter(user__pk__in=pk_set, name__in=administrator_names):
            check_administrator_roles([instance.name, held.name])
        return
    assert isinstance(instance, User)
    check_administrator_roles(
        Group.objects.filter(Q(pk__in=pk_set) | Q(user=instance)).values_list("name", flat=True)
    )
