"""Sign-in throttling behind nginx counts the client's address: failed sign-ins from the browser
(127.0.0.1) lock that address, although nginx reaches the app from another (127.0.0.2, the
loopback server's proxy_bind) and the browser claims a third in its own X-Forwarded-For."""

import pytest

from tests.deploy.conftest import LOGIN_MAX_FAILURES, query
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
CLIENT = "127.0.0.1"  # the browser's address, as nginx sees it
NGINX = "127.0.0.2"  # nginx's address, as gunicorn sees it
FORGED = "203.0.113.9"  # what the browser claims to be
ADDRESS_LIMIT = LOGIN_MAX_FAILURES * 10  # webapp/auth/routes.py: an address has ten accounts' tries


def test_failed_sign_ins_lock_the_clients_address_not_nginxs_nor_a_forged_one(deployment, browser):
    base = deployment.url
    context = browser.new_context(locale="zh-CN", extra_http_headers={"X-Forwarded-For": FORGED})
    page = context.new_page()
    try:
        statuses = []
        for n in range(ADDRESS_LIMIT):
            page.goto(base + "/login")
            page.fill("#identifier", f"nobody{n:03d}")  # a new name each time: no account's lock
            page.fill("#password", "wrong-password")
            with page.expect_response(lambda r: r.request.method == "POST") as answer:
                page.get_by_role("button", name="登录").click()
            statuses.append(answer.value.status)
        assert statuses == [401] * ADDRESS_LIMIT, statuses

        # The address is locked now: even the right password is refused.
        page.goto(base + "/login")
        page.fill("#identifier", deployment.people.throttled)
        page.fill("#password", PASSWORD)
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.get_by_role("button", name="登录").click()
        assert answer.value.status == 429
        assert "登录失败次数过多" in page.inner_text("main")

        rows = dict(query(deployment, "SELECT key, failures FROM login_throttle WHERE key LIKE 'ip:%%'"))
        assert rows == {f"ip:{CLIENT}": ADDRESS_LIMIT}, rows
        locked = query(
            deployment,
            "SELECT key FROM login_throttle WHERE key LIKE 'ip:%%' AND locked_until > now() at time zone 'utc'",
        )
        assert locked == [(f"ip:{CLIENT}",)]
        paused = query(
            deployment,
            "SELECT ip, details FROM audit_event WHERE action = 'account.sign_in_paused' AND details LIKE %s",
            ('%"ip:%',),
        )
        assert [ip for ip, _details in paused] == [CLIENT], paused
        assert all(f"ip:{CLIENT}" in details for _ip, details in paused)
        addresses = {ip for (ip,) in query(deployment, "SELECT DISTINCT ip FROM audit_event WHERE ip <> ''")}
        assert NGINX not in addresses and FORGED not in addresses, addresses
    finally:
        context.close()
        # the other tests sign in from the same address
        query(deployment, "DELETE FROM login_throttle RETURNING key")
