"""Bad input gets a clear 4xx, never a 500: the cases a fuzzer found, as a table, each sent as
the role that reaches the route."""

import io
import json

import pytest

from tests.factories import PASSWORD, make_application, make_centre, make_season, make_student, make_user
from tests.http_helpers import csrf_token

HUGE = "9" * 20
SURROGATE = '"\\ud800"'  # a lone surrogate, as JSON writes it


def _deep(depth):
    return "[" * depth + "]" * depth


def _sync_body(name=SURROGATE, revision="1"):
    return (
        '{"device_id": "phone-1", "records": [{"uuid": "7f0c3b9e-4a52-4d0e-9a8f-3f9b8c1d2e10", '
        f'"revision": {revision}, "kind": "pre_registration", "captured_at": "2026-06-10T02:30:00Z", '
        f'"data": {{"school_id": 1, "name": {name}, "id_number": "x", "category": 0}}}}]}}'
    )


@pytest.fixture
def people(app):
    centre = make_centre()
    season = make_season(centre, year=2026)
    student = make_student(centre, name="钱同学")
    make_application(student, season, status="submitted")
    for role in ("admin", "outreach"):
        make_user(centre, role=role, username=role)
    return {"student": student.id_number, "admin": "admin", "outreach": "outreach", "season": season}


def _json(body):
    return {"data": body, "content_type": "application/json"}


CASES = [
    # (who, method, url, request keyword arguments)
    *[("student", "POST", "/api/bookings", _json(body)) for body in ("true", "-1", '"x"', "[1]", "null")],
    ("student", "POST", "/api/bookings", _json('{"day": ' + SURROGATE + ', "half_day": "morning"}')),
    ("outreach", "POST", "/api/sync", _json(_sync_body())),
    ("outreach", "POST", "/api/sync", _json(_sync_body(name='"a"', revision=str(2**63)))),
    ("outreach", "POST", "/api/sync", _json(_sync_body(name='"a"', revision="1" + "0" * 30))),
    ("outreach", "POST", "/api/sync", _json(_deep(50_000))),
    ("outreach", "POST", "/api/sync", _json('{"device_id": "d", "records": ' + _deep(5_000) + "}")),
    ("outreach", "POST", "/api/sync", _json('{"device_id": "phone\\u0000", "records": []}')),
    ("outreach", "POST", "/api/sync", _json('{"device_id": "phone\\u202e", "records": []}')),
    ("admin", "GET", f"/admin/dashboard?season={HUGE}", {}),
    ("admin", "GET", f"/admin/exports/pre_registrations.csv?school={HUGE}", {}),
    ("admin", "GET", f"/outreach/pre-registrations?school={HUGE}", {}),
    ("admin", "GET", f"/outreach/pre-registrations?captured_by={HUGE}", {}),
    ("admin", "GET", f"/outreach/pre-registrations?page={HUGE}", {}),
    ("admin", "GET", f"/admin/audit?actor={HUGE}", {}),
    ("admin", "GET", f"/admin/audit?before={HUGE}", {}),
    ("admin", "GET", "/admin/audit?to=9999-12-31", {}),
    ("admin", "GET", "/admin/audit?from=0001-01-01", {}),
    ("admin", "GET", f"/admin/users/{HUGE}", {}),
    ("admin", "GET", "/outreach/pre-registrations?q=%00", {}),
    ("admin", "GET", "/outreach/pre-registrations?q=%E2%80%AE", {}),
    (None, "GET", "/verify/?number=ABC123&code=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95", {}),
    (None, "GET", "/verify/?number=ABC123&code=%C3%A9%C3%A9", {}),
    (None, "GET", f"/verify/?number={'A' * 5000}&code=12345", {}),
]


def _sign_in(client, who, people):
    if who is not None:
        token = csrf_token(client, "/login")
        client.post("/login", data={"identifier": people[who], "password": PASSWORD, "csrf_token": token})


@pytest.mark.parametrize("who, method, url, kwargs", CASES, ids=[f"{c[1]} {c[2][:60]}" for c in CASES])
def test_bad_input_gets_a_clear_4xx(client, people, who, method, url, kwargs):
    _sign_in(client, who, people)
    answer = client.open(url, method=method, **kwargs)
    assert 400 <= answer.status_code < 500, answer.status_code
    if url.startswith("/api/"):
        assert answer.is_json and answer.get_json().get("message")


@pytest.mark.parametrize("year", ["", "abc", "0", "-5", "10000", HUGE, "2026.5"])
def test_copying_a_season_to_a_bad_year_is_refused(client, people, year):
    _sign_in(client, "admin", people)
    season = people["season"]
    token = csrf_token(client, f"/admin/seasons/{season.id}")
    answer = client.post(f"/admin/seasons/{season.id}/copy", data={"year": year, "csrf_token": token})
    assert answer.status_code == 422


def test_a_huge_leader_id_in_the_duty_rota_is_refused(client, people):
    _sign_in(client, "admin", people)
    token = csrf_token(client, "/admin/duty")
    answer = client.post("/admin/duty", data={"day": "2026-08-01", "leader": HUGE, "csrf_token": token})
    assert answer.status_code == 422


@pytest.mark.parametrize(
    "content",
    [
        _deep(50_000).encode(),
        ('{"owner": "outreach", "records": [{"data": {"name": ' + SURROGATE + "}}]}").encode(),
        b'{"owner": "outreach\\u0000"}',
        b"\xff\xfe not json",
    ],
)
def test_a_broken_outbox_file_is_refused_with_a_message(client, people, content):
    _sign_in(client, "admin", people)
    token = csrf_token(client, "/outreach/import")
    answer = client.post(
        "/outreach/import",
        data={"file": (io.BytesIO(content), "outbox.json"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422 and "error" in answer.get_data(as_text=True)


@pytest.mark.parametrize("text", ["王\x00五", "王\x07五", "王\u202e五", "王\u2066五"])
def test_control_characters_and_direction_overrides_are_refused_in_forms(client, people, text):
    _sign_in(client, "admin", people)
    token = csrf_token(client, "/admin/schools")
    answer = client.post("/admin/schools", data={"name": text, "kind": "high_school", "csrf_token": token})
    assert answer.status_code == 400
    assert "控制字符" in answer.get_data(as_text=True)


def test_tabs_and_line_breaks_stay_allowed_in_text(client, people):
    _sign_in(client, "admin", people)
    token = csrf_token(client, "/admin/schools")
    answer = client.post(
        "/admin/schools", data={"name": "右玉\t一中", "kind": "high_school", "code": "", "csrf_token": token}
    )
    assert answer.status_code in (200, 302, 422)


def test_a_body_over_the_limit_is_413_with_a_message(app, client, people):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    _sign_in(client, "outreach", people)
    answer = client.post("/api/sync", data=json.dumps({"device_id": "d", "pad": "x" * 4096}),
                         content_type="application/json")  # fmt: skip
    assert answer.status_code == 413 and answer.get_json()["error"] == "too_large"
    page = client.post("/login", data={"identifier": "x" * 4096, "password": "y"})
    assert page.status_code == 413 and "太大" in page.get_data(as_text=True)


def test_a_form_is_held_to_a_forms_size_and_parts_and_a_file_route_to_the_apps(app, client, people):
    """An anonymous 7 MB form of 745,000 fields is refused before it is parsed; so is a form of
    more parts than any of the app's; a roster upload may still be megabytes."""
    from webapp.input_checks import FORM_BODY_LIMIT, FORM_PARTS_LIMIT

    huge = "&".join(f"f{n}=x" for n in range(745_000))
    answer = client.post("/login", data=huge, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 413 and "256 KB" in answer.get_data(as_text=True)
    just_over = client.post(
        "/login", data="a=" + "x" * FORM_BODY_LIMIT, content_type="application/x-www-form-urlencoded"
    )
    assert just_over.status_code == 413
    parts = {f"f{n}": "x" for n in range(FORM_PARTS_LIMIT + 1)}
    many = client.post("/login", data=parts, content_type="multipart/form-data")
    assert many.status_code == 413
    _sign_in(client, "admin", people)
    token = csrf_token(client, "/admin/rosters")
    roster = ("姓名,身份证号\n" + "张三,140623200803141318\n" * 40_000).encode()
    assert len(roster) > FORM_BODY_LIMIT
    upload = client.post(
        "/admin/rosters",
        data={"csrf_token": token, "school": "1", "file": (io.BytesIO(roster), "roster.csv")},
        content_type="multipart/form-data",
    )
    assert upload.status_code != 413
