"""Two-step verification: required by role and on the admin site, enrolment, recovery codes,
wrong codes counted as failed logins."""

import pytest
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from liaison.roles import Role
from tests.factories import give_authenticator, make_user, totp_now
from twofactor.services import recovery_codes_issue

PASSWORD = "pw-for-tests-1"
WORKBENCH = "/workbench/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The per-user counters live in the cache, which outlives each test's database.
    cache.clear()
    yield
    cache.clear()


def log_in_with_password(client, user, next_url=WORKBENCH):
    response = client.post(
        f"{reverse('login')}?next={next_url}",
        {"username": user.get_username(), "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302, "the password was refused"
    return response


def test_station_staff_without_an_authenticator_are_sent_to_set_one_up(client, station_staff):
    log_in_with_password(client, station_staff)
    response = client.get(WORKBENCH)
    assert response.status_code == 302
    assert response.url == f"{reverse('twofactor:enrol')}?next=/workbench/"


def test_station_staff_with_an_authenticator_cannot_reach_the_workbench_with_the_password_alone(
    client, station_staff
):
    device = give_authenticator(station_staff)
    log_in_with_password(client, station_staff)
    for url in (WORKBENCH, reverse("ledger:suggestions"), reverse("twofactor:enrol")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("twofactor:verify")), url

    response = client.post(
        reverse("twofactor:verify"), {"code": totp_now(device), "next": WORKBENCH}
    )
    assert response.status_code == 302 and response.url == WORKBENCH
    assert client.get(WORKBENCH).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.STATION_HEAD, Role.DEPARTMENT_HANDLER, Role.SUPERVISOR, Role.STATION_STAFF]
)
def test_every_role_in_the_default_setting_must_set_up_an_authenticator(client, db, role):
    user = make_user("someone", role=role)
    log_in_with_password(client, user)
    response = client.get(WORKBENCH)
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor:enrol"))


def test_the_admin_site_needs_the_second_factor(client, superuser):
    device = give_authenticator(superuser)
    log_in_with_password(client, superuser, next_url="/admin/")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == f"{reverse('twofactor:verify')}?next=/admin/"
    assert client.get("/admin/auth/user/").status_code == 302

    client.post(reverse("twofactor:verify"), {"code": totp_now(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def test_staff_of_no_required_role_still_enrol_before_the_admin_site(client, db, settings):
    settings.OTP_REQUIRED_ROLES = []
    user = make_user("clerk", staff=True)
    log_in_with_password(client, user)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor:enrol"))


def test_a_superuser_without_an_authenticator_must_enrol_whatever_the_setting(
    client, superuser, settings
):
    settings.OTP_REQUIRED_ROLES = []
    log_in_with_password(client, superuser)
    response = client.get(WORKBENCH)
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor:enrol"))


def test_enrolment_from_the_qr_code_to_the_recovery_codes(client, station_staff):
    log_in_with_password(client, station_staff)
    page = client.get(f"{reverse('twofactor:enrol')}?next=/workbench/")
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    device = TOTPDevice.objects.get(user=station_staff, confirmed=False)
    # The secret in text, as an authenticator app takes it by hand, and the QR code as an image
    # from this site.
    assert page.context["secret"].replace(" ", "") in device.config_url
    qr = client.get(reverse("twofactor:enrol_qr"))
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png"
    assert qr.content.startswith(b"\x89PNG")
    assert "no-store" in qr["Cache-Control"]

    wrong = client.post(reverse("twofactor:enrol"), {"code": "12345", "next": WORKBENCH})
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["code"] == ["验证码为 6 位数字。"]

    response = client.post(
        reverse("twofactor:enrol"), {"code": totp_now(device), "next": WORKBENCH}
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('twofactor:recovery_codes')}?next=%2Fworkbench%2F"
    device.refresh_from_db()
    assert device.confirmed

    shown = client.get(response.url)
    codes = shown.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in shown.content.decode() for code in codes)
    assert set(
        StaticToken.objects.filter(device__user=station_staff).values_list("token", flat=True)
    ) == set(codes)
    # Shown once.
    again = client.get(response.url)
    assert again.status_code == 302 and again.url == reverse("twofactor:manage")
    # The session counts as verified, so the workbench opens.
    assert client.get(WORKBENCH).status_code == 200


def test_a_recovery_code_works_once(client, station_staff):
    give_authenticator(station_staff)
    code = recovery_codes_issue(user=station_staff)[3]

    log_in_with_password(client, station_staff)
    response = client.post(reverse("twofactor:verify"), {"code": code.upper(), "next": WORKBENCH})
    assert response.status_code == 302 and response.url == WORKBENCH
    assert client.get(WORKBENCH).status_code == 200
    assert StaticToken.objects.filter(device__user=station_staff).count() == 9

    client.post(reverse("logout"))
    log_in_with_password(client, station_staff)
    response = client.post(reverse("twofactor:verify"), {"code": code, "next": WORKBENCH})
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == [
        "这个恢复码不正确或已经用过，每个恢复码只能用一次。"
    ]
    assert client.get(WORKBENCH).status_code == 302


def test_a_wrong_code_is_refused_with_an_error_on_the_code_field(client, station_staff):
    device = give_authenticator(station_staff)
    log_in_with_password(client, station_staff)
    right = totp_now(device)
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    response = client.post(reverse("twofactor:verify"), {"code": wrong, "next": WORKBENCH})
    assert response.status_code == 400
    [error] = response.context["form"].errors["code"]
    assert error.startswith("验证码不正确或已过期")
    assert "验证码" in response.content.decode()
    assert client.get(WORKBENCH).status_code == 302


def test_a_representative_without_an_authenticator_logs_in_with_the_password(client, network):
    rep = make_user("rep", role=Role.REPRESENTATIVE)
    log_in_with_password(client, rep, next_url=reverse("duty_logs:mine"))
    assert client.get(reverse("duty_logs:mine")).status_code == 200
    assert client.get(reverse("twofactor:manage")).status_code == 200


def test_a_representative_may_opt_in_and_is_then_asked_for_the_code(client, network):
    rep = make_user("rep", role=Role.REPRESENTATIVE)
    log_in_with_password(client, rep)
    client.get(reverse("twofactor:enrol"))
    device = TOTPDevice.objects.get(user=rep)
    response = client.post(reverse("twofactor:enrol"), {"code": totp_now(device)})
    assert response.status_code == 302

    client.post(reverse("logout"))
    log_in_with_password(client, rep)
    response = client.get(reverse("duty_logs:mine"))
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor:verify"))


def test_the_setting_decides_which_roles_must_enrol(client, network, station_staff, settings):
    rep = make_user("rep", role=Role.REPRESENTATIVE)
    settings.OTP_REQUIRED_ROLES = ["REPRESENTATIVE"]
    log_in_with_password(client, rep)
    response = client.get(reverse("duty_logs:mine"))
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor:enrol"))

    client.post(reverse("logout"))
    log_in_with_password(client, station_staff)
    assert client.get(WORKBENCH).status_code == 200


def test_a_role_that_must_use_it_cannot_turn_it_off(client, station_staff):
    client.force_login(station_staff)
    client.post(reverse("twofactor:turn_off"))
    assert TOTPDevice.objects.filter(user=station_staff).exists()


def test_the_password_alone_cannot_add_an_authenticator_to_an_account_that_has_one(
    client, station_staff
):
    give_authenticator(station_staff)
    log_in_with_password(client, station_staff)
    response = client.get(reverse("twofactor:enrol"))
    assert response.status_code == 302 and response.url.startswith(reverse("twofactor:verify"))
    assert client.get(reverse("twofactor:enrol_qr")).status_code == 403
    response = client.post(reverse("twofactor:enrol"), {"code": "123456"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=station_staff, confirmed=False).exists()


def test_wrong_codes_count_as_failed_logins_and_are_limited_per_user(
    client, station_staff, settings
):
    settings.OTP_RATE_PER_USER = "3/h"
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the device's own back-off would hide the limit
    device = give_authenticator(station_staff)
    failures = []

    def record(sender, credentials, request, **kwargs):
        failures.append(credentials["username"])

    user_login_failed.connect(record)
    try:
        log_in_with_password(client, station_staff)
        right = totp_now(device)
        wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
        for _attempt in range(3):
            client.post(reverse("twofactor:verify"), {"code": wrong})
        response = client.post(reverse("twofactor:verify"), {"code": right})
    finally:
        user_login_failed.disconnect(record)
    assert failures == [station_staff.username] * 3
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == ["这个账号输错验证码的次数太多，请稍后再试。"]
    assert client.get(WORKBENCH).status_code == 302


def test_the_next_address_never_leads_off_the_site(client, station_staff):
    device = give_authenticator(station_staff)
    log_in_with_password(client, station_staff)
    response = client.post(
        reverse("twofactor:verify"), {"code": totp_now(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == WORKBENCH


def test_an_unknown_role_in_the_setting_stops_the_start(settings):
    from django.core.management.base import SystemCheckError

    settings.OTP_REQUIRED_ROLES = ["STATION_STAF"]
    with pytest.raises(SystemCheckError, match="STATION_STAF"):
        call_command("check")


def test_a_right_code_typed_during_the_back_off_is_told_to_wait(client, station_staff):
    device = give_authenticator(station_staff)
    log_in_with_password(client, station_staff)
    right = totp_now(device)
    wrong = f"{(int(right) + 500_000) % 1_000_000:06d}"
    client.post(reverse("twofactor:verify"), {"code": wrong})
    # Six wrong codes in a row: the device waits 32 seconds, longer than any slow test machine.
    device.refresh_from_db()
    device.throttling_failure_count = 6
    device.save(update_fields=["throttling_failure_count"])
    response = client.post(reverse("twofactor:verify"), {"code": right})
    assert response.status_code == 400
    [error] = response.context["form"].errors["code"]
    assert error.startswith("连续输错验证码的次数太多，请等") and error.endswith("秒后再试。")
