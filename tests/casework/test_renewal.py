"""Online renewal: the declaration, the desk's approval or return, and who may book the window."""

import json
import re
from datetime import date

import pytest

from tests.factories import (
    PASSWORD,
    make_application,
    make_centre,
    make_co_borrower,
    make_season,
    make_student,
    make_user,
)
from tests.http_helpers import code_sent_to, csrf_token
from webapp.models import Application, AuditEvent, Guardian, Message, User

NEXT_YEAR = date.today().year + 1  # a season whose window is still ahead, so slots are offered
DECLARATION = {
    "year_of_study": "2",
    "study_progress": "on_track",
    "amount": "14,000",
    "mobile": "",
    "co_borrower_mobile": "",
    "contact_note": "",
    "one_loan": "y",
}


@pytest.fixture
def renewing(app):
    """A student whose first loan was accepted last season; this season is open."""
    centre = make_centre()
    last = make_season(centre, year=NEXT_YEAR - 1, is_current=False)
    season = make_season(centre, year=NEXT_YEAR, cap_undergraduate=20000)
    student = make_student(centre, name="钱同学", mobile="13900000001")
    parent = make_co_borrower(student, name="钱建国", mobile="13700000001")
    make_application(
        student,
        last,
        status="accepted",
        co_borrower=parent,
        major="统计学",
        amount_requested=12000,
        contract_number="2023140623-0007",
        study_years=4,
        admission_year=NEXT_YEAR - 1,
    )
    return {
        "centre": centre,
        "season": season,
        "student": student,
        "parent": parent,
        "desk": make_user(centre, role="desk"),
    }


def post(client, path, **data):
    data["csrf_token"] = csrf_token(client, path)
    return client.post(path, data=data)


def declare(client, auth, renewing, **fields):
    """The declaration as the page sends it; a new mobile number first gets its code."""
    auth.login(renewing["student"].id_number, PASSWORD)
    client.set_cookie("lang", "en")
    if fields.get("mobile") and "mobile_code" not in fields:
        post(client, "/me/renewal", **{**DECLARATION, **fields, "send_code": "1"})
        fields["mobile_code"] = code_sent_to(fields["mobile"])
    return post(client, "/me/renewal", **{**DECLARATION, **fields})


def test_the_record_page_points_a_renewing_student_to_the_declaration(client, auth, renewing):
    auth.login(renewing["student"].id_number, PASSWORD)
    client.set_cookie("lang", "en")
    html = client.get("/me/").get_data(as_text=True)
    assert "Renewal due" in html and "/me/renewal" in html
    page = client.get("/me/renewal").get_data(as_text=True)
    assert "2023140623-0007" in page and 'value="12000"' in page  # last season's loan, copied
    assert re.search(r'<input id="year_of_study"[^>]* value="2"', page)  # suggested from the dates


def test_a_declaration_is_sent_and_waits_for_the_desk(client, auth, renewing):
    response = declare(client, auth, renewing, mobile="13900000099")
    assert response.status_code == 302
    renewal = Application.get(Application.kind == "renewal")
    assert (renewal.status, renewal.amount_requested, renewal.year_of_study) == ("submitted", 14000, 2)
    assert renewal.co_borrower_id == renewing["parent"].id and renewal.university == "山西大学"
    assert renewal.declared_mobile == "13900000099"
    assert "Renewal declaration sent" in client.get("/me/").get_data(as_text=True)
    # nothing changes before the desk approves
    assert renewing["student"].__class__.get_by_id(renewing["student"].id).mobile == "13900000001"
    assert post(client, "/me/renewal", **DECLARATION).status_code == 422  # already sent


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"year_of_study": "5"}, "year_of_study", "from 1 to 4"),
        ({"year_of_study": "two"}, "year_of_study", "from 1 to 4"),
        ({"study_progress": "partying"}, "study_progress", "how your studies are going"),
        ({"amount": "20001"}, "amount", "from 1000 to 20000"),
        ({"amount": "500"}, "amount", "from 1000 to 20000"),
        ({"mobile": "1234"}, "mobile", "11-digit"),
        ({"co_borrower_mobile": "23800138000"}, "co_borrower_mobile", "11-digit"),
    ],
)
def test_declaration_rules(client, auth, renewing, fields, field, message):
    response = declare(client, auth, renewing, **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in html and message in html
    assert Application.get(Application.kind == "renewal").status == "draft"


def test_without_an_earlier_loan_there_is_no_renewal(client, auth, renewing):
    other = make_student(renewing["centre"], name="新同学")
    auth.login(other.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    response = client.get("/me/renewal")
    assert response.status_code == 404 and "earlier season" in response.get_data(as_text=True)
    assert not Application.select().where(Application.kind == "renewal").exists()


def test_approval_applies_the_new_contact_data_and_keeps_the_old_in_the_audit(client, auth, renewing):
    declare(client, auth, renewing, mobile="13900000099", co_borrower_mobile="13700000099")
    auth.logout()
    auth.login(renewing["desk"].username, PASSWORD)
    client.set_cookie("lang", "en")
    queue = client.get("/desk/renewals").get_data(as_text=True)
    renewal = Application.get(Application.kind == "renewal")
    assert "钱同学" in queue and f"/desk/renewals/{renewal.id}" in queue
    assert "13900000099" in client.get(f"/desk/renewals/{renewal.id}").get_data(as_text=True)
    response = post(client, f"/desk/renewals/{renewal.id}", decision="approve")
    assert response.status_code == 302
    renewal = Application.get_by_id(renewal.id)
    assert (renewal.status, renewal.needs_window, renewal.reviewed_by_id) == (
        "approved",
        False,
        renewing["desk"].id,
    )
    assert Guardian.get_by_id(renewing["parent"].id).mobile == "13700000099"
    assert User.get(User.student == renewing["student"]).mobile == "13900000099"
    event = AuditEvent.get(AuditEvent.action == "renewal.approved")
    assert json.loads(event.details)["changes"]["mobile"] == ["13900000001", "13900000099"]
    told = {m.to_mobile for m in Message.select().where(Message.template == "mobile_changed")}
    assert told == {"13900000001", "13900000099"}
    assert "No declaration waits" in client.get("/desk/renewals").get_data(as_text=True)
    # answered once only
    assert post(client, f"/desk/renewals/{renewal.id}", decision="return", reason="x").status_code == 409
    auth.logout()
    auth.login(renewing["student"].id_number, PASSWORD)
    assert "Renewal approved" in client.get("/me/").get_data(as_text=True)


def test_a_returned_declaration_shows_the_reason_and_can_be_sent_again(client, auth, renewing):
    declare(client, auth, renewing)
    auth.logout()
    auth.login(renewing["desk"].username, PASSWORD)
    client.set_cookie("lang", "en")
    renewal = Application.get(Application.kind == "renewal")
    refused = post(client, f"/desk/renewals/{renewal.id}", decision="return", reason=" ")
    assert refused.status_code == 422 and "what the student should correct" in refused.get_data(as_text=True)
    assert (
        post(
            client, f"/desk/renewals/{renewal.id}", decision="return", reason="请上传学籍在线验证报告"
        ).status_code
        == 302
    )
    auth.logout()
    auth.login(renewing["student"].id_number, PASSWORD)
    record = client.get("/me/").get_data(as_text=True)
    assert "Renewal declaration returned" in record and "请上传学籍在线验证报告" in record
    assert post(client, "/me/renewal", **DECLARATION).status_code == 302
    assert Application.get_by_id(renewal.id).status == "submitted"


def test_only_a_renewal_approved_for_the_window_books_a_renewal_half_day(client, auth, renewing):
    declare(client, auth, renewing)
    online = client.get("/me/booking?service=renewal").get_data(as_text=True)
    assert "handled online" in online and 'name="slot"' not in online
    renewal = Application.get(Application.kind == "renewal")
    renewal.status, renewal.needs_window = "approved", True
    renewal.save()
    assert "Renewal approved: come to sign" in client.get("/me/").get_data(as_text=True)
    assert 'name="slot"' in client.get("/me/booking?service=renewal").get_data(as_text=True)


@pytest.mark.parametrize(
    "role, status", [("student", 403), ("outreach", 403), ("admin", 403), ("leader", 200), ("desk", 200)]
)
def test_only_desk_staff_and_leaders_answer_declarations(client, auth, renewing, role, status):
    if role == "student":
        auth.login(renewing["student"].id_number, PASSWORD)
    else:
        auth.login(make_user(renewing["centre"], role=role).username, PASSWORD)
    assert client.get("/desk/renewals").status_code == status


def test_another_centre_cannot_open_the_declaration(client, auth, renewing):
    declare(client, auth, renewing)
    auth.logout()
    elsewhere = make_user(make_centre(name="平鲁区学生资助管理中心", region_code="140603"), role="desk")
    auth.login(elsewhere.username, PASSWORD)
    renewal = Application.get(Application.kind == "renewal")
    assert client.get(f"/desk/renewals/{renewal.id}").status_code == 404


def test_a_renewing_student_is_sent_to_the_renewal_not_a_new_application(client, auth, renewing):
    auth.login(renewing["student"].id_number, PASSWORD)
    response = client.get("/me/application")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/renewal")
    assert client.get("/me/application/loan").status_code == 302
    assert (
        not Application.select()
        .where((Application.season == renewing["season"]) & (Application.kind == "first_loan"))
        .exists()
    )


def test_a_new_mobile_number_is_proven_with_a_code_before_it_counts(client, auth, renewing):
    unproven = declare(client, auth, renewing, mobile="13900000088", mobile_code="")
    assert unproven.status_code == 422 and "Ask for a code" in unproven.get_data(as_text=True)
    wrong = declare(client, auth, renewing, mobile="13900000088", mobile_code="12345x")
    assert (
        wrong.status_code == 422
        and not Application.select().where(Application.status == "submitted").exists()
    )
    assert declare(client, auth, renewing, mobile="13900000088").status_code == 302


def test_a_number_of_another_account_cannot_be_declared(client, auth, renewing):
    make_student(renewing["centre"], name="别人", mobile="13900000077")
    answer = declare(client, auth, renewing, mobile="13900000077", mobile_code="000000")
    assert answer.status_code == 422 and "already used by another account" in answer.get_data(as_text=True)
