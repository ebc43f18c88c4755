"""The mobile-number rule, in its one home: however a number is typed, it is the same number."""

import pytest

from webapp.services.common.mobile_numbers import InvalidMobile, as_mobile, check_mobile, is_phone

TYPED = ["13800138000", "138 0013 8000", "138-0013-8000", "１３８００１３８０００", " 138 ００１3-8000 "]


@pytest.mark.parametrize("typed", TYPED)
def test_every_way_of_typing_a_mobile_is_the_same_number(typed):
    assert check_mobile(typed) == as_mobile(typed) == "13800138000"
    assert is_phone(typed)


@pytest.mark.parametrize("typed", ["", "1380013800", "138001380001", "12800138000", "abc", "0351-1234567"])
def test_what_is_not_a_mobile(typed):
    assert as_mobile(typed) is None
    with pytest.raises(InvalidMobile):
        check_mobile(typed)


@pytest.mark.parametrize(
    ("typed", "phone"), [("0351-1234567", True), ("0349 80000000", True), ("351-1234567", False), ("", False)]
)
def test_a_family_phone_is_a_mobile_or_a_landline_with_its_area_code(typed, phone):
    assert is_phone(typed) is phone
