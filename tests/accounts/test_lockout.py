"""Failed-login lockout (django-axes): five failures lock the user name and the address."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from liaison.roles import Role
from tests.factories import make_user

PASSWORD = "pw-for-tests-1"
GENERIC = "注意，两者都区分大小写"  # Django's "Please enter a correct username and password"


@pytest.fixture
def handler(db):
    return make_user("handler", staff=False)


def _login(client, username, password, url=None, ip="203.0.113.7", **extra):
    return client.post(
        url or reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **extra,
    )


def _logged_in(client) -> bool:
    return SESSION_KEY in client.session


def test_five_failures_lock_the_account_and_the_right_password_is_then_refused(client, handler):
    for _ in range(5):
        response = _login(client, "handler", "wrong-password")
        assert response.status_code == 200
    response = _login(client, "handler", PASSWORD)
    assert not _logged_in(client)
    assert GENERIC in response.content.decode()


def test_four_failures_do_not_lock(client, handler):
    for _ in range(4):
        _login(client, "handler", "wrong-password")
    _login(client, "handler", PASSWORD)
    assert _logged_in(client)


def test_the_account_stays_locked_from_another_address(client, handler):
    for _ in range(5):
        _login(client, "handler", "wrong-password")
    _login(client, "handler", PASSWORD, ip="198.51.100.9")
    assert not _logged_in(client)


def test_the_address_is_locked_for_other_accounts_too(client, handler, db):
    make_user("other")
    for n in range(5):
        _login(client, f"nobody{n}", "wrong-password")
    _login(client, "other", PASSWORD)
    assert not _logged_in(client)
    _login(client, "other", PASSWORD, ip="198.51.100.9")
    assert _logged_in(client)


def test_the_lock_ends_after_the_configured_time(client, handler, time_machine):
    time_machine.move_to("2026-03-02 09:00 +0800", tick=False)
    for _ in range(5):
        _login(client, "handler", "wrong-password")
    time_machine.move_to("2026-03-02 09:29 +0800", tick=False)
    _login(client, "handler", PASSWORD, ip="198.51.100.9")
    assert not _logged_in(client)
    # Each try during the lock starts it again: 30 minutes after the last one.
    time_machine.move_to("2026-03-02 10:00 +0800", tick=False)
    _login(client, "handler", PASSWORD, ip="198.51.100.9")
    assert _logged_in(client)


def test_unknown_user_wrong_password_and_locked_account_get_the_same_answer(client, handler):
    def page(response):
        assert response.status_code == 200
        return response.content.decode().replace(response.wsgi_request.META["CSRF_COOKIE"], "")

    unknown = page(_login(client, "no-such-user", "wrong-password", ip="192.0.2.1"))
    wrong = page(_login(client, "handler", "wrong-password", ip="192.0.2.2"))
    for _ in range(5):
        _login(client, "handler", "wrong-password", ip="192.0.2.3")
    locked = page(_login(client, "handler", PASSWORD, ip="192.0.2.4"))
    assert GENERIC in unknown
    assert _strip_username(unknown, "no-such-user") == _strip_username(wrong, "handler")
    assert _strip_username(wrong, "handler") == _strip_username(locked, "handler")


def _strip_username(html: str, username: str) -> str:
    """The form shows back the user name typed; everything else must be the same."""
    import re

    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(f'value="{username}"', "")


def test_the_admin_login_is_covered_too(client, db):
    make_user("boss", staff=True)
    url = reverse("admin:login")
    for _ in range(5):
        _login(client, "boss", "wrong-password", url=url)
    response = _login(client, "boss", PASSWORD, url=url)
    assert not _logged_in(client)
    assert response.status_code == 200


def test_the_security_administrator_unlocks_in_the_admin(client, handler, db):
    security = make_user("security", role=Role.SECURITY_ADMIN, staff=True)
    for _ in range(5):
        _login(client, "handler", "wrong-password")
    attempts = AccessAttempt.objects.filter(username="handler")
    assert attempts.exists()

    admin = client.__class__()
    admin.force_login(security)
    assert admin.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    for attempt in list(AccessAttempt.objects.all()):
        response = admin.post(
            reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

    _login(client, "handler", PASSWORD)
    assert _logged_in(client)


def test_the_address_comes_from_the_proxy_header_only_when_configured(client, handler, settings):
    for _ in range(5):
        _login(client, "handler", "wrong-password", HTTP_X_REAL_IP="192.0.2.50")
    # Without the setting the header is ignored: the lock is on REMOTE_ADDR.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}

    AccessAttempt.objects.all().delete()
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    for _ in range(5):
        _login(client, "handler", "wrong-password", HTTP_X_REAL_IP="192.0.2.50")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.50"}
