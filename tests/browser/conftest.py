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


# Every page of every context reports the Content-Security-Policy violations it meets: the
# `securitypolicyviolation` event through a binding (an init script and a binding run outside the
# page's policy), and Chromium's own "Refused to ..." console errors, which also name violations
# that happen before a listener could run.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation([
    event.effectiveDirective, event.blockedURI, event.disposition,
    event.sourceFile + ":" + event.lineNumber, event.sample, document.location.href,
  ].join(" | "));
});
"""


class CspWatch:
    """The CSP violations and console messages of the pages opened in the current test."""

    def __init__(self):
        self.violations: list[str] = []
        self.console: list[str] = []
        self.contexts: list = []

    def watch(self, context) -> None:
        self.contexts.append(context)
        context.expose_binding("__cspViolation", lambda source, text: self.violations.append(text))
        context.add_init_script(script=_CSP_LISTENER)
        context.on("console", self._console)

    def _console(self, message) -> None:
        text = f"{message.type}: {message.text} ({message.page.url if message.page else '?'})"
        self.console.append(text)
        if "Content Security Policy" in message.text:
            self.violations.append(text)


class WatchedBrowser:
    """Chromium whose every new context (and so every page) is watched for CSP violations."""

    def __init__(self, browser, watch: CspWatch):
        self._browser, self._watch = browser, watch

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        self._watch.watch(context)
        return context

    def new_page(self, **kwargs):
        return self.new_context(**kwargs).new_page()

    def __getattr__(self, name):
        return getattr(self._browser, name)


_csp_watch = CspWatch()


@pytest.fixture(autouse=True)
def _no_csp_violation():
    """Fails the test when any page it opened broke the Content-Security-Policy."""
    _csp_watch.violations.clear()
    _csp_watch.console.clear()
    _csp_watch.contexts.clear()
    yield _csp_watch
    # Closing the contexts a test left open delivers the events still on their way (closing
    # one twice does nothing).
    for context in _csp_watch.contexts:
        context.close()
    if _csp_watch.violations:
        pytest.fail(
            "Content-Security-Policy violations:\n  "
            + "\n  ".join(_csp_watch.violations)
            + "\nConsole:\n  "
            + "\n  ".join(_csp_watch.console),
            pytrace=False,
        )


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server speaks plain http on loopback. Its middleware is built once, when it
    starts, so the https redirect (on whenever DEBUG is off) is turned off before that, for the
    whole session: autouse session fixtures are set up before `live_server`."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False


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
        yield WatchedBrowser(browser, _csp_watch)
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
