"""A school's bad network and a server that does not answer, in real Chromium through the
breakable proxy: the page knocks once a step of its backoff, sends the outbox as soon as it is
answered, and a sign-in during the outage saves at once, under the person who signed in."""

import time

import pytest

from tests.browser.capture_helpers import capture, pending, sign_in, wait_pending
from tests.factories import make_user
from webapp.models import Centre, PreRegistration

pytestmark = pytest.mark.browser
BASE_MS = 300  # SYNC_RETRY_BASE_MS of the site fixture; deployed, 5000 (the same steps, longer)


def test_pings_during_an_outage_follow_the_backoff(phone_context, site):
    """Each wait doubles (±20 %): one ping a step, no probe in between."""
    page = phone_context.new_page()
    sign_in(page, site)
    site.fail_api = 10**6
    started = time.monotonic()
    capture(page, "停机学生")
    while len(site.pings(since=started)) < 7:  # the first try and six steps: 0.3 s to 9.6 s
        page.wait_for_timeout(100)
    times = [at for at, _answered in site.pings(since=started)][:7]
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    for step, gap in enumerate(gaps):  # never sooner than its step, less its jitter
        assert gap >= 0.8 * BASE_MS / 1000 * 2**step - 0.05, (step, gaps)
    assert pending(page) == 1
    assert "秒后重试" in page.inner_text("#connection")


def test_the_outbox_drains_as_soon_as_a_ping_is_answered(phone_context, site):
    page = phone_context.new_page()
    sign_in(page, site)
    site.fail_api = 10**6
    started = time.monotonic()
    for n in range(3):
        capture(page, f"故障期间学生{n}")
    while len(site.pings(since=started)) < 5:  # the wait has grown past two seconds
        page.wait_for_timeout(100)
    site.fail_api = 0
    wait_pending(page, 0, timeout=20000)
    answered = next(at for at, ok in site.pings(since=started) if ok)
    synced = [at for at, method, path, status in site.api_calls if path == "/api/sync" and status == 200]
    assert synced and 0 <= synced[0] - answered < 2  # sent with the first answer, not at a later step
    assert PreRegistration.select().count() == 3


def test_a_sign_in_during_an_api_outage_saves_at_once_under_that_person(phone_context, site):
    """Sun signed in on the phone before; the session ended without a sign-out. Li signs in
    while /api/ answers 503: the form saves at once, and the record is Li's, never Sun's."""
    make_user(Centre.get(), role="outreach", username="li", name="李老师")
    page = phone_context.new_page()
    sign_in(page, site, "sun")
    phone_context.clear_cookies()
    site.fail_api = 10**6
    sign_in(page, site, "li")
    assert page.is_hidden("#identity-unknown")
    assert page.is_enabled("#student-form button[type=submit]")
    capture(page, "停机时登记的学生")
    owners = page.evaluate(
        "async () => [(await Outbox.recordsOf('li')).length, (await Outbox.recordsOf('sun')).length]"
    )
    assert owners == [1, 0]
    assert pending(page) == 1
    site.fail_api = 0
    page.click("#sync-now")
    wait_pending(page, 0)
    record = PreRegistration.get()
    assert (record.name, record.captured_by.username) == ("停机时登记的学生", "li")
