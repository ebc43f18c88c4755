"""Signing out ends the session everywhere; a reset ends the old password's sessions and asks
for a new password; common passwords are refused."""

import re
from datetime import timedelta

from tests.factories import PASSWORD, make_centre, make_student, make_user, valid_id_number
from tests.http_helpers import csrf_token
from webapp.models import AuditEvent, Message, SignInSession, User, utcnow


def _session_cookies(client):
    """The cookies a thief would copy: the session and the remember-me cookie."""
    cookies = {name: client.get_cookie(name) for name in ("session", "remember_token")}
    return {name: cookie.value for name, cookie in cookies.items() if cookie is not None}


def _with_cookies(app, cookies):
    other = app.test_client()
    for key, value in cookies.items():
        other.set_cookie(key, value)
    return other


def test_a_copied_session_and_remember_me_cookie_fail_after_sign_out(app, client, auth):
    student = make_student(make_centre())
    token = csrf_token(client, "/login")
    client.post(
        "/login",
        data={"identifier": student.id_number, "password": PASSWORD, "remember": "y", "csrf_token": token},
    )
    copied = _session_cookies(client)
    assert {"session", "remember_token"} <= set(copied)
    assert _with_cookies(app, copied).get("/me/").status_code == 200  # the copy works while signed in
    only_remember = {"remember_token": copied["remember_token"]}
    assert _with_cookies(app, only_remember).get("/me/").status_code == 200
    auth.logout()
    assert _with_cookies(app, copied).get("/me/").status_code == 302
    assert _with_cookies(app, only_remember).get("/me/").status_code == 302


def test_a_reset_ends_old_sessions_and_the_temporary_password_is_changed_first(app, client, auth):
    centre = make_centre()
    admin = make_user(centre, role="admin")
    desk = make_user(centre, role="desk", username="window1")
    desk_client = app.test_client()
    token = csrf_token(desk_client, "/login")
    desk_client.post("/login", data={"identifier": "window1", "password": PASSWORD, "csrf_token": token})
    assert desk_client.get("/desk/").status_code == 200
    auth.login(admin.username, PASSWORD)
    client.set_cookie("lang", "en")
    page = client.post(
        f"/admin/users/{desk.id}/reset-password", data={"csrf_token": csrf_token(client, "/admin/users")}
    )
    temporary = re.search(r'<strong class="code">(\w{12})</strong>', page.get_data(as_text=True)).group(1)
    assert desk_client.get("/desk/").status_code == 302  # the old session is over
    fresh = app.test_client()
    fresh.set_cookie("lang", "en")
    token = csrf_token(fresh, "/login")
    fresh.post("/login", data={"identifier": "window1", "password": temporary, "csrf_token": token})
    assert fresh.get("/desk/").headers["Location"].endswith("/account/password")
    token = csrf_token(fresh, "/account/password")
    weak = fresh.post(
        "/account/password",
        data={"csrf_token": token, "current": temporary, "password": "password1", "confirm": "password1"},
    )
    assert weak.status_code == 422 and "first ones guessed" in weak.get_data(as_text=True)
    done = fresh.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current": temporary,
            "password": "window-one-lamp",
            "confirm": "window-one-lamp",
        },
    )
    assert done.status_code == 302 and fresh.get("/desk/").status_code == 200
    assert not User.get_by_id(desk.id).must_change_password
    assert AuditEvent.select().where(AuditEvent.action == "account.password_changed").exists()


def test_common_passwords_are_refused_at_sign_up(client):
    client.set_cookie("lang", "en")
    make_centre()
    token = csrf_token(client, "/signup")
    answer = client.post(
        "/signup",
        data={"csrf_token": token, "id_number": valid_id_number(), "name": "钱同学", "mobile": "13811112233",
              "password": "12345678", "confirm": "12345678"},
    )  # fmt: skip
    assert answer.status_code == 422 and "first ones guessed" in answer.get_data(as_text=True)


def test_the_api_answers_in_json_while_a_temporary_password_waits(client, auth):
    outreach = make_user(make_centre(), role="outreach", username="teacher1", must_change_password=True)
    auth.login(outreach.username, PASSWORD)
    answer = client.post("/api/sync", json={"device_id": "phone-1", "records": []})
    assert answer.status_code == 403 and answer.get_json()["error"] == "password_change_required"
    assert client.get("/outreach/capture").headers["Location"].endswith("/account/password")


def _signed_in_client(
    app, identifier, remember=False, user_agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0"
):
    other = app.test_client()
    other.set_cookie("lang", "en")
    other.environ_base["HTTP_USER_AGENT"] = user_agent
    token = csrf_token(other, "/login")
    data = {"identifier": identifier, "password": PASSWORD, "csrf_token": token}
    if remember:
        data["remember"] = "y"
    assert other.post("/login", data=data).status_code == 302
    return other


def test_a_remember_me_cookie_is_replaced_each_time_it_brings_a_browser_back(app):
    student = make_student(make_centre())
    laptop = _signed_in_client(app, student.id_number, remember=True)
    stolen = {"remember_token": _session_cookies(laptop)["remember_token"]}
    returning = _with_cookies(app, stolen)
    assert returning.get("/me/").status_code == 200
    renewed = _session_cookies(returning)["remember_token"]
    assert renewed != stolen["remember_token"]
    # within a moment's grace, a request already on its way with the old key still passes
    assert _with_cookies(app, stolen).get("/me/").status_code == 200
    assert _with_cookies(app, {"remember_token": renewed}).get("/me/").status_code == 200


def test_a_stolen_remember_me_cookie_ends_every_session_and_the_owner_is_told(app):
    """A thief replays the owner's cookie and is renewed; when the owner's browser comes back with
    the replaced key, one of the two was a copy: both are out, and the owner gets a text."""
    student = make_student(make_centre(), mobile="13912345678")
    user = User.get(User.student == student)
    user.mobile = "13912345678"
    user.save()
    owner = _signed_in_client(app, student.id_number, remember=True)
    copied = _session_cookies(owner)
    thief = _with_cookies(app, {"remember_token": copied["remember_token"]})
    assert thief.get("/me/").status_code == 200  # the thief's copy renewed itself
    SignInSession.update(rotated_at=utcnow() - timedelta(minutes=2)).execute()
    assert owner.get("/me/").status_code == 302  # the owner's key was replaced: a copy is about
    assert thief.get("/me/").status_code == 302  # and the thief is out as well
    assert not SignInSession.select().where(SignInSession.ended_at.is_null()).exists()
    event = AuditEvent.get(AuditEvent.action == "account.sign_in_copied")
    assert event.object_id == str(user.id)
    told = Message.get(Message.template == "sign_in_copied")
    assert told.to_mobile == "13912345678"


def test_no_sign_in_outlives_thirty_days_however_often_it_is_renewed(app):
    student = make_student(make_centre())
    laptop = _signed_in_client(app, student.id_number, remember=True)
    kept = {"remember_token": _session_cookies(laptop)["remember_token"]}
    SignInSession.update(created_at=utcnow() - timedelta(days=30, minutes=1)).execute()
    assert _with_cookies(app, kept).get("/me/").status_code == 302
    assert laptop.get("/me/").status_code == 302
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)


def test_deactivating_an_account_ends_its_sessions_for_good(app, client, auth):
    centre = make_centre()
    admin = make_user(centre, role="admin")
    desk = make_user(centre, role="desk", username="window3")
    office = _signed_in_client(app, "window3", remember=True)
    copied = _session_cookies(office)
    assert office.get("/desk/").status_code == 200
    auth.login(admin.username, PASSWORD)
    token = csrf_token(client, "/admin/users")
    assert client.post(f"/admin/users/{desk.id}/deactivate", data={"csrf_token": token}).status_code == 302
    assert not User.get_by_id(desk.id).active
    client.post(f"/admin/users/{desk.id}/activate", data={"csrf_token": token})
    assert User.get_by_id(desk.id).active
    assert office.get("/desk/").status_code == 302
    assert _with_cookies(app, copied).get("/desk/").status_code == 302
    assert _with_cookies(app, {"remember_token": copied["remember_token"]}).get("/desk/").status_code == 302


def test_people_see_their_devices_and_sign_out_the_others(app):
    desk = make_user(make_centre(), role="desk", username="window2")
    phone = _signed_in_client(
        app, "window2", user_agent="Mozilla/5.0 (Linux; Android 13) Chrome/119.0 Mobile"
    )
    office = _signed_in_client(app, "window2")
    third = _signed_in_client(app, "window2")
    page = office.get("/account/sessions").get_data(as_text=True)
    assert "Chrome on Android" in page and "Chrome on Linux" in page and "This device" in page
    phone_session = (
        SignInSession.select().where(SignInSession.user == desk).order_by(SignInSession.id).first()
    )
    token = csrf_token(office, "/account/sessions")
    ended = office.post(f"/account/sessions/{phone_session.id}/end", data={"csrf_token": token})
    assert ended.status_code == 302
    assert phone.get("/desk/").status_code == 302 and third.get("/desk/").status_code == 200
    office.post("/account/sessions/end-others", data={"csrf_token": token})
    assert third.get("/desk/").status_code == 302 and office.get("/desk/").status_code == 200
    assert AuditEvent.select().where(AuditEvent.action == "account.sessions_ended").exists()


def test_nobody_ends_another_persons_session(app):
    centre = make_centre()
    make_user(centre, role="desk", username="window3")
    make_user(centre, role="desk", username="window4")
    mine = _signed_in_client(app, "window3")
    theirs = _signed_in_client(app, "window4")
    their_session = SignInSession.select().order_by(SignInSession.id.desc()).first()
    token = csrf_token(mine, "/account/sessions")
    mine.post(f"/account/sessions/{their_session.id}/end", data={"csrf_token": token})
    assert theirs.get("/desk/").status_code == 200


def test_a_password_change_keeps_this_device_and_ends_the_others(app):
    make_user(make_centre(), role="desk", username="window5")
    here = _signed_in_client(app, "window5")
    there = _signed_in_client(app, "window5")
    token = csrf_token(here, "/account/password")
    changed = here.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current": PASSWORD,
            "password": "lamp-window-five",
            "confirm": "lamp-window-five",
        },
    )
    assert changed.status_code == 302
    assert here.get("/desk/").status_code == 200 and there.get("/desk/").status_code == 302
