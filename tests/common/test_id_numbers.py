"""Resident ID numbers: check character, birth date, region, derived sex and birth date."""

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from tests.factories import valid_id_number
from webapp import clock
from webapp.services.common.id_numbers import InvalidIdNumber, mask_id_number, parse_id_number


def test_valid_number_gives_birth_date_sex_and_region():
    rid = parse_id_number("140623200803141312")
    assert rid.birth_date == date(2008, 3, 14)
    assert rid.sex == "M"
    assert rid.region_code == "140623"
    assert parse_id_number(valid_id_number(female=True)).sex == "F"


def test_lower_case_x_and_spaces_are_accepted():
    number = next(n for n in (valid_id_number() for _ in range(200)) if n.endswith("X"))
    assert parse_id_number(" " + number.lower()[:6] + " " + number.lower()[6:]).number == number


@pytest.mark.parametrize(
    "value, fragment",
    [
        ("", "Enter the resident ID number"),
        ("14062320080314131", "18 characters"),
        ("14062320080314131A", "17 digits"),
        ("140623200803141313", "last character"),
        ("140623200802301310", "not a real date"),
    ],
)
def test_invalid_numbers_are_explained(app, value, fragment):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        with pytest.raises(InvalidIdNumber) as info:
            parse_id_number(value)
        assert fragment in str(info.value.args[0])


def test_future_birth_date_is_refused(app):
    number = valid_id_number(birth=date(2030, 1, 1))
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        with pytest.raises(InvalidIdNumber, match="future"):
            parse_id_number(number, today=date(2026, 11, 25))


def test_unknown_region_is_refused(app):
    number = valid_id_number(region="990000")
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        with pytest.raises(InvalidIdNumber, match="region code"):
            parse_id_number(number)


def test_masking_keeps_region_and_last_four():
    assert mask_id_number("140623200803141312") == "140623********1312"


# The same table is checked by static/sw/idcard.js in Chromium (tests/browser/test_idcard.py).
ID_TABLE = json.loads((Path(__file__).parents[1] / "data" / "id_numbers.json").read_text("utf-8"))
MESSAGES = {
    "empty": "Enter the resident ID",
    "length": "18 characters",
    "format": "17 digits",
    "check": "last character",
    "date": "not a real date",
    "future": "future",
    "region": "region code",
}


@pytest.mark.parametrize("case", ID_TABLE["cases"], ids=lambda case: case["who"])
def test_shared_table_of_real_numbers(app, case):
    """Students and parents of several decades and regions: a county code younger than its
    holder is accepted, because the code says where the number was issued."""
    today = date.fromisoformat(ID_TABLE["today"])
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        if case["verdict"] == "ok":
            assert parse_id_number(case["value"], today=today).birth_date <= today
        else:
            with pytest.raises(InvalidIdNumber) as info:
                parse_id_number(case["value"], today=today)
            assert MESSAGES[case["verdict"]] in str(info.value.args[0])


def test_youyu_parent_born_before_the_code_existed():
    rid = parse_id_number(valid_id_number(region="140623", birth=date(1976, 5, 1)))
    assert rid.region_code == "140623" and rid.birth_date == date(1976, 5, 1)


class _ShanghaiEvening(datetime):
    """20:00 UTC on 26 November 2026: already the 27th in Shanghai."""

    @classmethod
    def now(cls, tz=None):
        moment = datetime(2026, 11, 26, 20, 0, tzinfo=timezone.utc)
        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)


def test_future_means_after_the_centres_today_not_the_servers(app, monkeypatch):
    monkeypatch.setattr(clock, "datetime", _ShanghaiEvening)
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Shanghai"
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert parse_id_number(valid_id_number(birth=date(2026, 11, 27))).birth_date == date(2026, 11, 27)
        with pytest.raises(InvalidIdNumber, match="future"):
            parse_id_number(valid_id_number(birth=date(2026, 11, 28)))
