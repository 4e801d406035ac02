"""三员分立: the system, security and audit administrators, whose rights exclude each other."""

import itertools

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from accounts.checks import active_superusers
from liaison.roles import ADMINISTRATOR_ROLES, ROLE_PERMISSIONS, Role
from tests.factories import make_user


@pytest.fixture
def administrators(db):
    return {
        role: make_user(f"admin_{n}", role=role, staff=True)
        for n, role in enumerate(ADMINISTRATOR_ROLES)
    }


def _group(role: Role) -> Group:
    return Group.objects.get(name=role.value)


@pytest.mark.parametrize("first, second", list(itertools.combinations(ADMINISTRATOR_ROLES, 2)))
def test_no_user_holds_two_administrator_roles(first, second, db):
    user = make_user("someone", role=first)
    # Each write in its own savepoint, as a request's transaction would roll it back.
    with pytest.raises(ValidationError), transaction.atomic():
        user.groups.add(_group(second))
    with pytest.raises(ValidationError), transaction.atomic():
        _group(second).user_set.add(user)
    with pytest.raises(ValidationError), transaction.atomic():
        user.groups.set([_group(first), _group(second)])
    assert list(user.groups.values_list("name", flat=True)) == [first.value]


def test_an_administrator_role_may_be_swapped_for_another(db):
    user = make_user("someone", role=Role.SYSTEM_ADMIN)
    user.groups.set([_group(Role.AUDIT_ADMIN)])
    assert list(user.groups.values_list("name", flat=True)) == [Role.AUDIT_ADMIN.value]


def test_the_admin_form_refuses_two_administrator_roles(client, administrators, superuser):
    target = make_user("target", staff=True)
    client.force_login(administrators[Role.SECURITY_ADMIN])
    response = client.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        {"groups": [_group(Role.SYSTEM_ADMIN).pk, _group(Role.SECURITY_ADMIN).pk]},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["groups"]
    assert not target.groups.exists()


def test_the_security_administrator_gives_roles_and_changes_nothing_else(client, administrators):
    target = make_user("target", staff=True)
    client.force_login(administrators[Role.SECURITY_ADMIN])
    url = reverse("admin:auth_user_change", args=[target.pk])
    response = client.post(
        url,
        {
            "groups": [_group(Role.STATION_STAFF).pk],
            "username": "renamed",
            "is_superuser": "on",
            "is_active": "",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert list(target.groups.values_list("name", flat=True)) == [Role.STATION_STAFF.value]
    assert (target.username, target.is_superuser, target.is_active) == ("target", False, True)
    password = reverse("admin:auth_user_password_change", args=[target.pk])
    assert client.get(password).status_code == 403


def test_the_system_administrator_manages_users_but_not_their_roles(client, administrators):
    target = make_user("target", staff=True)
    client.force_login(administrators[Role.SYSTEM_ADMIN])
    response = client.post(
        reverse("admin:auth_user_change", args=[target.pk]),
        {
            "username": "target",
            "first_name": "建国",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [_group(Role.SECURITY_ADMIN).pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.first_name == "建国"
    assert not target.is_superuser
    assert not target.groups.exists()
    assert administrators[Role.SYSTEM_ADMIN].has_perm("auth.add_user")
    assert not administrators[Role.SYSTEM_ADMIN].has_perm("accounts.assign_role")
    assert not administrators[Role.SYSTEM_ADMIN].has_perm("auth.change_group")


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:stations_station_changelist",
        "admin:stations_region_changelist",
        "admin:representatives_representative_changelist",
        "admin:suggestions_suggestion_changelist",
        "admin:suggestions_department_changelist",
    ],
)
def test_the_security_administrator_cannot_reach_domain_data(client, administrators, url_name):
    client.force_login(administrators[Role.SECURITY_ADMIN])
    assert client.get(reverse(url_name)).status_code == 403


def test_the_security_administrator_holds_no_domain_permission(db):
    domain = {"stations", "representatives", "suggestions", "receptions", "ledger", "workdays"}
    names = ROLE_PERMISSIONS[Role.SECURITY_ADMIN]
    assert not [name for name in names if name.split(".")[0] in domain]


def test_the_audit_administrator_can_change_nothing(client, administrators):
    auditor = administrators[Role.AUDIT_ADMIN]
    codenames = Permission.objects.filter(group__name=Role.AUDIT_ADMIN.value).values_list(
        "codename", flat=True
    )
    assert all(codename.startswith("view_") for codename in codenames)
    assert all(
        name.split(".")[1].startswith("view_") for name in ROLE_PERMISSIONS[Role.AUDIT_ADMIN]
    )
    client.force_login(auditor)
    target = make_user("target", staff=True)
    for url in [
        reverse("admin:auth_user_change", args=[target.pk]),
        reverse("admin:auth_user_add"),
        reverse("admin:stations_station_changelist"),
        reverse("admin:axes_accessattempt_changelist"),
    ]:
        assert client.get(url).status_code == 403, url


def test_no_administrator_role_overlaps_another_in_permissions():
    for first, second in itertools.combinations(ADMINISTRATOR_ROLES, 2):
        shared = set(ROLE_PERMISSIONS[first]) & set(ROLE_PERMISSIONS[second])
        # Seeing the list of users is the only thing two of them share.
        assert shared <= {"auth.view_user"}, (first, second, shared)


def test_check_warns_of_an_active_superuser_when_debug_is_off(db, settings):
    settings.DEBUG = False
    assert active_superusers(databases=["default"]) == []
    root = make_user("root", superuser=True)
    # Like every check that queries, it reads the database only when asked to (--database).
    assert active_superusers() == []
    assert [w.id for w in active_superusers(databases=["default"])] == ["accounts.W001"]
    settings.DEBUG = True
    assert active_superusers(databases=["default"]) == []
    settings.DEBUG = False
    root.is_active = False
    root.save()
    assert active_superusers(databases=["default"]) == []
