"""What browsers, phones and screen readers rely on in every page: unique ids, icons a home
screen can use, a description, and compressed text."""

import io
from collections import Counter
from html.parser import HTMLParser

import pytest
from PIL import Image

from tests.factories import PASSWORD, make_centre, make_season, make_student, make_user
from tests.http_helpers import csrf_token, example_url


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids = Counter()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id":
                self.ids[value] += 1


def duplicate_ids(html):
    parser = _Ids()
    parser.feed(html)
    return [name for name, n in parser.ids.items() if n > 1]


@pytest.mark.parametrize("role", ["admin", "leader", "desk", "outreach", "student", None])
def test_no_page_has_two_elements_with_one_id(app, client, role):
    centre = make_centre()
    make_season(centre)
    if role == "student":
        identifier = make_student(centre, mobile="13800000001").id_number
    elif role:
        identifier = make_user(centre, role=role, username="someone").username
    if role:
        token = csrf_token(client, "/login")
        client.post("/login", data={"identifier": identifier, "password": PASSWORD, "csrf_token": token})
    pages, found = 0, {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule == "/logout":
            continue
        answer = client.get(example_url(rule))
        if answer.status_code == 200 and answer.mimetype == "text/html":
            found.update({rule.rule: duplicate_ids(answer.get_data(as_text=True))})
            pages += 1
    assert {page: ids for page, ids in found.items() if ids} == {}
    assert pages >= 3


def test_home_screen_icons_are_apart_and_opaque_where_they_must_be(client):
    manifest = client.get("/static/manifest.webmanifest").get_json()
    purposes = {icon["src"]: icon.get("purpose", "any") for icon in manifest["icons"]}
    assert "maskable" in purposes.values() and all(" " not in p for p in purposes.values())
    assert manifest["start_url"] == "/start"
    login = client.get("/login").get_data(as_text=True)
    assert '<link rel="apple-touch-icon" sizes="180x180" href="/static/icons/apple-touch-icon.png">' in login
    assert '<meta name="description" content="' in login
    with Image.open(io.BytesIO(client.get("/static/icons/apple-touch-icon.png").get_data())) as icon:
        assert icon.size == (180, 180) and icon.mode == "RGB"  # no transparency on iOS
    assert client.get("/favicon.ico").status_code == 200


def test_the_waiting_room_screen_links_its_manifest_and_icon_and_speaks_its_language(client, auth):
    make_user(make_centre(), role="desk", username="clerk")
    auth.login("clerk", PASSWORD)
    screen = client.get("/desk/screen").get_data(as_text=True)
    assert 'rel="manifest"' in screen and 'rel="icon"' in screen
    assert 'data-speech-lang="zh-CN"' in screen and "请 {ticket} 号到 {window} 号窗口办理" in screen
    client.set_cookie("lang", "zh_Hant")
    screen = client.get("/desk/screen").get_data(as_text=True)
    assert 'data-speech-lang="zh-TW"' in screen and "請 {ticket} 號到 {window} 號窗口辦理" in screen


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_text_is_compressed_for_browsers_that_accept_it(client, encoding):
    for url in ("/login", "/static/css/app.css", "/static/sw/capture.js", "/outreach/regions.json"):
        plain = client.get(url)
        if plain.status_code in (302, 401):
            continue
        packed = client.get(url, headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding, url
        assert len(packed.get_data()) < len(plain.get_data()) / 2, url
        assert "Accept-Encoding" in packed.headers["Vary"]


def test_every_audited_action_has_words_for_people():
    """Each action the code writes to the audit log is in AuditAction, so the log can name it."""
    import re
    from pathlib import Path

    from webapp.vocabulary import AuditAction

    source = "\n".join(p.read_text(encoding="utf-8") for p in Path("webapp").rglob("*.py"))
    written = set(re.findall(r'(?:audit\.record|record|_touch)\(\s*[^"()]*?"([a-z_]+\.[a-z_]+)"', source))
    written |= {
        "export." + kind
        for kind in ("loans", "pre_registrations", "province_loans", "province_statistics", "statistics")
    }
    written -= {"outreach.regions", "main.offline"}  # endpoint names, not actions
    assert written and written <= set(AuditAction.values()), written - set(AuditAction.values())
