from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


@dataclass(frozen=True)
class AccountFactors:
    """What an account has as a second factor, for its two-step verification page."""

    has_authenticator: bool
    recovery_codes_left: int

    @property
    def is_on(self) -> bool:
        return self.has_authenticator or self.recovery_codes_left > 0


def account_factors(*, user: AbstractBaseUser) -> AccountFactors:
    return AccountFactors(
        has_authenticator=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        recovery_codes_left=StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
    )
