"""Steps on the offline pre-registration page, shared by the browser tests of the outbox."""

from tests.browser.conftest import wait_until
from tests.factories import PASSWORD, valid_id_number


def sign_in(page, site, username="sun"):
    page.goto(site.url + "/login")
    page.fill("#identifier", username)
    page.fill("#password", PASSWORD)
    page.check("#remember")
    page.click("form button[type=submit]:not(.small)")
    page.wait_for_url(site.url + "/outreach/capture")
    wait_ready(page)
    wait_until(page, "navigator.serviceWorker.controller !== null")
    wait_signed_in(page, username)


def wait_signed_in(page, username):
    """The page learnt from the server who is signed in (its cached copy does not say)."""
    wait_until(page, "u => document.body.dataset.sessionUser === u", username)


def wait_ready(page):
    page.wait_for_selector("#capture[data-ready='1']", state="attached")


def capture(page, name, id_number=None):
    before = page.locator("#records li").count()
    page.select_option("#f-school", label="右玉县第一中学")
    page.fill("#f-name", name)
    page.fill("#f-id", id_number or valid_id_number())
    page.click("#student-form button[type=submit]")
    wait_until(page, f"document.querySelectorAll('#records li').length > {before}")


def pending(page):
    return int(page.inner_text("#pending-count"))


def wait_pending(page, count, timeout=20000):
    wait_ready(page)
    wait_until(page, f"document.getElementById('pending-count').textContent === '{count}'", timeout=timeout)


def go_offline(context, site):
    site.stop()
    context.set_offline(True)


def go_online(context, site):
    site.start()
    context.set_offline(False)
