import csv
import io

from django.contrib.auth.models import Permission

from audit.models import AuditEntry
from audit.services import Action, audit_record
from tests.audit.conftest import entries
from tests.factories import make_user

CHANGELIST = "/admin/audit/auditentry/"
EXPORT = "/admin/audit/auditentry/export/"


def test_staff_without_the_permission_see_neither_the_log_nor_its_export(client, db):
    staff = make_user("security_admin", staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="change_group"))
    client.force_login(staff)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert "audit" not in client.get("/admin/").content.decode().lower()
    assert not entries(Action.AUDIT_EXPORT)


def test_the_audit_administrator_reads_entries_with_time_and_offset(client, audit_admin):
    entry = audit_record(action=Action.LOGIN_FAILED, outcome="failure", username="wang")
    client.force_login(audit_admin)

    page = client.get(CHANGELIST).content.decode()
    detail = client.get(f"{CHANGELIST}{entry.pk}/change/").content.decode()

    shown = entry.time.astimezone().strftime("%Y-%m-%d")
    assert "+08:00" in page and shown in page
    assert "登录失败" in page and "起始日期" in page  # in Chinese, with the date range filter
    assert "+08:00" in detail
    # Read-only: nothing to add, change or delete.
    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.post(f"{CHANGELIST}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_filters_narrow_the_list(client, audit_admin):
    audit_record(action=Action.LOGIN_FAILED, outcome="failure", username="zhang_failed")
    audit_record(action=Action.EXPORT, username="li_exported")
    client.force_login(audit_admin)

    by_action = client.get(CHANGELIST, {"action__exact": "login_failed"}).content.decode()
    by_outcome = client.get(CHANGELIST, {"outcome__exact": "success"}).content.decode()
    by_search = client.get(CHANGELIST, {"q": "li_"}).content.decode()
    by_dates = client.get(CHANGELIST, {"time_from": "2000-01-01", "time_to": "2000-01-31"})
    bad_date = client.get(CHANGELIST, {"time_from": "2026-02-30"})

    assert "zhang_failed" in by_action and "li_exported" not in by_action
    assert "li_exported" in by_outcome and "zhang_failed" not in by_outcome
    assert "li_exported" in by_search and "zhang_failed" not in by_search
    assert "li_exported" not in by_dates.content.decode()
    assert bad_date.status_code == 302 and bad_date["Location"].endswith("?e=1")


def test_the_csv_export_follows_the_filters_and_is_itself_audited(client, audit_admin):
    audit_record(action=Action.LOGIN_FAILED, outcome="failure", username="=cmd|calc")
    audit_record(action=Action.LOGIN, username="li")
    client.force_login(audit_admin)

    response = client.get(EXPORT, {"action__exact": "login_failed"}, REMOTE_ADDR="192.0.2.9")

    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2  # the header and the one failed login
    assert rows[1][1] == "'=cmd|calc" and rows[1][0].endswith("+08:00")
    [export] = entries(Action.AUDIT_EXPORT)
    assert (export.user, export.source_address) == (audit_admin, "192.0.2.9")
    assert export.details == {"filters": {"action__exact": ["login_failed"]}}


def test_the_changelist_links_to_the_export_with_its_filters(client, audit_admin):
    client.force_login(audit_admin)
    page = client.get(CHANGELIST, {"outcome__exact": "denied"}).content.decode()
    assert f'href="{EXPORT}?outcome__exact=denied"' in page
