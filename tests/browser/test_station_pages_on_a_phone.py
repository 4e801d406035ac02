import pytest

from tests.browser.conftest import needs_chromium, save_screenshot

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_citizen_finds_a_station_and_its_representatives_on_a_phone(live_server, network, phone):
    phone.goto(f"{live_server.url}/stations/")
    assert phone.get_by_role("heading", name="联络站目录").is_visible()

    phone.get_by_label("联络站名称或编码").fill("中垛乡")
    phone.get_by_role("button", name="搜索").click()
    phone.get_by_role("link", name="中垛乡人大代表联络站").click()

    phone.wait_for_url(f"**{network.station.get_absolute_url()}")
    assert phone.get_by_role("heading", name="本站代表").is_visible()
    assert phone.locator(".rep-card").count() == 2
    assert phone.get_by_role("link", name="13903571234").is_visible()
    # Nothing wider than the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert save_screenshot(phone, "station-page-phone").stat().st_size > 0

    phone.get_by_role("link", name="王建国").click()
    assert phone.get_by_role("heading", name="王建国").is_visible()
    assert phone.get_by_text("白额村党支部书记").is_visible()


def test_the_language_switch_turns_the_page_into_english_and_back(live_server, network, phone):
    phone.goto(f"{live_server.url}{network.station.get_absolute_url()}")
    phone.get_by_role("button", name="English").click()
    assert phone.get_by_role("heading", name="Our representatives").is_visible()
    phone.get_by_role("button", name="中文").click()
    assert phone.get_by_role("heading", name="本站代表").is_visible()


def test_an_unknown_station_code_shows_a_helpful_page(live_server, db, phone):
    response = phone.goto(f"{live_server.url}/stations/NOPE99/")
    assert response.status == 404
    assert phone.get_by_role("link", name="前往联络站目录").is_visible()
