"""Resident ID numbers: check character, birth date, region, derived sex and birth date."""
from datetime import date

import pytest

from tests.factories import valid_id_number
from webapp.services.id_numbers import InvalidIdNumber, mask_id_number, parse_id_number


def test_valid_number_gives_birth_date_sex_and_region():
    rid = parse_id_number("140623200803141312")
    assert rid.birth_date == date(2008, 3, 14)
    assert rid.sex == "M"
    assert rid.region_code == "140623"
    assert parse_id_number(valid_id_number(female=True)).sex == "F"


def test_lower_case_x_and_spaces_are_accepted():
    number = next(n for n in (valid_id_number() for _ in range(200)) if n.endswith("X"))
    assert parse_id_number(" " + number.lower()[:6] + " " + number.lower()[6:]).number == number


@pytest.mark.parametrize("value, fragment", [
    ("", "Enter the resident ID number"),
    ("14062320080314131", "18 characters"),
    ("14062320080314131A", "17 digits"),
    ("140623200803141313", "last character"),
    ("140623200802301310", "not a real date"),
])
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
