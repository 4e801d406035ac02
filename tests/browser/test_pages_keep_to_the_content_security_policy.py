"""Each role's main pages under the strict Content-Security-Policy, in Debian's Chromium.

The shared `_no_csp_violation` fixture (conftest.py) fails the test on any violation; here every
page is also checked for the header and for the behaviour its script gives it, since a script
the policy blocked fails silently.
"""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from ledger.models import Export
from receptions.models import Duty, DutyLog, ReceptionDay
from suggestions.models import ReplyTemplate, Suggestion
from tests.browser.conftest import needs_chromium, save_screenshot, type_second_factor
from tests.browser.test_county_route_in_the_browser import log_in
from tests.factories import give_authenticator, make_user
from tests.suggestions.conftest import jpeg_bytes

pytestmark = [pytest.mark.browser, needs_chromium]


def visit(page, url: str, name: str):
    response = page.goto(url)
    assert response.ok, f"{url} answered {response.status}"
    policy = response.header_value("content-security-policy") or ""
    assert "script-src 'self'" in policy, f"{url} has no strict policy: {policy!r}"
    page.wait_for_load_state("load")
    save_screenshot(page, f"csp-{name}")
    return response


def test_every_roles_main_pages_keep_to_the_policy(live_server, flow, browser, settings):
    h, n = flow, flow.network
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    base = live_server.url
    n.rep_county.photo.save("wang.jpg", ContentFile(jpeg_bytes(300, 400)), save=True)
    ReplyTemplate.objects.create(
        name="受理告知", step=Suggestion.Status.RECEIVED, text="您的意见已收到，{station}正在办理。"
    )

    # A citizen on a phone: station, representative, poster, the form, the receipt, tracking.
    citizen = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    phone = citizen.new_page()
    code = n.station.code
    visit(phone, f"{base}/stations/{code}/", "station")
    visit(phone, f"{base}{n.rep_county.get_absolute_url()}", "representative")
    visit(phone, f"{base}/stations/{code}/poster/", "poster")
    # The print button calls window.print() from the static script, not from an attribute.
    phone.evaluate("window.print = () => { window.__printed = true; }")
    phone.get_by_role("button", name="打印").click()
    assert phone.evaluate("window.__printed === true")

    visit(phone, f"{base}/s/{code}/", "suggestion-form")
    contact = phone.locator("#contact-fields")
    phone.get_by_label("匿名提交").check()
    expect(contact).to_be_hidden()
    phone.get_by_label("匿名提交").uncheck()
    expect(contact).to_be_visible()
    # A second tap while the first is on its way does nothing: the button turns to "sending".
    # (This first send is held back in the page, to see the button before the answer arrives.)
    phone.evaluate(
        "document.getElementById('suggestion-form')"
        ".addEventListener('submit', (event) => event.preventDefault())"
    )
    phone.get_by_role("button", name="提交").click()
    expect(phone.locator("#submit-button")).to_be_disabled()
    expect(phone.locator("#submit-button")).to_have_text("正在提交…")
    phone.reload()
    phone.get_by_label("是关于什么的？").select_option(label="道路交通")
    phone.get_by_label("标题").fill("南坡田间道路被冲毁")
    phone.get_by_label("您的意见建议").fill("七月暴雨后，通往南坡的田间道路被冲毁。")
    phone.locator("#id_photos").set_input_files(
        [{"name": "road.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(800, 600)}]
    )
    phone.get_by_label("您的姓名").fill("张三")
    phone.get_by_label("您的电话").fill("13812345678")
    phone.get_by_label("我同意保存我的姓名、电话和本意见建议，用于办理。").check()
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_url("**/done/**")
    save_screenshot(phone, "csp-submitted")
    citizen.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    phone.get_by_role("button", name="复制查询码").click()
    expect(phone.get_by_role("button", name="已复制")).to_be_visible()
    phone.get_by_role("link", name="查看办理进度").click()
    phone.get_by_label("手机号后 4 位（匿名提交请填密码）").fill("5678")
    phone.get_by_role("button", name="查询").click()
    expect(phone.get_by_text("南坡田间道路被冲毁")).to_be_visible()
    save_screenshot(phone, "csp-tracking")
    suggestion = Suggestion.objects.get(title="南坡田间道路被冲毁")

    # Station staff at a desk: inbox, the suggestion (photo, reply template), the ledger.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    log_in(desk, base, h.staff)
    save_screenshot(desk, "csp-inbox")
    visit(desk, f"{base}/workbench/suggestions/{suggestion.pk}/", "workbench-suggestion")
    photo = desk.locator(".col-lg-7 img").first
    assert photo.evaluate("e => getComputedStyle(e).height") == "110px"
    content = desk.get_by_text("七月暴雨后，通往南坡的田间道路被冲毁。")
    assert content.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
    desk.get_by_text("答复模板").click()
    desk.get_by_role("button", name="受理告知").click()
    assert "正在办理" in desk.locator(".col-lg-5 textarea").first.input_value()
    visit(desk, f"{base}/ledger/", "ledger")

    # The export page draws its progress from a data attribute.
    export = Export.objects.create(
        user=h.staff, format="csv", state=Export.State.RUNNING, total=200, rows=50
    )
    visit(desk, f"{base}/ledger/exports/{export.pk}/", "export-running")
    bar = desk.get_by_test_id("export-progress")
    ratio = bar.evaluate(
        "e => e.getBoundingClientRect().width / e.parentElement.getBoundingClientRect().width"
    )
    assert ratio == pytest.approx(0.25, abs=0.02)
    export.state = Export.State.DONE
    export.save()

    # A representative logs a reception on a phone; staff open it in the ledger.
    day = ReceptionDay.objects.create(
        station=n.station, date=timezone.localdate(), start_time=dt.time(9),
        end_time=dt.time(11, 30), theme="环境卫生",
    )  # fmt: skip
    Duty.objects.create(day=day, representative=n.rep_county, role="representative")
    rep = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN"
    ).new_page()
    log_in(rep, base, h.rep_user)
    visit(rep, f"{base}/workbench/receptions/{day.pk}/log/", "record-log")
    assert rep.locator("fieldset.raised-row:visible").count() == 1
    rep.get_by_role("button", name="再添加一条").click()
    assert rep.locator("fieldset.raised-row:visible").count() == 2
    rep.get_by_label("来访批次（批次）").fill("1")
    rep.get_by_label("来访人次（人次）").fill("3")
    rep.get_by_label("反映的问题和处理情况").fill("群众反映垃圾清运不及时。")
    rep.locator("input[type=file]").first.set_input_files(
        [{"name": "day.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes(800, 600)}]
    )
    rep.get_by_role("button", name="保存记录").click()
    rep.wait_for_url("**/workbench/receptions/")
    log = DutyLog.objects.get(day=day)
    visit(desk, f"{base}/ledger/receptions/{log.pk}/", "ledger-reception")
    assert desk.locator("main img").first.evaluate("e => getComputedStyle(e).height") == "110px"

    # A supervisor: statistics with their charts, a station's monthly report, the notice.
    log_in(desk, base, h.supervisor)
    visit(desk, f"{base}/statistics/", "statistics")
    assert desk.locator("svg.chart").count() >= 1
    value = desk.locator(".stat-value").first
    assert value.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    month = timezone.localdate().strftime("%Y-%m")
    visit(desk, f"{base}/statistics/report/{code}/{month}/", "report")
    assert desk.locator(".report").evaluate("e => getComputedStyle(e).backgroundColor") == (
        "rgb(255, 255, 255)"
    )
    visit(desk, f"{base}/notice/{code}/", "notice")

    # An administrator: the index, a change list, a change form with a photo, a read-only record.
    log_in_admin(desk, base, make_user("root", superuser=True))
    visit(desk, f"{base}/admin/", "admin-index")
    visit(desk, f"{base}/admin/representatives/representative/", "admin-representatives")
    visit(
        desk,
        f"{base}/admin/representatives/representative/{n.rep_county.pk}/change/",
        "admin-representative",
    )
    visit(desk, f"{base}/admin/suggestions/suggestion/", "admin-suggestions")
    visit(desk, f"{base}/admin/suggestions/suggestion/{suggestion.pk}/change/", "admin-suggestion")
    visit(desk, f"{base}/admin/stations/station/{n.station.pk}/change/", "admin-station")
    # The roster export form keeps its "Select all" (an inline handler allowed by its hash).
    visit(desk, f"{base}/admin/representatives/representative/export/", "admin-export")
    fields = desk.locator('.selectable-field-export-row input[type="checkbox"]:not(.select-toggle)')
    assert fields.count() > 1
    desk.locator("input.select-toggle").uncheck()
    assert not any(fields.nth(i).is_checked() for i in range(fields.count()))
    # The language switch in the admin's header keeps working without its inline styles.
    desk.get_by_role("button", name="English").click()
    expect(desk.get_by_role("button", name=re.compile("中文"))).to_be_visible()


def log_in_admin(page, base, user):
    page.context.clear_cookies()
    give_authenticator(user)
    page.goto(f"{base}/admin/login/")
    page.get_by_label("用户名").fill(user.get_username())
    page.get_by_label("密码").fill("pw-for-tests-1")
    page.get_by_role("button", name="登录").click()
    type_second_factor(page, user)  # the admin site always asks for the second factor
    page.wait_for_url(f"{base}/admin/")
