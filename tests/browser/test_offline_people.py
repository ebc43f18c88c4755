"""The offline page with real people around it, in real Chromium: a shared phone, days offline,
a wrong clock, a browser that cannot store, an outage, a second tab, an edit racing an answer,
sign-out, settled records ageing out, and the installed app started with no network."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from tests.browser.capture_helpers import (
    capture,
    go_offline,
    go_online,
    pending,
    sign_in,
    wait_pending,
    wait_ready,
    wait_signed_in,
)
from tests.browser.conftest import wait_until
from tests.factories import PASSWORD, make_user, valid_id_number
from webapp.models import Centre, PreRegistration, SchoolVisit, User

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")

CACHED_AND_KEPT = """async () => {
    const pages = [];
    for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) pages.push(new URL(request.url).pathname);
    }
    const db = await new Promise((resolve) => {
        indexedDB.open("studentloan-outbox").onsuccess = (event) => resolve(event.target.result);
    });
    const read = (store, key) => new Promise((resolve) => {
        const s = db.transaction(store).objectStore(store);
        const request = key ? s.get(key) : s.getAll();
        request.onsuccess = () => resolve(request.result);
    });
    return { pages, records: await read("records"), session: await read("meta", "session") || null,
        reference: await read("meta", "reference:sun") || null, storage: JSON.stringify(localStorage) };
}"""


def sign_out(page):
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form[data-logout] button[type=submit]")
    page.wait_for_url("**/login")


def test_a_record_left_on_a_shared_phone_is_never_sent_under_the_next_user(phone_context, site):
    """User A's sign-in lapses with a record unsent; B signs in while the capture page is slow,
    so the worker serves its cached copy: the page shows B, sends nothing of A's, and A's record
    goes out under A's name once A signs in again."""
    make_user(Centre.get(), role="outreach", username="li", name="李老师")
    sun = User.get(User.username == "sun")
    page = phone_context.new_page()
    sign_in(page, site)
    site.fail_api = 10**6
    capture(page, "孙留下的学生")
    assert pending(page) == 1
    phone_context.clear_cookies()  # A's session ends without signing out on this phone

    site.fail_api = 0
    site.delays["/outreach/capture"] = 6  # slower than the worker's 3 s wait
    page.goto(site.url + "/login")
    page.fill("#identifier", "li")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]:not(.small)")
    page.wait_for_url(site.url + "/outreach/capture")
    wait_ready(page)
    wait_signed_in(page, "li")
    assert page.inner_text("#whoami") == "李老师"
    assert "孙留下的学生" not in page.inner_text("#records")
    assert "1" in page.inner_text("#others-note")
    capture(page, "李的学生")
    wait_pending(page, 0)
    rows = list(PreRegistration.select())
    assert [(r.name, r.captured_by.username) for r in rows] == [("李的学生", "li")]

    site.delays.clear()
    sign_out(page)
    sign_in(page, site, "sun")
    wait_pending(page, 0)
    row = PreRegistration.get(PreRegistration.name == "孙留下的学生")
    assert (row.captured_by_id, row.sent_by_id) == (sun.id, None)


def test_sign_out_leaves_only_the_unsent_records_and_the_next_user_sees_none(phone_context, site):
    make_user(Centre.get(), role="outreach", username="li", name="李老师")
    page = phone_context.new_page()
    sign_in(page, site)
    site.fail_api = 10**6
    capture(page, "未发送学生")
    page.fill("#f-name", "草稿里的名字")
    page.dispatch_event("#f-name", "input")
    before = page.evaluate(CACHED_AND_KEPT)
    assert "/outreach/capture" in before["pages"] and before["reference"] and "草稿" in before["storage"]

    page.once("dialog", lambda dialog: dialog.accept())  # "records are not sent yet"
    page.click("form[data-logout] button[type=submit]")
    page.wait_for_url("**/login")
    page.goto(site.url + "/offline")
    after = page.evaluate(CACHED_AND_KEPT)
    assert all(p.startswith("/static/") or p == "/offline" for p in after["pages"]), after["pages"]
    assert after["session"] is None and after["reference"] is None and "草稿" not in after["storage"]
    assert [r["data"]["name"] for r in after["records"]] == ["未发送学生"]

    site.fail_api = 0
    sign_in(page, site, "li")
    assert page.locator("#records li").count() == 0
    assert not page.is_hidden("#others-note")
    assert PreRegistration.select().count() == 0


def test_a_visit_is_recorded_on_the_devices_own_next_day(phone_context, site):
    """The page was loaded yesterday (by the device's clock) and the phone worked offline into
    the next day: the form's today is the device's, and the server takes it."""
    now = datetime.now(timezone.utc)
    phone_context.clock.install(time=now)
    page = phone_context.new_page()
    sign_in(page, site)
    go_offline(phone_context, site)
    later = now + timedelta(hours=20)
    page.clock.set_system_time(later)  # the page stays open into the next day
    page.click("#tab-visit")
    device_today = later.astimezone(SHANGHAI).date().isoformat()
    assert page.input_value("#visit-date") == device_today
    page.select_option("#visit-school", label="右玉县第一中学")
    page.fill("#visit-leaflets", "80")
    page.click("#visit-form button[type=submit]")
    page.wait_for_selector("#visit-message:not([hidden])")
    go_online(phone_context, site)
    wait_pending(page, 0)
    visit = SchoolVisit.get()
    assert visit.visited_on.isoformat() == device_today
    assert 19 * 3600 < visit.clock_skew < 21 * 3600


def test_a_device_five_days_ahead_is_flagged_and_nothing_is_corrected(phone_context, site, app):
    now = datetime.now(timezone.utc)
    phone_context.clock.install(time=now + timedelta(days=5))
    page = phone_context.new_page()
    sign_in(page, site)
    capture(page, "钟快学生")
    wait_pending(page, 0)
    row = PreRegistration.get()
    assert row.clock_flag == "day_off" and abs(row.clock_skew - 5 * 86400) < 600
    assert row.captured_at > row.received_at + timedelta(days=4)
    page.goto(f"{site.url}/outreach/pre-registrations/{row.id}")
    text = page.inner_text("main")
    assert "设备时钟" in text and "5天" in text.replace(" ", "")


def test_a_browser_that_cannot_store_says_so_and_does_not_hang(phone_context, site):
    page = phone_context.new_page()
    sign_in(page, site)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(
        "IDBFactory.prototype.open = function () { throw new DOMException('no storage', 'InvalidStateError'); };"
    )
    page.reload()
    page.wait_for_selector("#no-storage:not([hidden])")
    assert "检查网络" not in page.inner_text("#connection")
    assert page.is_disabled("#student-form button[type=submit]")
    assert page.is_disabled("#visit-form button[type=submit]")
    assert errors == []


def test_a_full_storage_keeps_the_typed_record_in_the_form(phone_context, site):
    page = phone_context.new_page()
    page.add_init_script(
        """const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function (...args) {
            if (window.storageFull && this.name === "records") throw new DOMException("full", "QuotaExceededError");
            return put.apply(this, args);
        };"""
    )
    sign_in(page, site)
    page.evaluate("window.storageFull = true")
    number = valid_id_number()
    page.select_option("#f-school", label="右玉县第一中学")
    page.fill("#f-name", "存不下的学生")
    page.fill("#f-id", number)
    page.click("#student-form button[type=submit]")
    page.wait_for_selector("#save-message.flash-error:not([hidden])")
    assert "已满" in page.inner_text("#save-message")
    assert page.input_value("#f-name") == "存不下的学生" and page.input_value("#f-id") == number
    assert page.locator("#records li").count() == 0
    page.evaluate("window.storageFull = false")
    page.click("#student-form button[type=submit]")
    wait_until(page, "document.querySelectorAll('#records li').length === 1")
    wait_pending(page, 0)
    assert PreRegistration.get().name == "存不下的学生"


def test_signing_in_from_another_tab_resumes_sending_here(phone_context, site):
    first = phone_context.new_page()
    sign_in(first, site)
    phone_context.clear_cookies()
    capture(first, "等待登录的学生")
    first.wait_for_selector("#signin-needed:not([hidden])")
    second = phone_context.new_page()
    sign_in(second, site)
    wait_pending(first, 0, timeout=15000)
    assert first.is_hidden("#signin-needed")
    assert PreRegistration.get().name == "等待登录的学生"


def test_an_edit_saved_while_an_answer_arrives_is_never_overwritten(phone_context, site):
    page = phone_context.new_page()
    sign_in(page, site)
    # Straight on the outbox, in both orders: the answer for revision 1 and the edit to revision 2.
    kept = page.evaluate(
        """async () => {
            const answer = (r) => ({ uuid: r.uuid, revision: 1, status: "accepted", errors: {}, server_revision: 1 });
            const out = [];
            for (const editFirst of [true, false]) {
                const r = await Outbox.save("school_visit", "nobody", { n: 1 }, null);
                const edit = () => Outbox.save("school_visit", "nobody", { n: 2 }, r.uuid);
                const apply = () => Outbox.applyResult(answer(r));
                await Promise.all(editFirst ? [edit(), apply()] : [apply(), edit()]);
                out.push(await Outbox.getRecord(r.uuid));
            }
            return out;
        }"""
    )
    for record in kept:
        assert (record["revision"], record["data"], record["synced_revision"]) == (2, {"n": 2}, 1)
        assert record["state"] == "pending"

    # Through the server: the answer to revision 1 is slow, the record is edited meanwhile.
    site.delays["/api/sync"] = 3
    capture(page, "改前名字")
    wait_until(
        page,
        "() => document.getElementById('connection').textContent === "
        "JSON.parse(document.getElementById('capture-messages').textContent).syncing",
    )
    page.click("#records li button")
    page.fill("#f-name", "改后名字")
    page.click("#student-form button[type=submit]")
    site.delays.clear()
    wait_pending(page, 0)
    row = PreRegistration.get()
    assert (row.name, row.revision) == ("改后名字", 2)


def test_settled_records_keep_only_a_masked_line_after_seven_days(phone_context, site):
    now = datetime.now(timezone.utc)
    phone_context.clock.install(time=now)
    page = phone_context.new_page()
    sign_in(page, site)
    number = valid_id_number()
    capture(page, "欧阳明", number)
    wait_pending(page, 0)
    page.clock.set_system_time(now + timedelta(days=8))
    page.click("#sync-now")
    wait_until(page, "() => document.getElementById('records').textContent.includes('欧**')")
    kept = page.evaluate(CACHED_AND_KEPT)["records"]
    assert kept[0]["pruned"] and number not in str(kept) and "欧阳明" not in str(kept)
    assert number[-4:] in page.inner_text("#records")


def test_the_installed_app_opens_offline(phone_context, site):
    manifest = phone_context.request.get(site.url + "/static/manifest.webmanifest").json()
    assert manifest["start_url"] == "/start"
    page = phone_context.new_page()
    sign_in(page, site)
    go_offline(phone_context, site)
    page.goto(site.url + "/start")
    wait_ready(page)
    assert page.is_visible("#student-form")

    go_online(phone_context, site)
    sign_out(page)
    go_offline(phone_context, site)
    response = page.goto(site.url + "/start")
    assert response.status == 503
    assert "预申请表" in page.inner_text("main") and page.locator("#capture").count() == 0
