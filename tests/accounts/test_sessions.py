"""Idle timeout, absolute lifetime and disabled accounts, enforced on the server."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from accounts.models import Session
from tests.factories import make_user

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def signed_in(client, db, time_machine):
    time_machine.move_to(START, tick=False)
    user = make_user("handler")
    client.force_login(user)
    client.user = user
    return client


def _at(time_machine, **delta):
    time_machine.move_to(START + datetime.timedelta(**delta), tick=False)


def _still_in(client) -> bool:
    client.get(reverse("workbench:inbox"))
    return SESSION_KEY in client.session


def test_a_session_idle_for_29_minutes_goes_on(signed_in, time_machine):
    _at(time_machine, minutes=29)
    assert _still_in(signed_in)


def test_a_session_idle_for_31_minutes_ends(signed_in, time_machine):
    _at(time_machine, minutes=31)
    response = signed_in.get(reverse("workbench:inbox"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert SESSION_KEY not in signed_in.session


def test_activity_keeps_the_session_alive_until_its_absolute_lifetime(signed_in, time_machine):
    for minutes in range(20, 12 * 60, 20):
        _at(time_machine, minutes=minutes)
        assert _still_in(signed_in), minutes
    _at(time_machine, hours=12, minutes=1)
    assert not _still_in(signed_in)


def test_the_limits_are_settings(signed_in, time_machine, settings):
    settings.SESSION_IDLE_MINUTES = 5
    _at(time_machine, minutes=6)
    assert not _still_in(signed_in)


def test_disabling_a_user_ends_their_sessions_at_once(signed_in, client, db):
    user = signed_in.user
    assert Session.objects.filter(user=user).count() == 1
    other = make_user("other")
    other_client = client.__class__()
    other_client.force_login(other)

    user.is_active = False
    user.save()

    assert not Session.objects.filter(user=user).exists()
    assert Session.objects.filter(user=other).count() == 1
    assert not _still_in(signed_in)


def test_a_session_records_its_user_through_login_and_key_changes(client, db):
    user = make_user("handler")
    response = client.post(reverse("login"), {"username": "handler", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert Session.objects.get(session_key=client.session.session_key).user == user
