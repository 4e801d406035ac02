"""Who must give a second factor, and what the next step is for a user who has given only the
password. The one home of the rule; the middleware, the views and the tests ask here."""

from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.roles import Role


class Step(StrEnum):
    """What a user who has given only the password does next."""

    VERIFY = "verify"  # has an authenticator or recovery codes: type a code
    ENROL = "enrol"  # must use a second factor and has none yet: set up an authenticator


def is_verified(request: HttpRequest) -> bool:
    """Whether this session has given a second factor (django_otp's OTPMiddleware finds out)."""
    verified = getattr(request.user, "is_verified", None)
    return bool(verified is not None and verified())


def required_role_names() -> list[str]:
    """The group names of the roles listed (by Role member name) in OTP_REQUIRED_ROLES."""
    return [Role[name].value for name in settings.OTP_REQUIRED_ROLES]


def next_step(
    user: AbstractBaseUser | AnonymousUser, *, on_admin_site: bool = False
) -> Step | None:
    """The second-factor step this user owes before going on, or None. One query.

    Whoever has a second factor gives it (representatives who opted in included). Whoever has
    none enrols if one of their roles is in OTP_REQUIRED_ROLES, if they are a superuser, or if
    they are staff on their way into the admin site.
    """
    if not user.is_authenticated:
        return None
    User = get_user_model()
    has_authenticator, has_recovery_code, has_required_role = (
        User._default_manager.filter(pk=user.pk)
        .annotate(
            has_authenticator=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
            has_recovery_code=Exists(
                StaticToken.objects.filter(device__user=OuterRef("pk"), device__confirmed=True)
            ),
            has_required_role=Exists(
                User.groups.through.objects.filter(
                    user=OuterRef("pk"), group__name__in=required_role_names()
                )
            ),
        )
        .values_list("has_authenticator", "has_recovery_code", "has_required_role")
        .get()
    )
    if has_authenticator or has_recovery_code:
        return Step.VERIFY
    if has_required_role or getattr(user, "is_superuser", False):
        return Step.ENROL
    if on_admin_site and getattr(user, "is_staff", False):
        return Step.ENROL
    return None


def is_required(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether this user may not switch the second factor off (their role or superuser)."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return (
        get_user_model()
        .groups.through.objects.filter(user_id=user.pk, group__name__in=required_role_names())
        .exists()
    )
