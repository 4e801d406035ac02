"""The demo logins and two-step verification: a printed demo secret with DEBUG=1, nothing
exempted and no known secret without it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.base import DEMO_TOTP_KEY


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_with_debug_the_demo_logins_use_the_printed_demo_secret(client, settings):
    settings.DEBUG = True
    summary = run("load_demo")

    devices = TOTPDevice.objects.filter(key=DEMO_TOTP_KEY, confirmed=True)
    assert set(devices.values_list("user__username", flat=True)) == {
        "admin", "zhongduo_staff", "xingfu_staff", "supervisor", "transport_handler",
        "township_handler", "sysadmin", "secadmin", "auditor",
    }  # fmt: skip
    assert not TOTPDevice.objects.filter(user__username="rep_demo").exists()
    assert "NRUW C2LT N5XC 2ZDF NVXS 25DP ORYC 2MRW" in summary
    assert "manage.py demo_otp_code" in summary

    # The printed code logs the demo staff in, the way a visitor does it.
    client.post(reverse("login"), {"username": "zhongduo_staff", "password": "demo-pass-2026"})
    assert client.get("/workbench/").url.startswith(reverse("twofactor:verify"))
    code = run("demo_otp_code").strip()
    response = client.post(reverse("twofactor:verify"), {"code": code, "next": "/workbench/"})
    assert response.status_code == 302
    assert client.get("/workbench/").status_code == 200

    run("load_demo")  # a second run adds no second authenticator
    assert devices.count() == 9


@pytest.mark.django_db
def test_without_debug_no_demo_secret_exists_and_staff_must_enrol(client, settings):
    settings.DEBUG = False
    summary = run("load_demo")

    assert not TOTPDevice.objects.exists()
    assert "demo_otp_code" not in summary
    with pytest.raises(CommandError):
        run("demo_otp_code")
    client.post(reverse("login"), {"username": "zhongduo_staff", "password": "demo-pass-2026"})
    assert client.get("/workbench/").url.startswith(reverse("twofactor:enrol"))
