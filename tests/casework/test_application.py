"""The first-loan application in steps: each rule with a good and a bad case."""

import re
import uuid

import pytest

from tests.factories import PASSWORD, make_centre, make_season, make_student, valid_id_number
from tests.http_helpers import csrf_token
from webapp.models import Application, FamilyMember, PreRegistration

MEMBER = {
    "name": "孙建国",
    "age": "48",
    "relation": "father",
    "employer": "右玉县农业合作社",
    "occupation": "农民",
    "annual_income": "18,000",
    "health": "healthy",
}
STUDY = {
    "university": "山西大学",
    "department": "数学科学学院",
    "major": "统计学",
    "level": "undergraduate",
    "study_years": "4",
    "admission_year": "2023",
    "tuition_fee": "5000",
    "accommodation_fee": "1200",
}


@pytest.fixture
def student(app, client, auth):
    centre = make_centre()
    make_season(centre, year=2023)
    student = make_student(centre, name="孙同学")
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    return student


def post(client, path, **data):
    data["csrf_token"] = csrf_token(client, path)
    return client.post(path, data=data)


PERSONAL = {
    "ethnicity": "01",
    "political_status": "cyl_member",
    "hukou_type": "rural",
    "household_size": "4",
    "home_address": "山西省朔州市右玉县新城镇幸福街 8 号",
    "postcode": "037200",
    "family_phone": "0349-8012345",
    "high_school": "右玉县第一中学",
    "graduation_year": "2023",
    "specialty": "书法",
    "student_number": "",
    "application_reason": "家中务农，收入不足以支付学费。",
}


def test_the_whole_application_then_booking(client, student):
    assert client.get("/me/application").status_code == 200
    assert post(client, "/me/application/personal", **PERSONAL).status_code == 302
    response = post(
        client,
        "/me/application/co_borrower",
        name="孙建国",
        relation="father",
        id_number=valid_id_number(),
        mobile="13912345678",
    )
    assert response.status_code == 302
    assert post(client, "/me/application/study", **STUDY).status_code == 302
    assert post(client, "/me/application/loan", one_loan="y", amount="12,000").status_code == 302
    application = Application.get()
    assert (application.amount_requested, application.loan_term_years) == (12000, 19)
    assert application.co_borrower.is_co_borrower and application.hardship_required
    assert post(client, "/me/application/submit").status_code == 303  # the hardship step is missing
    assert post(client, "/me/application/hardship", **hardship()).status_code == 302
    submitted = post(client, "/me/application/submit")
    assert submitted.status_code == 302 and "/me/booking" in submitted.headers["Location"]
    assert Application.get().status == "submitted"
    assert post(client, "/me/application/loan", one_loan="y", amount="13000").status_code == 422


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"ethnicity": "57"}, "ethnicity", "ethnic group from the list"),
        ({"ethnicity": "汉族"}, "ethnicity", "ethnic group from the list"),
        ({"postcode": "03720"}, "postcode", "six digits"),
        ({"family_phone": "12345"}, "family_phone", "area code"),
        ({"household_size": "0"}, "household_size", "from 1 to 30"),
        ({"household_size": "四"}, "household_size", "from 1 to 30"),
        ({"graduation_year": "1890"}, "graduation_year", "Enter a year"),
        ({"home_address": " "}, "home_address", "address for letters"),
        ({"hukou_type": "city"}, "hukou_type", "urban or rural"),
    ],
)
def test_the_personal_step_checks_each_field_next_to_it(client, student, fields, field, message):
    response = post(client, "/me/application/personal", **{**PERSONAL, **fields})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert f'id="{field}-error"' in page
    assert Application.get().ethnicity == ""  # nothing of a refused step is saved


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"relation": "uncle"}, "relation", "Choose father, mother"),
        ({"id_number": "140623200803141313"}, "id_number", "last character"),
        ({"mobile": "12345"}, "mobile", "11-digit"),
        ({"name": " "}, "name", "the co-borrower's name"),
    ],
)
def test_co_borrower_rules(client, student, fields, field, message):
    data = {"name": "孙建国", "relation": "mother", "id_number": valid_id_number(), "mobile": "13912345678"}
    data.update(fields)
    response = post(client, "/me/application/co_borrower", **data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert Application.get().co_borrower is None


def test_the_student_cannot_be_their_own_co_borrower(client, student):
    response = post(
        client,
        "/me/application/co_borrower",
        name="孙同学",
        relation="other",
        id_number=student.id_number,
        mobile="13912345678",
    )
    assert response.status_code == 422 and "another person" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"university": ""}, "university"),
        ({"level": "phd"}, "level"),
        ({"study_years": "9"}, "study_years"),
        ({"study_years": "four"}, "study_years"),
        ({"tuition_fee": "-5"}, "tuition_fee"),
    ],
)
def test_study_rules(client, student, fields, field):
    response = post(client, "/me/application/study", **{**STUDY, **fields})
    assert response.status_code == 422 and f'id="{field}-error"' in response.get_data(as_text=True)


def test_term_is_study_plus_fifteen_years_at_most_twenty_two(client, student):
    post(client, "/me/application/study", **{**STUDY, "study_years": "8", "level": "postgraduate"})
    assert Application.get().loan_term_years == 22


@pytest.mark.parametrize(
    "amount, level, ok",
    [
        ("16000", "undergraduate", True),
        ("16001", "undergraduate", False),
        ("20000", "postgraduate", True),
        ("999", "undergraduate", False),
        ("", "undergraduate", False),
    ],
)
def test_amount_within_the_cap_of_the_level(client, student, amount, level, ok):
    post(client, "/me/application/study", **{**STUDY, "level": level})
    response = post(client, "/me/application/loan", one_loan="y", amount=amount)
    assert (response.status_code == 302) == ok
    if not ok:
        assert "Enter an amount from 1000 to" in response.get_data(as_text=True)


def test_loan_before_study_and_submit_before_complete_are_refused(client, student):
    assert post(client, "/me/application/loan", one_loan="y", amount="8000").status_code == 422
    response = post(client, "/me/application/submit")
    assert response.status_code == 303 and Application.get().status == "draft"


def hardship(*rows, **fields):
    """Form data of the hardship step: the given family rows (MEMBER by default), ticks, pledge."""
    data = {
        "special_groups": ["subsistence"],
        "hardship_factors": ["illness", "low_income"],
        "hardship_details": "母亲长期患病",
        "pledge": "y",
    }
    for index, row in enumerate(rows or (MEMBER,)):
        data.update({f"members-{index}-{name}": value for name, value in row.items()})
    data.update(fields)
    return data


def test_pre_approved_students_skip_the_hardship_form(client, student):
    PreRegistration.create(
        centre=student.centre,
        uuid=uuid.uuid4(),
        student=student,
        id_number=student.id_number,
        name=student.name,
        category=1,
    )
    assert "Family hardship" not in client.get("/me/application").get_data(as_text=True)
    assert Application.get().hardship_required is False
    assert client.get("/me/application/hardship").status_code == 404


def test_the_hardship_step_saves_members_ticks_and_pledge(client, student):
    page = client.get("/me/application/hardship").get_data(as_text=True)
    assert "Family member 4" in page and "Family member 5" not in page
    mother = {
        **MEMBER,
        "name": "王秀英",
        "age": "45",
        "relation": "mother",
        "annual_income": "0",
        "health": "serious_illness",
        "employer": "",
        "occupation": "",
    }
    blank = {name: "" for name in MEMBER} | {"relation": "", "health": "healthy"}
    assert post(client, "/me/application/hardship", **hardship(MEMBER, blank, mother)).status_code == 302
    application = Application.get()
    members = [
        (m.position, m.name, m.age, m.annual_income, m.health)
        for m in application.family_members.order_by(FamilyMember.position)
    ]
    assert members == [(0, "孙建国", 48, 18000, "healthy"), (1, "王秀英", 45, 0, "serious_illness")]
    assert (application.special_groups, application.hardship_factors) == ("subsistence", "low_income,illness")
    assert application.pledge_signed_at is not None
    again = client.get("/me/application/hardship").get_data(as_text=True)
    assert 'value="王秀英"' in again and re.search(r'<input checked[^>]*value="subsistence"', again)


@pytest.mark.parametrize(
    "row, field, message",
    [
        ({"name": ""}, "members-0-name", "Enter the name"),
        ({"age": "130"}, "members-0-age", "from 0 to 120"),
        ({"age": "forty"}, "members-0-age", "from 0 to 120"),
        ({"relation": "cousin"}, "members-0-relation", "Choose a relation"),
        ({"annual_income": "-1"}, "members-0-annual_income", "0 when there is none"),
        ({"health": "tired"}, "members-0-health", "state of health"),
    ],
)
def test_family_member_rules(client, student, row, field, message):
    response = post(client, "/me/application/hardship", **hardship({**MEMBER, **row}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in html and message in html
    assert Application.get().family_members.count() == 0


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"pledge": ""}, "Confirm the pledge"),
        ({"special_groups": ["millionaire"]}, "Tick only the boxes offered"),
        (
            {
                "members-0-name": "",
                "members-0-age": "",
                "members-0-relation": "",
                "members-0-employer": "",
                "members-0-occupation": "",
                "members-0-annual_income": "",
            },
            "at least one family member",
        ),
    ],
)
def test_hardship_form_rules(client, student, fields, message):
    response = post(client, "/me/application/hardship", **hardship(**fields))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert Application.get().pledge_signed_at is None


def test_a_row_can_be_added_without_losing_what_was_typed(client, student):
    response = post(client, "/me/application/hardship", add_member="1", **hardship())
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Family member 5" in html and 'value="孙建国"' in html
    assert Application.get().pledge_signed_at is None


def test_a_saved_amount_is_shown_again(client, student):
    post(client, "/me/application/study", **STUDY)
    post(client, "/me/application/loan", one_loan="y", amount="9000")
    assert 'value="9000"' in client.get("/me/application/loan").get_data(as_text=True)
