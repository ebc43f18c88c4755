"""What a walk through every role found: the hardship form on the checklist the case needs, a
father's and a mother's ID numbers, step badges, the renewal tab, the hours of a booking, the
confirmation deadline, and pages that ask nothing more of an accepted student."""

import uuid
from datetime import date, timedelta

import pytest

from tests.admin.admin_helpers import season_data
from tests.factories import (
    PASSWORD,
    make_application,
    make_appointment,
    make_centre,
    make_school,
    make_season,
    make_student,
    make_user,
    valid_id_number,
)
from tests.http_helpers import csrf_token
from tests.outreach_helpers import prereg
from webapp.models import Application, PreRegistration
from webapp.services.casework import applications
from webapp.services.casework.materials import MATERIALS, materials_for
from webapp.services.desk import acceptance
from webapp.vocabulary import Service

TODAY = date.today()
MAN = valid_id_number(birth=date(1975, 5, 1), sequence="123")  # the 17th character odd
WOMAN = valid_id_number(birth=date(1976, 6, 2), sequence="124")


def post(client, path, **data):
    data["csrf_token"] = csrf_token(client, path)
    return client.post(path, data=data)


@pytest.fixture
def season(app):
    return make_season(
        make_centre(),
        year=TODAY.year,
        acceptance_start=TODAY - timedelta(days=30),
        acceptance_end=TODAY + timedelta(days=30),
    )


def test_a_student_not_pre_approved_brings_the_hardship_form(app, season):
    student = make_student(season.centre)
    needs = make_application(student, season, status="submitted", hardship_required=True)
    assert "hardship_form" in materials_for(needs)
    pre_approved = make_application(make_student(season.centre), season, hardship_required=False)
    assert "hardship_form" not in materials_for(pre_approved)
    clerk = make_user(season.centre, role="desk")
    with app.test_request_context():
        acceptance.tick_materials(needs, list(MATERIALS[Service.FIRST_LOAN]), clerk)
        with pytest.raises(acceptance.AcceptanceErrors) as info:
            acceptance.accept(Application.get_by_id(needs.id), "HT-0001-AB", clerk, receipt_code="RC01")
    assert "materials" in info.value.errors
    assert Application.get_by_id(needs.id).status == "submitted"


def test_the_booking_confirmation_lists_the_cases_papers_and_its_hours(client, auth, season):
    student = make_student(season.centre, mobile="13800000011")
    application = make_application(student, season, status="submitted", hardship_required=True)
    appointment = make_appointment(student, season, TODAY + timedelta(days=1), application=application)
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "zh_Hans")
    page = client.get(f"/me/booking/{appointment.code}").get_data(as_text=True)
    assert "家庭经济困难学生认定申请表" in page and "08:30–12:00" in page


def test_a_father_holds_a_mans_number_and_a_mother_a_womans(client, auth, season):
    student = make_student(season.centre)
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    client.get("/me/application")
    for relation, number, ok in (("father", WOMAN, False), ("mother", MAN, False), ("father", MAN, True)):
        answer = post(
            client,
            "/me/application/co_borrower",
            name="李某",
            relation=relation,
            id_number=number,
            mobile="13900000123",
        )
        assert (answer.status_code == 302) == ok, (relation, answer.status_code)
        if not ok:
            assert "17th character" in answer.get_data(as_text=True)
    guardian = Application.get().co_borrower
    guardian.relation = "mother"  # changed behind the form's back: submit and acceptance refuse
    guardian.save()
    with client.application.test_request_context():
        assert "co_borrower_relation" in applications.policy_errors(Application.get())


def test_offline_capture_checks_the_guardians_sex(client, auth, season):
    school = make_school(season.centre)
    make_user(season.centre, role="outreach", username="sun")
    auth.login("sun", PASSWORD)
    record = prereg(school, guardian_name="周母", guardian_relation="mother", guardian_id_number=MAN)
    [result] = client.post("/api/sync", json={"device_id": "d1", "records": [record]}).get_json()["results"]
    assert result["status"] == "invalid" and "guardian_relation" in result["errors"]


def test_steps_are_filled_in_not_closed_and_no_renewal_tab_for_a_first_loan(client, auth, season):
    student = make_student(season.centre)
    make_application(student, season)
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "zh_Hans")
    overview = client.get("/me/application").get_data(as_text=True)
    assert "已填写" in overview and "已办结" not in overview
    booking = client.get("/me/booking?service=first_loan").get_data(as_text=True)
    assert "/me/booking?service=renewal" not in booking and "/me/renewal" not in booking
    assert "/me/renewal" not in client.get("/me/booking?service=renewal").get_data(as_text=True)


def test_an_accepted_student_is_not_asked_to_print_and_bring_the_forms(client, auth, season):
    student = make_student(season.centre)
    make_application(student, season, status="accepted", contract_number="HT-1", receipt_code="RC1")
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    assert "Print the forms, sign them and bring them" not in client.get("/me/").get_data(as_text=True)


def test_the_confirmation_deadline_cannot_fall_inside_the_window(client, auth, season):
    admin = make_user(season.centre, role="admin")
    auth.login(admin.username, PASSWORD)
    client.set_cookie("lang", "en")
    path = f"/admin/seasons/{season.id}"
    form = season_data(
        name=season.name,
        year=str(season.year),
        acceptance_start=season.acceptance_start.isoformat(),
        acceptance_end=season.acceptance_end.isoformat(),
        contract_change_start="",
        contract_change_end="",
        confirmation_deadline=(season.acceptance_end - timedelta(days=7)).isoformat(),
    )
    refused = post(client, path, **form)
    assert refused.status_code == 422 and "after the acceptance window closes" in refused.get_data(
        as_text=True
    )
    form["confirmation_deadline"] = (season.acceptance_end + timedelta(days=20)).isoformat()
    assert post(client, path, **form).status_code == 302


def test_the_desk_reads_whose_paper_it_is_and_a_category_by_its_name(client, auth, season):
    """The checklist names whose paper each is ("The student's…", not "Your…"), and a student
    pre-approved at school reads the category's name, not its number."""
    centre = season.centre
    applicant = make_student(centre)
    application = make_application(applicant, season, status="submitted", hardship_required=True)
    auth.login(make_user(centre, role="desk").username, PASSWORD)
    client.set_cookie("lang", "en")
    checklist = client.get(f"/desk/applications/{application.id}").get_data(as_text=True)
    assert (
        "The student&#39;s resident ID card" in checklist
        and "The co-borrower&#39;s resident ID card" in checklist
    )
    assert "Your resident ID card" not in checklist and "Your co-borrower" not in checklist
    auth.logout()

    pre_approved = make_student(centre)
    PreRegistration.create(centre=centre, uuid=str(uuid.uuid4()), student=pre_approved, name=pre_approved.name,
                           id_number=pre_approved.id_number, category=3, status="accepted")  # fmt: skip
    auth.login(pre_approved.id_number, PASSWORD)
    record = client.get("/me/").get_data(as_text=True)
    assert "(3 · High-school national grant holder)" in record and "(category 3)" not in record


def test_an_accepted_student_is_not_told_to_submit_first_on_the_booking_page(client, auth, season):
    student = make_student(season.centre)
    make_application(student, season, status="accepted", contract_number="HT-9", receipt_code="RC9")
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    page = client.get("/me/booking").get_data(as_text=True)
    assert "Submit your application first" not in page and "nothing more to book" in page


def test_the_record_says_one_thing_after_a_change(client, auth, season):
    """The school said category 0 (the form is needed) but the desk's application needs none: the
    record follows the application. A paper still owed after acceptance comes first in the next step."""
    from webapp.models import OwedMaterial

    student = make_student(season.centre)
    PreRegistration.create(centre=season.centre, uuid=str(uuid.uuid4()), student=student, name=student.name,
                           id_number=student.id_number, category=0, status="accepted")  # fmt: skip
    application = make_application(student, season, status="submitted", hardship_required=False)
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    page = client.get("/me/").get_data(as_text=True)
    assert "You will also fill in the family-hardship determination form." not in page
    assert "No family-hardship form is needed for your application." in page and "pre-approved" not in page
    Application.update(status="accepted", contract_number="HT-7", receipt_code="RC7").where(
        Application.id == application.id
    ).execute()
    clerk = make_user(season.centre, role="desk")
    OwedMaterial.create(
        application=application, material="household_register", due_on=TODAY, recorded_by=clerk
    )
    page = client.get("/me/").get_data(as_text=True)
    assert "Bring the papers you still owe the centre by their day" in page
