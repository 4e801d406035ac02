"""The roles people play, as Django groups with model permissions.

Object-level scope (which stations, which suggestions) is decided per app by one helper
(`stations.selectors.stations_managed_by`); groups only say what kind of thing a role may touch.
"""

from enum import StrEnum
from typing import Any

from django.apps import AppConfig
from django.contrib.auth.models import AbstractUser, AnonymousUser, Group, Permission
from django.db.models import Q


class Role(StrEnum):
    STATION_STAFF = "联络站工作人员"
    STATION_HEAD = "站长"
    REPRESENTATIVE = "人大代表"
    DEPARTMENT_HANDLER = "承办部门工作人员"
    SUPERVISOR = "人大常委会监督人员"


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
    }:  # fmt: skip
        sync_role_groups()


def has_role(user: AbstractUser | AnonymousUser, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    return user.groups.filter(name=role.value).exists()
