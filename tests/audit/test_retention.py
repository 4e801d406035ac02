import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import Action, audit_purge_expired
from audit.tasks import purge_expired_entries


def _aged(days: int) -> AuditEntry:
    entry = AuditEntry(time=timezone.now() - dt.timedelta(days=days), action=Action.LOGIN)
    entry.save(force_insert=True)
    return entry


def test_the_default_retention_is_six_months(settings):
    assert settings.AUDIT_RETENTION_DAYS == 180


def test_a_retention_under_six_months_is_refused_by_the_settings():
    env = {k: v for k, v in os.environ.items() if k != "AUDIT_RETENTION_DAYS"}
    result = subprocess.run(
        [sys.executable, "-c", "import liaison.settings"],
        env={**env, "AUDIT_RETENTION_DAYS": "90", "SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "AUDIT_RETENTION_DAYS=90" in result.stderr


def test_a_retention_under_six_months_is_refused_by_the_task(db, settings):
    settings.AUDIT_RETENTION_DAYS = 179
    entry = _aged(179)
    with pytest.raises(ImproperlyConfigured, match="at least 180 days"):
        audit_purge_expired()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_periodic_task_deletes_only_expired_entries(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the task's answer, in this process
    recent = set(AuditEntry.objects.values_list("pk", flat=True))  # the set-up's, just written
    expired, kept = _aged(181), _aged(179)

    assert purge_expired_entries.delay().get() == 1
    assert purge_expired_entries.delay().get() == 0

    remaining = set(
        AuditEntry.objects.exclude(action=Action.AUDIT_PURGE).values_list("pk", flat=True)
    )
    assert remaining == recent | {kept.pk}
    assert not AuditEntry.objects.filter(pk=expired.pk).exists()
    assert AuditEntry.objects.filter(action=Action.AUDIT_PURGE).count() == 1


def test_the_purge_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["audit-purge-expired"]
    assert schedule["task"] == purge_expired_entries.name
