"""Writes about accounts: a session's start and end, the password history."""

import time
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, User
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils import timezone

from .models import PasswordHistory, Session
from .selectors import password_expired
from .sessions import SessionStore

# Keys in the session: when the user signed in and when they were last seen (seconds since the
# epoch), and whether they must change their password before anything else.
SIGNED_IN_AT = "accounts.signed_in_at"
SEEN_AT = "accounts.seen_at"
PASSWORD_EXPIRED = "accounts.password_expired"


def session_start(
    sender: type, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
) -> None:
    """user_logged_in: start the idle and absolute clocks; flag an expired password."""
    session: SessionBase = request.session
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    if password_expired(user, timezone.now()):
        session[PASSWORD_EXPIRED] = True
    else:
        session.pop(PASSWORD_EXPIRED, None)


def sessions_end_for(*, user: User) -> int:
    """End every session of `user` at once; returns how many there were."""
    deleted, _by_model = Session.objects.filter(user=user).delete()
    return deleted


def sessions_end_if_disabled(sender: type, instance: User, **kwargs: Any) -> None:
    """post_save on User: a disabled account keeps no session."""
    if not instance.is_active:
        sessions_end_for(user=instance)


def sessions_clear_expired() -> None:
    """Delete sessions past their expiry date (the periodic task)."""
    SessionStore.clear_expired()


def password_history_record(*, user: User, keep: int) -> None:
    """Remember `user`'s new password hash and forget all but the newest `keep`."""
    if not user.password:
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = (
        PasswordHistory.objects.filter(user=user)
        .order_by("-created", "-pk")
        .values_list("pk", flat=True)[keep:]
    )
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
