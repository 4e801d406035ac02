"""Every write of the second factor: enrolling an authenticator, issuing recovery codes,
verifying a code into the session, switching the second factor off."""

import re
from base64 import b32encode
from datetime import datetime

import django_otp
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.core import get_usage, is_ratelimited

from .policy import is_required

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"
TOTP_CODE = re.compile(r"\d{6}")
RATE_GROUP = "twofactor-code"


class CodeRefused(Exception):
    """A code was not accepted; the message says why, in words for the person typing it."""


def normalize_code(raw: str) -> str:
    """What people type: spaces and hyphens between groups, recovery codes in capitals."""
    return re.sub(r"[\s-]", "", raw).lower()


def authenticator_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def authenticator_pending(*, user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator this user is setting up: the same secret on every reload of the page
    until it is confirmed with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
        device.full_clean()
        device.save()
    return device


@transaction.atomic
def authenticator_confirm(*, request: HttpRequest, user: AbstractBaseUser, code: str) -> list[str]:
    """Confirm the pending authenticator with a code from the app; it replaces any earlier one.
    The session counts as verified with it, and a fresh set of recovery codes is returned, to be
    shown once."""
    _refuse_if_over_limit(request, user)
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None:
        raise CodeRefused(_("The set-up has expired. Reload the page and scan the new QR code."))
    _refuse_if_throttled(device)
    if not device.verify_token(normalize_code(code)):
        _count_failure(request, user)
        raise CodeRefused(
            _(
                "The verification code is wrong or has expired. Type the 6 digits your "
                "authenticator app shows now for this account."
            )
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    _session_verified(request, device)
    return recovery_codes_issue(user=user)


@transaction.atomic
def recovery_codes_issue(*, user: AbstractBaseUser) -> list[str]:
    """Ten new single-use recovery codes; every earlier one stops working."""
    device, _created = StaticDevice.objects.select_for_update().get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_verify(*, request: HttpRequest, user: AbstractBaseUser, code: str) -> Device:
    """Check a 6-digit authenticator code or a recovery code (used up when it works) and mark
    the session verified. A wrong code counts as a failed login (user_login_failed, which the
    lockout counts) and against the per-user limit OTP_RATE_PER_USER."""
    _refuse_if_over_limit(request, user)
    code = normalize_code(code)
    model: type[TOTPDevice] | type[StaticDevice] = (
        TOTPDevice if TOTP_CODE.fullmatch(code) else StaticDevice
    )
    device: Device | None = None
    with transaction.atomic():
        for candidate in model.objects.select_for_update().filter(user=user, confirmed=True):
            _refuse_if_throttled(candidate)
            if candidate.verify_token(code):
                device = candidate
                break
    if device is None:
        _count_failure(request, user)
        if model is StaticDevice:
            raise CodeRefused(
                _("This recovery code is wrong or has already been used. Each code works once.")
            )
        raise CodeRefused(
            _(
                "The verification code is wrong or has expired. Type the 6 digits your "
                "authenticator app shows now; if the phone's clock is off, set it to automatic."
            )
        )
    _session_verified(request, device)
    return device


@transaction.atomic
def second_factor_remove(*, user: AbstractBaseUser) -> None:
    """Switch the second factor off, for someone whose role does not require it."""
    if is_required(user):
        raise CodeRefused(_("Your role requires two-step verification; it cannot be turned off."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _session_verified(request: HttpRequest, device: Device) -> None:
    # A new session key at the step up, as Django does at login, so a key seen before the
    # second factor is worth nothing after it.
    request.session.cycle_key()
    django_otp.login(request, device)


def _rate_key(user: AbstractBaseUser) -> str:
    return f"user:{user.pk}"


def _refuse_if_over_limit(request: HttpRequest, user: AbstractBaseUser) -> None:
    usage = get_usage(
        request,
        group=RATE_GROUP,
        key=lambda _group, _request: _rate_key(user),
        rate=settings.OTP_RATE_PER_USER,
        increment=False,
    )
    # Only failures are counted, so the limit is reached once that many codes were wrong.
    if usage is not None and usage["count"] >= usage["limit"]:
        raise CodeRefused(
            _("Too many wrong codes for this account. Please wait a while and try again.")
        )


def _count_failure(request: HttpRequest, user: AbstractBaseUser) -> None:
    is_ratelimited(
        request,
        group=RATE_GROUP,
        key=lambda _group, _request: _rate_key(user),
        rate=settings.OTP_RATE_PER_USER,
        increment=True,
    )
    # The same signal a wrong password sends: whatever counts failed logins (the lockout, the
    # audit log) counts a wrong second factor too.
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )


def _refuse_if_throttled(device: TOTPDevice | StaticDevice) -> None:
    """django-otp's own back-off after wrong codes (1, 2, 4… seconds per device): said as such,
    not as a wrong code, so a right code typed too soon is not taken for a wrong one."""
    allowed, why = device.verify_is_allowed()
    if not allowed and why and why.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        raise CodeRefused(_wait_message(why["locked_until"]))


def _wait_message(locked_until: datetime) -> str:
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
    return _("Too many wrong codes in a row. Wait %(seconds)d seconds and try again.") % {
        "seconds": seconds
    }
