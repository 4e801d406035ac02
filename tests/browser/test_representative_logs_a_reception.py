import datetime as dt

import pytest
from django.utils import timezone

from receptions.models import Duty, ReceptionDay
from suggestions.models import Suggestion
from tests.browser.conftest import needs_chromium, save_screenshot, type_second_factor
from tests.factories import give_authenticator

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_representative_logs_a_reception_on_a_phone_and_staff_see_the_suggestion(
    live_server, flow, browser, settings
):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    day = ReceptionDay.objects.create(
        station=flow.network.station, date=timezone.localdate(), start_time=dt.time(9),
        end_time=dt.time(11, 30), theme="环境卫生",
    )  # fmt: skip
    Duty.objects.create(day=day, representative=flow.network.rep_county, role="representative")

    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN"
    ).new_page()
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("用户名").fill("rep")
    phone.get_by_label("密码").fill("pw-for-tests-1")
    phone.get_by_role("button", name="登录").click()
    phone.get_by_role("link", name="接待日").click()
    phone.get_by_role("link", name="记录本次接待").click()
    phone.get_by_label("来访批次（批次）").fill("2")
    phone.get_by_label("来访人次（人次）").fill("5")
    phone.get_by_label("反映的问题和处理情况").fill("群众反映垃圾清运不及时。")
    row = phone.locator("fieldset.raised-row").first
    row.get_by_label("主题").select_option(label="道路交通")
    row.get_by_label("标题").fill("垃圾清运不及时")
    row.get_by_label("群众反映的内容").fill("东村垃圾点三天才清运一次，夏天气味很大。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    save_screenshot(phone, "duty-log-phone")
    phone.get_by_role("button", name="保存记录").click()
    phone.wait_for_url("**/workbench/receptions/")
    assert phone.get_by_text("已记录", exact=True).is_visible()

    suggestion = Suggestion.objects.get(title="垃圾清运不及时")
    assert suggestion.channel == "reception" and suggestion.reception_day == day

    desk = browser.new_context(locale="zh-CN").new_page()
    give_authenticator(flow.staff)
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.get_by_label("用户名").fill(flow.staff.get_username())
    desk.get_by_label("密码").fill("pw-for-tests-1")
    desk.get_by_role("button", name="登录").click()
    type_second_factor(desk, flow.staff)
    desk.wait_for_url(f"{live_server.url}/workbench/")
    assert desk.get_by_role("link", name="垃圾清运不及时").is_visible()
