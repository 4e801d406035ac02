"""One suggestion along the county route, by the people who do it, in Debian's Chromium."""

import re

import pytest

from suggestions.models import Suggestion
from tests.browser.conftest import needs_chromium, save_screenshot, type_second_factor
from tests.factories import give_authenticator

pytestmark = [pytest.mark.browser, needs_chromium]
PASSWORD = "pw-for-tests-1"


def log_in(page, base, user):
    page.context.clear_cookies()
    give_authenticator(user)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(user.get_username())
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    type_second_factor(page, user)
    page.wait_for_url(f"{base}/workbench/")


def do(page, button, **fields):
    """Fill and send the action form whose button reads `button`."""
    form = page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))
    for label, value in fields.items():
        # Required fields carry crispy's asterisk in their label.
        field = form.get_by_label(re.compile(r"^\s*" + re.escape(label) + r"\*?\s*$"))
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def test_county_route_from_the_citizen_to_the_rating(live_server, flow, browser, settings):
    h = flow
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    base = live_server.url
    citizen = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN"
    )
    phone = citizen.new_page()
    phone.goto(f"{base}/s/{h.network.station.code}/")
    phone.get_by_label("是关于什么的？").select_option(label="道路交通")
    phone.get_by_label("标题").fill("南坡田间道路被冲毁")
    phone.get_by_label("您的意见建议").fill("七月暴雨后，通往南坡的田间道路被冲毁，农机无法通行。")
    phone.get_by_label("您的姓名").fill("张三")
    phone.get_by_label("您的电话").fill("13812345678")
    phone.get_by_label("我同意保存我的姓名、电话和本意见建议，用于办理。").check()
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_url("**/done/**")
    suggestion = Suggestion.objects.get(title="南坡田间道路被冲毁")

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    log_in(desk, base, h.staff)
    desk.get_by_role("link", name="南坡田间道路被冲毁").click()
    do(desk, "受理")
    do(desk, "确定办理方式", 办理方式="协调县直部门办理", 主办单位="吉县交通运输局")
    assert desk.get_by_text("已交办").first.is_visible()
    save_screenshot(desk, "workbench-suggestion-assigned")

    log_in(desk, base, h.transport_handler)
    desk.goto(f"{base}/workbench/suggestions/{suggestion.pk}/")
    do(desk, "签收")
    do(
        desk,
        "办结",
        办理结果="已安排施工队修复，道路已恢复通行。",
        办理结果分类="A：已解决或基本解决",
    )

    log_in(desk, base, h.staff)
    desk.goto(f"{base}/workbench/suggestions/{suggestion.pk}/")
    do(desk, "登记反馈", 反馈方式="电话", 告知群众的内容="已电话告知张三道路修复情况。")
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.FED_BACK

    phone.goto(f"{base}/track/?code={suggestion.tracking_code}")
    phone.get_by_label("手机号后 4 位（匿名提交请填密码）").fill("5678")
    phone.get_by_role("button", name="查询").click()
    assert (
        phone.get_by_role("paragraph")
        .filter(has_text="已安排施工队修复，道路已恢复通行。")
        .is_visible()
    )
    phone.get_by_label("满意", exact=True).check()
    phone.get_by_role("button", name="提交评价").click()
    phone.wait_for_load_state()
    save_screenshot(phone, "tracking-rated-phone")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.rating) == (Suggestion.Status.CLOSED, "satisfied")
    citizen.close()
