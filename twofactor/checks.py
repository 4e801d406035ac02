from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from liaison.roles import Role


@register()
def check_required_roles(**kwargs: Any) -> list[Error]:
    """OTP_REQUIRED_ROLES names roles by their Role member names; a misspelt name would quietly
    exempt a role, so it stops the start instead."""
    unknown = [name for name in settings.OTP_REQUIRED_ROLES if name not in Role.__members__]
    if not unknown:
        return []
    return [
        Error(
            f"OTP_REQUIRED_ROLES names unknown roles: {', '.join(unknown)}.",
            hint=f"Use the names of liaison.roles.Role: {', '.join(Role.__members__)}.",
            id="twofactor.E001",
        )
    ]
