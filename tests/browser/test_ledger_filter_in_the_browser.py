"""An official narrows the ledger to one station by typing part of its name, on a phone."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.conftest import needs_chromium, save_screenshot
from tests.browser.test_county_route_in_the_browser import log_in

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_supervisor_picks_a_station_by_typing_and_filters(live_server, flow, phone, settings):
    h, n = flow, flow.network
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    h.submit(station=n.point_baie, title="村口路灯不亮", content="白额村村口的路灯坏了三个月。")
    h.submit(title="集市占道经营", content="逢集日车辆难行，希望规范摆摊。")
    base = live_server.url
    # Whatever goes wrong in the page is named in the failure message.
    problems = []
    phone.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    phone.on("pageerror", lambda e: problems.append(str(e)))
    phone.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    log_in(phone, base, h.supervisor)
    phone.goto(f"{base}/ledger/")
    rows = phone.locator("table tbody tr")
    assert rows.count() == 2

    # The station list is not on the page; it is searched as the user types.
    picker = phone.locator("#id_station + .select2")
    try:
        picker.wait_for(timeout=10_000)
    except PlaywrightTimeoutError:
        pytest.fail(f"The station picker did not appear; the page reported: {problems}")
    picker.click()
    phone.locator(".select2-search__field").fill("白额")
    # Only the matching station is offered once the search has answered.
    expect(phone.locator(".select2-results__option")).to_have_text(["白额村代表联络点"])
    phone.locator(".select2-results__option", has_text="白额村代表联络点").click()
    save_screenshot(phone, "ledger-station-picked")
    phone.get_by_role("button", name="筛选").click()
    phone.wait_for_url("**/ledger/?*station=*")

    assert rows.count() == 1 and "村口路灯不亮" in rows.first.inner_text()
    # After the reload the chosen station still reads as chosen.
    assert "白额村代表联络点" in phone.locator("#id_station + .select2").inner_text()
    save_screenshot(phone, "ledger-filtered")
