import pytest
from django.contrib.auth.models import Permission

from audit.models import AuditEntry
from tests.factories import make_user


@pytest.fixture
def audit_admin(db):
    """A staff account holding only what the audit administrator's group grants."""
    user = make_user("audit_admin", staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    return user


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))
