import re

import pytest

from suggestions.models import Suggestion
from tests.browser.conftest import needs_chromium, save_screenshot
from tests.suggestions.conftest import jpeg_bytes

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_citizen_scans_submits_with_a_photo_and_tracks_on_a_phone(
    live_server, network, roads, phone, settings
):
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    phone.goto(f"{live_server.url}/s/{network.station.code}/")
    assert phone.get_by_role("heading", name="向代表反映意见建议").is_visible()

    phone.get_by_label("是关于什么的？").select_option(label="道路交通")
    phone.get_by_label("村（社区）").select_option(label="白额村")
    phone.get_by_label("标题").fill("白额村田间道路被冲毁")
    phone.get_by_label("您的意见建议").fill(
        "七月暴雨后，白额村通往南坡的田间道路被冲毁，农机无法通行。"
    )
    phone.locator("#id_photos").set_input_files(
        [{"name": "road.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(2000, 1500, gps=True)}]
    )
    phone.get_by_label("您的姓名").fill("张三")
    phone.get_by_label("您的电话").fill("13812345678")
    phone.get_by_label("我同意保存我的姓名、电话和本意见建议，用于办理。").check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(phone, "suggestion-form-phone")

    phone.get_by_role("button", name="提交").click()
    phone.wait_for_url("**/done/**")
    code = phone.locator("#tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    save_screenshot(phone, "suggestion-submitted-phone")
    suggestion = Suggestion.objects.get()
    assert suggestion.display_tracking_code == code
    assert suggestion.photos.count() == 1

    phone.get_by_role("link", name="查看办理进度").click()
    assert phone.get_by_label("查询码").input_value() == suggestion.tracking_code
    phone.get_by_label("手机号后 4 位（匿名提交请填密码）").fill("5678")
    phone.get_by_role("button", name="查询").click()
    assert phone.get_by_text("待受理").is_visible()
    assert phone.get_by_text("白额村田间道路被冲毁").is_visible()
    save_screenshot(phone, "suggestion-tracking-phone")


def test_the_large_text_mode_is_one_tap_away(live_server, network, roads, phone):
    phone.goto(f"{live_server.url}/s/{network.station.code}/")
    phone.get_by_role("link", name="大字模式").click()
    assert phone.evaluate("document.body.classList.contains('large-text')")
    phone.goto(f"{live_server.url}/track/")
    assert phone.evaluate("document.body.classList.contains('large-text')")
