"""What every part of the demo loader shares: the tally of what it created, and the users."""

from collections import Counter
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.roles import Role
from stations.models import Station
from twofactor.policy import is_required

M = TypeVar("M", bound=models.Model)

PASSWORD = "demo-pass-2026"
# The demo's authenticator secret (hex, as django-otp stores it): with DEBUG=1, every demo login
# whose role requires two-step verification gets an authenticator holding it, so the printed
# secret (or `manage.py demo_otp_code`) gives the code. Never created in production.
DEMO_TOTP_KEY = b"liaison-demo-totp-26".hex()


class Loader:
    """Finds each object by its natural key, or creates it through its service; counts what it
    created. The demo's parts (network, handling, suggestions, receptions) are mixins over it."""

    def __init__(self) -> None:
        self.created: Counter[type[models.Model]] = Counter()

    def _new(self, obj: M) -> M:
        self.created[type(obj)] += 1
        return obj

    def user(
        self,
        username: str,
        role: Role | None = None,
        *,
        is_staff: bool = False,
        is_superuser: bool = False,
        station: Station | None = None,
        email: str = "",
    ) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = self._new(
                User.objects.create_user(
                    username,
                    email=email,
                    password=PASSWORD,
                    is_staff=is_staff,
                    is_superuser=is_superuser,
                )
            )
        elif email and not user.email:
            # Demo databases loaded before the handling demo had staff without addresses.
            user.email = email
            user.save(update_fields=["email"])
        if role is not None:
            user.groups.add(Group.objects.get(name=role))
        if station is not None:
            station.staff.add(user)
        self._demo_authenticator(user)
        return user

    def _demo_authenticator(self, user: User) -> None:
        if not settings.DEBUG or not is_required(user):
            return
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            device = TOTPDevice(user=user, name="demo", key=DEMO_TOTP_KEY, confirmed=True)
            device.full_clean()
            device.save()
