"""Station staff set up two-step verification on a phone at their first login."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import needs_chromium, save_screenshot
from tests.factories import totp_now

pytestmark = [pytest.mark.browser, needs_chromium]


def test_staff_enrol_an_authenticator_on_a_phone_and_get_their_recovery_codes(
    live_server, station_staff, phone, settings
):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    base = live_server.url
    phone.goto(f"{base}/accounts/login/")
    phone.get_by_label("用户名").fill(station_staff.get_username())
    phone.get_by_label("密码").fill("pw-for-tests-1")
    phone.get_by_role("button", name="登录").click()

    phone.wait_for_url("**/accounts/two-factor/enrol/**")
    qr = phone.get_by_role("img", name="身份验证器应用的二维码")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    device = TOTPDevice.objects.get(user=station_staff, confirmed=False)
    assert phone.locator("#secret").inner_text().replace(" ", "") in device.config_url
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(phone, "two-step-enrol-phone")

    phone.get_by_label("验证码").fill("12345")
    phone.get_by_role("button", name="确认并开启").click()
    assert phone.get_by_text("验证码为 6 位数字。").is_visible()

    phone.get_by_label("验证码").fill(totp_now(device))
    phone.get_by_role("button", name="确认并开启").click()
    phone.wait_for_url("**/accounts/two-factor/recovery-codes/**")
    assert phone.locator("#recovery-codes li").count() == 10
    phone.get_by_role("link", name="我已保存恢复码，继续").click()
    phone.wait_for_url(f"{base}/workbench/")
