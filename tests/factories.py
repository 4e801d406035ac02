"""Helpers that build test data through the same services the product uses."""

import datetime
import time

import django_otp
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

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


def give_authenticator(user) -> TOTPDevice:
    """A confirmed authenticator (TOTP device) for `user`; `totp_now(device)` is its code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="tests", confirmed=True)


def totp_now(device: TOTPDevice) -> str:
    """The code the user's authenticator app shows now, computed as django-otp checks it. A code
    is accepted once: when this step's code was used already (two logins within 30 seconds),
    the next step's, which the device's tolerance of one step accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(client, user) -> None:
    """Mark `client`'s session as verified with `user`'s authenticator, through django-otp's own
    `login` helper, as the second step of the login does after a right code."""
    request = HttpRequest()
    request.session = client.session
    request.user = user
    django_otp.login(request, give_authenticator(user))
    request.session.save()
