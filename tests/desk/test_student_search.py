"""The desk finds a student the way the student's phone does: by a mobile typed with spaces,
dashes or full-width digits, by the last four of the ID number, never another centre's."""

import pytest

from tests.factories import make_centre, make_student, valid_id_number
from webapp.services.desk.student_search import find_students


@pytest.mark.parametrize("typed", ["13912345678", "139 1234 5678", "139-1234-5678", "１３９１２３４５６７８"])
def test_the_desk_finds_a_student_by_a_mobile_however_typed(app, typed):
    centre = make_centre()
    student = make_student(centre, name="王五", mobile="13912345678")
    make_student(centre, name="赵六", mobile="13987654321")
    assert find_students(centre, typed) == [student]


def test_the_desk_finds_by_the_last_four_and_never_another_centres_student(app):
    centre, other = make_centre(), make_centre(name="平鲁区学生资助管理中心", region_code="140603")
    number = valid_id_number(sequence=321)
    student = make_student(centre, name="钱七", id_number=number)
    make_student(other, name="孙八", id_number=valid_id_number(region="140603", sequence=321))
    last_four = number[-4:]
    assert find_students(centre, last_four) == [student]
    assert find_students(centre, last_four.lower()) == [student]
    assert find_students(centre, number[-3:]) == []
