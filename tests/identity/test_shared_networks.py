"""Sign-up codes on a shared network: a class of 45 on the school's Wi-Fi (one public address)
all get their codes within 15 minutes, while what abuse looks like from one address (many numbers
never completing, a burst of wrong codes) stops it; the per-number limits stay."""

from datetime import timedelta

import pytest

from tests.factories import make_centre, valid_id_number
from tests.http_helpers import code_sent_to, csrf_token
from webapp.models import OneTimeCode, Student, User

SCHOOL_WIFI = "203.0.113.45"


@pytest.fixture
def centre(app):
    return make_centre()


def from_address(app, address=SCHOOL_WIFI):
    """A browser of its own (its own cookies) behind that public address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def ask_code(client, mobile):
    token = csrf_token(client, "/signup")
    return client.post("/signup", data={"mobile": mobile, "send_code": "1", "csrf_token": token})


def time_passes(seconds):
    """Move every code back in time, as if that many seconds went by."""
    shift = timedelta(seconds=seconds)
    for code in OneTimeCode.select():
        code.created_at, code.expires_at = code.created_at - shift, code.expires_at - shift
        code.save()


def test_a_class_of_45_on_one_wifi_signs_up_within_15_minutes(app, centre):
    for n in range(45):
        student = from_address(app)
        mobile = f"1391000{n:04d}"
        asked = ask_code(student, mobile)
        assert asked.status_code == 200, (n, asked.status_code)
        fields = {
            "id_number": valid_id_number(),
            "name": f"学生{n}",
            "mobile": mobile,
            "password": "long-enough",
            "confirm": "long-enough",
            "code": code_sent_to(mobile),
            "csrf_token": csrf_token(student, "/signup"),
        }
        assert student.post("/signup", data=fields).status_code == 302, n
        time_passes(20)  # 45 students over 15 minutes
    assert User.select().where(User.mobile.startswith("1391000")).count() == 45
    assert Student.select().count() == 45


def test_a_number_asking_twice_within_a_minute_still_waits(app, centre):
    client = from_address(app)
    assert ask_code(client, "13910009999").status_code == 200
    assert ask_code(client, "13910009999").status_code == 429
    time_passes(61)
    assert ask_code(client, "13910009999").status_code == 200


def test_many_numbers_that_never_complete_stop_the_address_not_the_others(app, centre):
    sender = from_address(app, "198.51.100.7")
    for n in range(15):
        assert ask_code(sender, f"1392000{n:04d}").status_code == 200
    assert ask_code(sender, "13920009998").status_code == 200  # still within their 10 minutes
    time_passes(11 * 60)  # none was used: they expired
    refused = ask_code(sender, "13920009999")
    assert refused.status_code == 429
    assert not OneTimeCode.select().where(OneTimeCode.mobile == "13920009999").exists()
    assert ask_code(from_address(app), "13920009997").status_code == 200  # the school's Wi-Fi
    time_passes(61 * 60)  # an hour later the address may ask again
    assert ask_code(sender, "13920009999").status_code == 200


def test_a_burst_of_wrong_codes_stops_the_address(app, centre):
    guesser = from_address(app, "198.51.100.8")
    for n in range(5):
        mobile = f"1393000{n:04d}"
        assert ask_code(guesser, mobile).status_code == 200
        wrong = "000000" if code_sent_to(mobile) != "000000" else "111111"
        fields = {"id_number": valid_id_number(), "name": "某人", "mobile": mobile, "password": "long-enough",
                  "confirm": "long-enough", "code": wrong}  # fmt: skip
        for _ in range(5):
            fields["csrf_token"] = csrf_token(guesser, "/signup")
            assert guesser.post("/signup", data=fields).status_code == 422
    assert ask_code(guesser, "13930009999").status_code == 429
    assert ask_code(from_address(app, "198.51.100.9"), "13930009999").status_code == 200
