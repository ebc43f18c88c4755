"""Every HTML form of the app, posted as a careless browser, an old cached page or a prober would:
each field missing in turn, each of the wrong type, each oversized. Whatever is sent, the answer
is a page or a redirect, never a 5xx. The forms are the ones the pages really render for each
role on the demo data (found by crawling), so a new form is fuzzed without being listed here;
every POST route of the app is posted to besides, also those no page showed this time."""

import io
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from tests.http_helpers import csrf_token, example_url
from webapp.services.ops.demo import DEMO_PASSWORD, seed_demo

ROLES = {
    "admin": "admin",
    "leader": "leader",
    "desk": "desk",
    "outreach": "outreach",
    "province": "province",
    "student (draft)": "13800000003",
    "student (renewing)": "13800000006",
    "nobody": None,
}
OVERSIZED = "长" * 20_000
WRONG = {"select": "no-such-choice", "checkbox": "maybe", "date": "2026-02-31", "file": None}
MAX_PAGES = 400  # per role
URLS_PER_RULE = 8
SKIPPED_ACTIONS = ("/logout",)


class _Forms(HTMLParser):
    """The POST forms of a page with their fields as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.forms, self.links, self._form, self._select, self._textarea = [], [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = {
                    "action": a.get("action") or "",
                    "multipart": "multipart" in (a.get("enctype") or ""),
                }
                self._form["fields"] = []
                self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form["fields"].append((a["name"], kind, None))
                return
            self._form["fields"].append((a["name"], kind, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = [a["name"], "select", None]
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            if self._select[2] is None or "selected" in a:
                self._select[2] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = [a["name"], "textarea", ""]
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _sign_in(client, identifier):
    client.post(
        "/login",
        data={
            "identifier": identifier,
            "password": DEMO_PASSWORD,
            "csrf_token": csrf_token(client, "/login"),
        },
    )


def _rule_of(app, path, method="GET"):
    adapter = app.url_map.bind("localhost")
    try:
        return adapter.match(path, method=method)[0]
    except (NotFound, MethodNotAllowed, RequestRedirect):
        return None


def _crawl(app, client):
    """{(endpoint, action path, field names): form} of every POST form the role's pages show."""
    queue = [example_url(rule) for rule in app.url_map.iter_rules() if "GET" in rule.methods]
    queue = [url for url in queue if "<" not in url and url != "/logout"]
    seen, per_rule, forms, pages = set(), {}, {}, 0
    while queue and pages < MAX_PAGES:
        url = queue.pop(0)
        endpoint = _rule_of(app, urlsplit(url).path)
        if url in seen or endpoint is None or per_rule.get(endpoint, 0) >= URLS_PER_RULE:
            continue
        seen.add(url)
        per_rule[endpoint] = per_rule.get(endpoint, 0) + 1
        answer = client.get(url)
        assert answer.status_code < 500, (url, answer.status_code)
        if answer.status_code != 200 or answer.mimetype != "text/html":
            continue
        pages += 1
        parser = _Forms()
        parser.feed(answer.get_data(as_text=True))
        for href in parser.links:
            target = urlsplit(urljoin(url, href))
            if not target.netloc and target.path.startswith("/") and "logout" not in target.path:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
        for form in parser.forms:
            action = urlsplit(urljoin(url, form["action"] or url))
            path = action.path + (f"?{action.query}" if action.query else "")
            post_endpoint = _rule_of(app, action.path, "POST")
            if post_endpoint is None or action.path in SKIPPED_ACTIONS:
                continue
            names = tuple(sorted({name for name, _kind, _value in form["fields"]}))
            forms.setdefault((post_endpoint, names), {**form, "path": path})
    return forms, pages


def _variants(fields):
    """The form as it comes, then each field missing, of the wrong type, and oversized."""
    base = [(name, kind, value) for name, kind, value in fields]
    yield "as it comes", base
    for index, (name, kind, _value) in enumerate(base):
        if name == "csrf_token":
            continue
        others = base[:index] + base[index + 1 :]
        yield f"{name} missing", others
        wrong = WRONG.get(kind, "abc")
        yield f"{name} of the wrong type", others + [(name, kind, wrong)]
        yield f"{name} oversized", others + [(name, kind, OVERSIZED)]


def _body(fields):
    data = {}
    for name, kind, value in fields:
        if kind == "file":
            content = b"not a spreadsheet" if value is None else str(value).encode()
            data[name] = (io.BytesIO(content), "upload.xlsx")
            continue
        if value is None:
            continue
        data.setdefault(name, []).append(value)
    return data


def _post(client, path, data, multipart):
    if multipart:
        return client.post(path, data=data, content_type="multipart/form-data")
    return client.post(path, data=data)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_form_answers_4xx_whatever_is_sent(app, client, role):
    with app.app_context():
        seed_demo()
    client.set_cookie("lang", "en")
    if ROLES[role]:
        _sign_in(client, ROLES[role])
    forms, pages = _crawl(app, client)
    failures, sent = [], 0
    for (endpoint, _names), form in sorted(forms.items()):
        for label, fields in _variants(form["fields"]):
            answer = _post(client, form["path"], _body(fields), form["multipart"])
            sent += 1
            if answer.status_code >= 500:
                failures.append((endpoint, form["path"], label, answer.status_code))
            if ROLES[role] and answer.status_code == 302 and "/login" in answer.headers.get("Location", ""):
                _sign_in(client, ROLES[role])  # a form that ended the session (none should)
    # every POST route, also one no page showed: an empty post and a post of junk
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule in SKIPPED_ACTIONS:
            continue
        url = example_url(rule)
        for data in ({}, {"csrf_token": token.group(1) if token else "", "x": OVERSIZED}):
            answer = client.post(url, data=data)
            sent += 1
            if answer.status_code >= 500:
                failures.append((rule.endpoint, url, sorted(data), answer.status_code))
    print(f"{role}: {pages} pages, {len(forms)} forms, {sent} posts, {len(failures)} answered 5xx")
    assert failures == [], "\n".join(map(str, failures))
    assert sent > 50
    if role.startswith(("admin", "desk", "student")):
        assert len(forms) >= 5, sorted(forms)
