"""Station staff export the filtered ledger to Excel on a phone, watch it finish, download it."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from ledger import exports
from ledger.models import Export
from tests.browser.conftest import needs_chromium, save_screenshot
from tests.browser.test_county_route_in_the_browser import log_in

pytestmark = [pytest.mark.browser, needs_chromium]


def test_staff_export_the_filtered_ledger_and_download_the_file(live_server, flow, phone, settings):
    h, n = flow, flow.network
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    h.submit(station=n.point_baie, title="村口路灯不亮", content="白额村村口的路灯坏了三个月。")
    h.submit(title="集市占道经营", content="逢集日车辆难行，希望规范摆摊。")
    base = live_server.url
    log_in(phone, base, h.staff)
    phone.goto(f"{base}/ledger/?q=路灯")
    expect(phone.locator("table tbody tr")).to_have_count(1)

    phone.get_by_role("button", name="Excel").click()
    phone.wait_for_url("**/ledger/exports/*/")
    export = Export.objects.get()
    assert (export.user, export.format, export.filters) == (h.staff, "xlsx", {"q": "路灯"})
    expect(phone.get_by_test_id("export-filter")).to_contain_text("路灯")
    # The worker's part; without a broker the task already ran in the request (then: None).
    exports.export_run(export_id=export.pk)

    # The page refreshes itself until the file is ready.
    download_link = phone.get_by_role("link", name="下载")
    expect(download_link).to_be_visible(timeout=10_000)
    expect(phone.get_by_test_id("export-state")).to_have_text("已完成")
    save_screenshot(phone, "ledger-export-ready")
    with phone.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as f:
        book = openpyxl.load_workbook(io.BytesIO(f.read()), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 and "村口路灯不亮" in rows[1]
