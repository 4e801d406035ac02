"""What every part of the demo loader shares: the tally of what it created, and the users."""

from collections import Counter
from typing import TypeVar

from django.contrib.auth.models import Group, User
from django.db import models

from liaison.roles import Role
from stations.models import Station

M = TypeVar("M", bound=models.Model)

PASSWORD = "demo-pass-2026"


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
        return user
