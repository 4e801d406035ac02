"""Helpers that build test data through the same services the product uses."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from liaison.roles import Role, sync_role_groups
from representatives.models import Assignment, Representative
from representatives.services import assignment_save, representative_save
from stations.models import Region, Station
from stations.services import region_save, station_save

START = datetime.date(2024, 1, 1)


def make_region(name: str, level: int, parent: Region | None = None, code: str = "") -> Region:
    return region_save(region=Region(name=name, level=level, parent=parent, code=code))


def make_station(
    name: str, region: Region, kind=Station.Kind.STATION, parent=None, **extra
) -> Station:
    return station_save(
        station=Station(name=name, region=region, kind=kind, parent=parent, **extra)
    )


def make_representative(name: str, level=Representative.Level.COUNTY, **extra) -> Representative:
    return representative_save(representative=Representative(name=name, level=level, **extra))


def assign(
    representative, station, role=Assignment.Role.STATIONED, start=START, end=None
) -> Assignment:
    return assignment_save(
        assignment=Assignment(
            representative=representative,
            station=station,
            role=role,
            start_date=start,
            end_date=end,
        )
    )


def make_user(username: str, *, role: Role | None = None, staff=False, superuser=False):
    sync_role_groups()
    user = get_user_model().objects.create_user(
        username, password="pw-for-tests-1", is_staff=staff or superuser, is_superuser=superuser
    )
    if role:
        user.groups.add(Group.objects.get(name=role.value))
    return user
