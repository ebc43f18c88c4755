"""Contract changes (合同变更): each kind with its papers and its rules, the old and new values
kept, and a booking service of its own inside the season's contract-change window."""

import json
from datetime import date, datetime

import pytest

from tests.factories import (
    PASSWORD,
    make_accepted,
    make_application,
    make_centre,
    make_co_borrower,
    make_season,
    make_student,
    make_user,
    next_weekday,
    valid_id_number,
)
from tests.http_helpers import csrf_token
from webapp.models import Application, AuditEvent, ContractChange, Guardian
from webapp.services.booking import appointments
from webapp.services.casework.materials import CHANGE_MATERIALS

NEXT_YEAR = date.today().year + 1


@pytest.fixture
def loan(app, client, auth):
    """An accepted first loan (4 years from this season, 12000 a year) and a desk clerk signed
    in, English pages."""
    centre = make_centre()
    season = make_season(
        centre,
        year=NEXT_YEAR,
        contract_change_start=date(NEXT_YEAR, 9, 1),
        contract_change_end=date(NEXT_YEAR, 10, 31),
    )
    student = make_student(centre, name="欧阳娜")
    application = make_accepted(
        student,
        season,
        co_borrower=make_co_borrower(student),
        contract_number="HT0001",
        receipt_code="R0001",
        loan_term_years=19,
    )
    make_user(centre, role="desk", username="window1")
    auth.login("window1", PASSWORD)
    client.set_cookie("lang", "en")
    return application


def change(client, application, kind, materials=None, **values):
    path = f"/desk/applications/{application.id}/contract-change?kind={kind}"
    data = {
        "csrf_token": csrf_token(client, path),
        "materials": list(CHANGE_MATERIALS[kind]) if materials is None else materials,
    }
    data.update(values)
    return client.post(path, data=data)


def test_a_new_co_borrower_needs_every_paper_and_keeps_the_old_one(client, loan):
    old = loan.co_borrower
    new_number = valid_id_number(birth=date(1978, 2, 2), female=True)  # a mother
    values = dict(name="欧阳红", relation="mother", id_number=new_number, mobile="13900000010")
    refused = change(client, loan, "co_borrower", materials=["id_card"], **values)
    assert refused.status_code == 422
    assert "Tick every paper of this change" in refused.get_data(as_text=True)
    assert Application.get_by_id(loan.id).co_borrower_id == old.id

    assert change(client, loan, "co_borrower", **values, note="母亲接替").status_code == 302
    changed = Application.get_by_id(loan.id)
    assert changed.co_borrower.name == "欧阳红" and changed.co_borrower.id_number == new_number
    assert not Guardian.get_by_id(old.id).is_co_borrower  # still on record, no longer co-borrower
    record = ContractChange.get()
    assert record.before == {"co_borrower": old.name, "relation": "father"}
    assert record.after == {"co_borrower": "欧阳红", "relation": "mother"}
    event = AuditEvent.get(AuditEvent.action == "contract.changed")
    details = json.loads(event.details)
    assert details["old"]["co_borrower"] == old.name and details["new"]["co_borrower"] == "欧阳红"
    page = client.get(f"/desk/applications/{loan.id}/contract-change").get_data(as_text=True)
    assert "母亲接替" in page and "欧阳红" in page


def test_the_same_co_borrower_or_a_child_is_refused(client, loan):
    same = change(
        client,
        loan,
        "co_borrower",
        name="欧阳建国",
        relation="father",
        id_number=loan.co_borrower.id_number,
        mobile="13900000009",
    )
    assert same.status_code == 422 and "already on the contract" in same.get_data(as_text=True)
    young = change(
        client,
        loan,
        "co_borrower",
        name="欧阳小",
        relation="other",
        id_number=valid_id_number(birth=date(NEXT_YEAR - 10, 1, 1)),
        mobile="13900000011",
    )
    assert young.status_code == 422 and ContractChange.select().count() == 0


def test_an_amount_change_waits_for_a_raised_cap(client, loan):
    refused = change(client, loan, "amount", amount="18000")
    assert refused.status_code == 422 and "16000" in refused.get_data(as_text=True)
    season = loan.season
    season.cap_undergraduate = 20000  # raised mid-season
    season.save()
    assert change(client, loan, "amount", amount="18,000").status_code == 302
    assert Application.get_by_id(loan.id).amount_requested == 18000
    assert ContractChange.get().before == {"amount": 12000}


def test_a_longer_course_lengthens_the_term(client, loan):
    answer = change(client, loan, "university", university="山西医科大学", study_years="5")
    assert answer.status_code == 302
    changed = Application.get_by_id(loan.id)
    assert (changed.university, changed.study_years, changed.loan_term_years) == ("山西医科大学", 5, 20)
    bad = change(client, loan, "university", university="山西医科大学", study_years="five")
    assert bad.status_code == 422 and "whole number" in bad.get_data(as_text=True)


def test_only_a_loan_has_a_contract_to_change(client, loan):
    draft = make_application(make_student(loan.centre), loan.season, status="submitted")
    assert client.get(f"/desk/applications/{draft.id}/contract-change").status_code == 404
    assert client.get(f"/desk/applications/{loan.id}/contract-change?kind=party").status_code == 404


def test_a_contract_change_is_booked_inside_its_window(app, loan):
    day = next_weekday(loan.season.contract_change_start)
    with app.test_request_context():
        appointment = appointments.book_slot(loan.student, loan.season, "contract_change", day, "morning")
        assert appointment.application_id == loan.id
        slots = appointments.calendar(loan.season, "contract_change", now=datetime(NEXT_YEAR, 8, 1))
        assert {slot.day for slot in slots} <= {
            date.fromordinal(n)
            for n in range(
                loan.season.contract_change_start.toordinal(), loan.season.contract_change_end.toordinal() + 1
            )
        }
        without_loan = make_student(loan.centre, name="无贷款")
        with pytest.raises(appointments.BookingError) as refused:
            appointments.book_slot(without_loan, loan.season, "contract_change", day, "morning")
        assert refused.value.status == 409
        with pytest.raises(appointments.BookingError):
            appointments.book_slot(
                loan.student, loan.season, "contract_change", loan.season.acceptance_start, "morning"
            )


def test_the_student_is_offered_a_contract_change_visit(client, auth, loan):
    auth.logout()
    auth.login(loan.student.id_number, PASSWORD)
    page = client.get("/me/").get_data(as_text=True)
    assert "Book a contract-change visit" in page
    booking_page = client.get("/me/booking?service=contract_change")
    assert booking_page.status_code == 200 and "Contract change" in booking_page.get_data(as_text=True)
