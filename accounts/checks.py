"""`manage.py check` warns when a production instance has an active superuser."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.checks import CheckMessage, Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError


@register(Tags.security)
def active_superusers(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    """Daily work needs no superuser: the system, security and audit administrators share it
    (三员分立). A superuser left active in production holds all three at once.

    It reads the user table, so, as Django asks of checks that query, only when the databases
    are named: `manage.py check --database default` (migrate runs it too)."""
    if settings.DEBUG or not databases:
        return []
    try:
        names = list(
            User.objects.filter(is_superuser=True, is_active=True).values_list(
                "username", flat=True
            )[:5]
        )
    except DatabaseError:
        # Before the first migrate there is no user table to ask.
        return []
    if not names:
        return []
    return [
        CheckWarning(
            f"Active superuser accounts exist: {', '.join(names)}.",
            hint=(
                "Give the system, security and audit administrator roles to three different "
                "people and disable the superuser (is_active=False) once they are set up."
            ),
            id="accounts.W001",
        )
    ]
