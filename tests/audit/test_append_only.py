"""The audit log is append-only in PostgreSQL. These tests need the real database; under CI
(CI=true, DATABASE_URL set by the Makefile) they run there."""

import datetime as dt
import os

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import Action, audit_purge_expired, audit_record
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only(db):
    if connection.vendor != "postgresql":
        # Under CI the tests run on PostgreSQL (tests/conftest.py stops the run otherwise), so
        # these never go quietly unrun there.
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the database is not PostgreSQL: the triggers go untested.")
        pytest.skip(
            "The append-only triggers exist only in PostgreSQL; run with DATABASE_URL set to a "
            "PostgreSQL database (CI does)."
        )


def _aged(days: int) -> AuditEntry:
    entry = audit_record(action=Action.LOGIN, username="someone")
    # Written as an old row would have been: an INSERT, which the triggers allow.
    old = AuditEntry(
        time=timezone.now() - dt.timedelta(days=days),
        action=entry.action,
        username=f"{days} days ago",
    )
    old.save(force_insert=True)
    return old


def test_an_entry_cannot_be_updated():
    entry = audit_record(action=Action.LOGIN, username="wang")
    with pytest.raises(DatabaseError, match="Cannot update rows"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(username="li")
    with pytest.raises(DatabaseError, match="Cannot update rows"), transaction.atomic():
        entry.outcome = AuditEntry.Outcome.FAILURE
        entry.save()
    entry.refresh_from_db()
    assert (entry.username, entry.outcome) == ("wang", AuditEntry.Outcome.SUCCESS)


def test_an_entry_cannot_be_deleted():
    entry = audit_record(action=Action.LOGIN, username="wang")
    with pytest.raises(DatabaseError, match="Cannot delete rows"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError, match="Cannot delete rows"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_deleting_a_user_empties_only_the_user_column():
    user = make_user("leaving")
    entry = audit_record(action=Action.LOGIN, user=user)
    user.delete()
    entry.refresh_from_db()
    assert entry.user_id is None and entry.username == "leaving"


def test_the_user_column_cannot_be_pointed_at_someone_else():
    entry = audit_record(action=Action.LOGIN, user=make_user("wang"))
    other = make_user("li")
    with pytest.raises(DatabaseError, match="Cannot update rows"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(user=other)


def test_retention_deletes_only_entries_past_it_and_a_second_run_deletes_nothing(settings):
    settings.AUDIT_RETENTION_DAYS = 200
    expired = _aged(201)
    kept = _aged(199)

    assert audit_purge_expired() == 1

    assert not AuditEntry.objects.filter(pk=expired.pk).exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    purge = AuditEntry.objects.get(action=Action.AUDIT_PURGE)
    assert purge.details["deleted"] == 1
    assert audit_purge_expired() == 0
    assert AuditEntry.objects.filter(action=Action.AUDIT_PURGE).count() == 1


def test_even_the_retention_task_cannot_delete_an_entry_younger_than_six_months():
    young = _aged(100)
    # As if the application's clock ran far ahead: the database refuses all the same.
    with pytest.raises(DatabaseError, match="Cannot delete rows"):
        audit_purge_expired(now=timezone.now() + dt.timedelta(days=120))
    assert AuditEntry.objects.filter(pk=young.pk).exists()
