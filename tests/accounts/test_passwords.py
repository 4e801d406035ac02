"""Password rules: length, character classes, common and numeric, history, expiry, Argon2."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import PasswordHistory
from liaison.validators import CharacterClassesValidator
from tests.factories import make_user


@pytest.mark.parametrize(
    "password",
    ["short-1A", "alllowercaseletters", "lowercase123456", "1234567890123", "password123"],
)
def test_weak_passwords_are_refused(password, db):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["demo-pass-2026", "Liaison2026x", "Zhongduo-station"])
def test_strong_passwords_pass(password, db):
    validate_password(password)


def test_the_character_classes_message_is_in_chinese():
    with pytest.raises(ValidationError) as caught:
        CharacterClassesValidator().validate("abcdefghij1")
    assert "至少" in caught.value.messages[0]


def test_the_last_five_passwords_cannot_be_chosen_again(db):
    user = make_user("handler")
    passwords = [f"Rotation-{n}-pass" for n in range(6)]
    for password in passwords:
        user.set_password(password)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for recent in passwords[1:]:
        with pytest.raises(ValidationError):
            validate_password(recent, user)
    # The sixth-last has left the history.
    validate_password(passwords[0], user)


def test_changing_the_password_through_the_page_refuses_the_current_one(client, db):
    user = make_user("handler")
    client.force_login(user)
    url = reverse("accounts:password_change")
    response = client.post(
        url,
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "pw-for-tests-1",
            "new_password2": "pw-for-tests-1",
        },
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("pw-for-tests-1")
    response = client.post(
        url,
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "Fresh-pass-2026",
            "new_password2": "Fresh-pass-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Fresh-pass-2026")


def test_expiry_is_off_by_default(client, db, time_machine):
    time_machine.move_to("2026-01-01 09:00 +0800", tick=False)
    make_user("handler")
    time_machine.move_to("2027-06-01 09:00 +0800", tick=False)
    client.post(reverse("login"), {"username": "handler", "password": "pw-for-tests-1"})
    assert client.get(reverse("workbench:inbox")).status_code == 200


def test_an_expired_password_must_be_changed_first(client, db, settings, time_machine):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    time_machine.move_to("2026-01-01 09:00 +0800", tick=False)
    make_user("handler")
    time_machine.move_to("2026-04-02 09:00 +0800", tick=False)
    client.post(reverse("login"), {"username": "handler", "password": "pw-for-tests-1"})
    assert SESSION_KEY in client.session
    response = client.get(reverse("workbench:inbox"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200
    client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "pw-for-tests-1",
            "new_password1": "Fresh-pass-2026",
            "new_password2": "Fresh-pass-2026",
        },
    )
    assert client.get(reverse("workbench:inbox")).status_code == 200


def test_a_password_within_its_age_is_not_sent_to_change(client, db, settings, time_machine):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    time_machine.move_to("2026-01-01 09:00 +0800", tick=False)
    make_user("handler")
    time_machine.move_to("2026-03-01 09:00 +0800", tick=False)
    client.post(reverse("login"), {"username": "handler", "password": "pw-for-tests-1"})
    assert client.get(reverse("workbench:inbox")).status_code == 200


def test_argon2_is_the_first_hasher_in_production_settings():
    from liaison import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
