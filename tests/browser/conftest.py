"""Headless Chromium (Debian's package) driven by Playwright, closed off from the network."""

import time

import pytest

from tests.browser.proxy import BreakableProxy
from tests.factories import make_centre, make_school, make_user

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_context(browser):
    """A phone in China: its size, its time zone and its language."""
    context = browser.new_context(viewport=PHONE, timezone_id="Asia/Shanghai", locale="zh-CN")
    yield context
    context.close()


def wait_until(page, expression, arg=None, timeout=30000):
    """Poll a page expression (or a function of arg) until it is truthy. page.wait_for_function
    evaluates strings with eval, which the app's Content-Security-Policy rightly forbids;
    page.evaluate is not held to it."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} ms waiting for {expression}")
        page.wait_for_timeout(50)


@pytest.fixture
def site(app, live_server):
    """The app behind a proxy the test can break; an outreach worker and a school."""
    app.config["SYNC_RETRY_BASE_MS"] = 300
    centre = make_centre()
    make_school(centre, name="右玉县第一中学")
    make_user(centre, role="outreach", username="sun")
    proxy = BreakableProxy(int(live_server.url.rsplit(":", 1)[1]))
    proxy.start()
    yield proxy
    proxy.stop()
