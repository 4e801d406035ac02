"""The login lockout's place among the authentication backends."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout, first in AUTHENTICATION_BACKENDS, for every login through a form
    (the workbench's and the admin's both pass the request).

    A login without a request has no form and no source address to count or lock: Django's
    test client and scripts call `authenticate()` that way, and axes would raise. It is passed
    on to the next backend, which checks the password as usual.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> AbstractBaseUser | None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def lockout_response(request: HttpRequest, original_response: Any, credentials: Any) -> Any:
    """AXES_LOCKOUT_CALLABLE: a locked account or address gets the login page with the same
    "wrong user name or password" error as any failed login, so that no answer tells whether
    an account exists or is locked."""
    return original_response


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The user name a login tried, as the lockout records it: cut to the longest a user name
    can be (150), so a hostile 10,000-character name is counted instead of failing to save."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get("username") if source else None
    if not isinstance(username, str):
        return None
    return username.replace("\x00", "")[:150]
