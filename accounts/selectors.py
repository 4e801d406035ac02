"""Reads about accounts: when a password was set and whether it has expired."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, User

from .models import PasswordHistory


def password_changed_at(user: User) -> datetime.datetime:
    """When `user`'s password was last set; accounts older than the history count from the day
    they joined."""
    latest = (
        PasswordHistory.objects.filter(user=user)
        .order_by("-created")
        .values_list("created", flat=True)
        .first()
    )
    return latest or user.date_joined


def password_expired(user: AbstractBaseUser, now: datetime.datetime) -> bool:
    """True when expiry is on (PASSWORD_MAX_AGE_DAYS > 0) and `user`'s password is older."""
    days: int = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not isinstance(user, User) or not user.has_usable_password():
        return False
    return now - password_changed_at(user) > datetime.timedelta(days=days)


def recent_password_hashes(user: User, count: int) -> list[str]:
    """The hashes of `user`'s last `count` passwords, the current one first."""
    hashes = list(
        PasswordHistory.objects.filter(user=user)
        .order_by("-created", "-pk")
        .values_list("password", flat=True)[:count]
    )
    if user.password and user.password not in hashes:
        hashes = [user.password, *hashes][:count]
    return hashes
