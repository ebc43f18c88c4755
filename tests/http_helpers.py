"""What many tests do over HTTP: read a form's CSRF token, sign in with urllib against a live
server, and sign up as a student with the code the log backend kept."""

import json
import re
import threading
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

from werkzeug.serving import make_server

from tests.factories import PASSWORD
from webapp.models import Message

CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path):
    """The CSRF token a real browser would send back from the form at path."""
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def signed_in_opener(base_url, identifier, password=PASSWORD):
    """A urllib opener with its own cookie jar, signed in over real HTTP (for many concurrent
    users against a live server)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    opener.open(
        base_url + "/login",
        data=urlencode(
            {
                "identifier": identifier,
                "password": password,
                "csrf_token": page_token(opener, base_url + "/login"),
            }
        ).encode(),
    )
    return opener


def page_token(opener, url):
    """The CSRF token of the form on the page at url."""
    match = CSRF_RE.search(opener.open(url).read().decode())
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def code_sent_to(mobile):
    """The last one-time code the log backend kept for a number: what the student reads."""
    message = Message.select().where(Message.to_mobile == mobile).order_by(Message.id.desc()).first()
    return json.loads(message.params).get("code", "") if message else ""


def sign_up(client, **data):
    """A student's sign-up as the page makes it: ask for the code, then send the form with it."""
    token = csrf_token(client, "/signup")
    client.post("/signup", data={**data, "send_code": "1", "csrf_token": token})
    return client.post("/signup", data={**data, "code": code_sent_to(data["mobile"]), "csrf_token": token})


class LiveServer:
    """The app served over real HTTP in a background thread."""

    def __init__(self, app, port=0):
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


# An argument of a URL rule as written in its route: <name>, <int:name>, <any(a, b):name>.
RULE_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\((?P<options>[^)]*)\))?:)?(?P<name>\w+)>")


def rule_arguments(rule):
    """(name, converter, options) of each argument of a URL rule, read from the rule's text
    (werkzeug keeps its converters private): options are an `any` converter's choices."""
    return [
        (
            m["name"],
            m["converter"] or "default",
            sorted(o.strip().strip("'\"") for o in m["options"].split(",")) if m["options"] else [],
        )
        for m in RULE_ARGUMENT.finditer(rule.rule)
    ]


def example_url(rule):
    """A URL of the rule: an `any` argument's first choice, 1 for a number, "x" otherwise."""
    values = {}
    for name, converter, options in rule_arguments(rule):
        values[name] = options[0] if options else 1 if converter == "int" else "x"
    return rule.build(values, append_unknown=False)[1]
