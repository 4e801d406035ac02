from django.contrib.auth.models import Group, Permission

from audit.models import AuditEntry
from audit.services import Action, audit_record
from tests.audit.conftest import entries
from tests.factories import make_user

LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"


def test_a_login_is_recorded_with_its_source_address(client, db):
    user = make_user("wang")

    client.post(
        LOGIN, {"username": "wang", "password": "pw-for-tests-1"}, REMOTE_ADDR="203.0.113.7"
    )

    [entry] = entries(Action.LOGIN)
    assert entry.user == user and entry.username == "wang"
    assert entry.outcome == AuditEntry.Outcome.SUCCESS
    assert entry.source_address == "203.0.113.7"


def test_a_failed_login_records_the_name_tried_but_never_the_password(client, db):
    user = make_user("wang")

    client.post(
        LOGIN, {"username": "wang", "password": "Secret-guess-1"}, REMOTE_ADDR="203.0.113.8"
    )
    client.post(LOGIN, {"username": "nobody", "password": "Secret-guess-2"})

    known, unknown = entries(Action.LOGIN_FAILED)
    assert (known.user, known.username, known.outcome) == (user, "wang", "failure")
    assert known.source_address == "203.0.113.8"
    assert (unknown.user, unknown.username) == (None, "nobody")
    for entry in (known, unknown):
        assert "Secret-guess" not in str(entry.details)
        assert "Secret-guess" not in entry.username + entry.object_repr


def test_a_logout_is_recorded(client, db):
    user = make_user("wang")
    client.force_login(user)

    client.post(LOGOUT, REMOTE_ADDR="203.0.113.9")

    [entry] = entries(Action.LOGOUT)
    assert entry.user == user and entry.source_address == "203.0.113.9"


def test_the_proxy_header_is_trusted_only_when_configured(client, db, settings):
    make_user("wang")
    credentials = {"username": "wang", "password": "pw-for-tests-1"}
    forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_REAL_IP": "198.51.100.1"}

    client.post(LOGIN, credentials, **forged)
    client.logout()
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    client.post(LOGIN, credentials, **forged)
    client.logout()
    client.post(LOGIN, credentials, REMOTE_ADDR="10.0.0.3")  # came past the proxy

    assert [e.source_address for e in entries(Action.LOGIN)] == [
        "10.0.0.2",
        "198.51.100.1",
        "10.0.0.3",
    ]


def test_a_lockout_signalled_by_django_axes_is_recorded(rf, db):
    from audit.receivers import _locked_out

    # axes sends user_locked_out(request=..., username=..., ip_address=...); the receiver is
    # connected when axes is in INSTALLED_APPS.
    _locked_out(
        sender=None,
        request=rf.post(LOGIN, REMOTE_ADDR="203.0.113.10"),
        username="wang",
        ip_address="203.0.113.10",
    )

    [entry] = entries(Action.LOCKOUT)
    assert (entry.username, entry.outcome, entry.source_address) == (
        "wang",
        "denied",
        "203.0.113.10",
    )


def test_an_admin_addition_and_change_are_recorded_with_the_object(admin_client_, superuser):
    admin_client_.post(
        "/admin/auth/group/add/", {"name": "日志查阅组", "permissions": []}, REMOTE_ADDR="192.0.2.5"
    )
    group = Group.objects.get(name="日志查阅组")
    admin_client_.post(
        f"/admin/auth/group/{group.pk}/change/", {"name": "审计员", "permissions": []}
    )

    [added] = entries(Action.ADMIN_ADD)
    assert (added.user, added.source_address) == (superuser, "192.0.2.5")
    assert (added.content_type.model, added.object_id, added.object_repr) == (
        "group",
        str(group.pk),
        "日志查阅组",
    )
    [changed] = entries(Action.ADMIN_CHANGE)
    assert changed.object_repr == "审计员" and changed.details["change"]


def test_an_admin_deletion_of_several_objects_records_each(admin_client_):
    groups = [Group.objects.create(name=name) for name in ("甲", "乙", "丙")]

    response = admin_client_.post(
        "/admin/auth/group/",
        {
            "action": "delete_selected",
            "_selected_action": [g.pk for g in groups[:2]],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Group.objects.filter(name__in=["甲", "乙"]).exists()
    deleted = entries(Action.ADMIN_DELETE)
    assert sorted(e.object_repr for e in deleted) == ["乙", "甲"]


def test_an_admin_deletion_of_one_object_is_recorded_once(admin_client_):
    group = Group.objects.create(name="甲")

    admin_client_.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"})
    admin_client_.post(
        "/admin/auth/group/",
        {
            "action": "delete_selected",
            "_selected_action": [Group.objects.create(name="乙").pk],
            "post": "yes",
        },
    )

    assert [e.object_repr for e in entries(Action.ADMIN_DELETE)] == ["甲", "乙"]


def test_role_changes_are_recorded_from_either_side(db):
    user = make_user("wang")
    group = Group.objects.create(name="安全组")

    user.groups.add(group)
    group.user_set.remove(user)
    user.groups.add(group)
    user.groups.clear()

    changes = [(e.object_repr, e.details) for e in entries(Action.ROLES_CHANGED)]
    assert changes == [
        ("wang", {"relation": "groups", "added": ["安全组"]}),
        ("wang", {"relation": "groups", "removed": ["安全组"]}),
        ("wang", {"relation": "groups", "added": ["安全组"]}),
        ("wang", {"relation": "groups", "removed": ["安全组"]}),
    ]


def test_permission_changes_of_users_and_groups_are_recorded(db):
    user = make_user("wang")
    group = Group.objects.create(name="日志查阅组")
    view_audit = Permission.objects.get(codename="view_auditentry")

    group.permissions.add(view_audit)
    user.user_permissions.add(view_audit)

    by_object = {
        e.object_repr: e.details
        for e in entries(Action.PERMISSIONS_CHANGED)
        if e.object_repr in {"日志查阅组", "wang"}  # not the roles' own groups, set up by migrate
    }
    assert by_object == {
        "日志查阅组": {"relation": "permissions", "added": ["audit.view_auditentry"]},
        "wang": {"relation": "user_permissions", "added": ["audit.view_auditentry"]},
    }


def test_making_someone_a_superuser_or_disabling_them_is_recorded(db):
    user = make_user("wang")
    user.is_superuser = True
    user.save()
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.save(update_fields=["last_login"])

    assert [e.details for e in entries(Action.ACCOUNT_CHANGED)] == [
        {"is_superuser": [False, True]},
        {"is_active": [True, False]},
    ]


def test_details_never_keep_a_whole_phone_number(db):
    entry = audit_record(
        action=Action.PHONE_VIEW,
        details={"shown": "13812345678", "nested": ["tel 0357-7221234", {"p": "03577221234"}]},
    )
    assert entry.details == {
        "shown": "138****5678",
        "nested": ["tel 035****1234", {"p": "035****1234"}],
    }


def test_a_refusal_is_recorded_although_the_service_rolled_back(rf, db):
    from django.core.exceptions import PermissionDenied
    from django.db import transaction

    from audit.services import audit_refusals

    staff = make_user("wang")
    group = Group.objects.create(name="甲")
    request = rf.post("/workbench/", REMOTE_ADDR="192.0.2.20")
    request.user = staff

    @transaction.atomic
    def refused_service():
        Group.objects.filter(pk=group.pk).update(name="乙")
        audit_record(action=Action.HANDLING_STEP, request=request, obj=group)  # rolled back
        raise PermissionDenied

    try:
        with audit_refusals(action=Action.HANDLING_STEP, request=request, obj=group):
            refused_service()
    except PermissionDenied:
        pass

    group.refresh_from_db()
    assert group.name == "甲"
    [entry] = entries(Action.HANDLING_STEP)
    assert (entry.outcome, entry.user, entry.source_address) == ("denied", staff, "192.0.2.20")
