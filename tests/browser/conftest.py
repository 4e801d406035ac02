import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Under CI a missing Chromium is a failure (the launch below raises), never a skip.
needs_chromium = pytest.mark.skipif(
    os.environ.get("CI") != "true" and not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (apt-get install chromium); CI installs it.",
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache (Redis under CI, kept between runs): every browser
    test starts from zero, or a rerun within the hour meets the limits of the last one."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["pages"].clear()
    yield


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between page actions are ordinary synchronous ones.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A page the size of a common Android phone, Chinese locale, as in WeChat's browser."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
        has_touch=True, locale="zh-CN",
    )  # fmt: skip
    page = context.new_page()
    yield page
    context.close()


def type_second_factor(page, user) -> None:
    """The second step of the login: type the current code of `user`'s authenticator (given
    with tests.factories.give_authenticator before the password)."""
    from tests.factories import give_authenticator, totp_now

    page.get_by_label("验证码").fill(totp_now(give_authenticator(user)))
    page.get_by_role("button", name="验证").click()


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
