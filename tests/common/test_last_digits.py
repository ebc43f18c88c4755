""" "The last digits" of an ID number mean one thing wherever staff search: the last four."""

import pytest

from webapp.services.common.id_numbers import as_last_digits


@pytest.mark.parametrize(
    ("query", "digits"), [("0018", "0018"), ("123x", "123X"), ("１２３Ｘ", "123X"), (" 4567 ", "4567")]
)
def test_four_characters_shaped_like_an_id_numbers_end_are_its_last_digits(query, digits):
    assert as_last_digits(query) == digits


@pytest.mark.parametrize("query", ["", "12", "123", "12345", "X123", "abcd", "13800138000"])
def test_anything_else_is_not(query):
    assert as_last_digits(query) is None
