"""Acceptance at the desk, public verification with throttling and revocation, the incident log
and the duty rota."""

import json
import threading
from datetime import timedelta

import pytest
from playhouse.shortcuts import model_to_dict

from tests.documents_helpers import pdf_text
from tests.factories import (
    PASSWORD,
    make_application,
    make_appointment,
    make_centre,
    make_co_borrower,
    make_season,
    make_student,
    make_user,
)
from tests.http_helpers import csrf_token
from webapp.clock import local_today
from webapp.models import (
    Application,
    AuditEvent,
    DutyAssignment,
    Incident,
    IssuedDocument,
    Ticket,
    utcnow,
)
from webapp.services.casework.materials import HARDSHIP_FORM, MATERIALS
from webapp.services.desk import acceptance
from webapp.vocabulary import Service

FIRST_LOAN_MATERIALS = [*MATERIALS[Service.FIRST_LOAN], *HARDSHIP_FORM]  # not pre-approved at school


@pytest.fixture
def case(app, client, auth):
    """A submitted first-loan application and a desk clerk signed in (English pages)."""
    centre = make_centre()
    season = make_season(centre)
    student = make_student(centre, name="欧阳娜")
    father = make_co_borrower(student)
    application = make_application(
        student, season, co_borrower=father, status="submitted", amount_requested=12000, loan_term_years=19
    )
    clerk = make_user(centre, role="desk")
    auth.login(clerk.username, PASSWORD)
    client.set_cookie("lang", "en")
    return {
        "centre": centre,
        "application": application,
        "clerk": clerk,
        "student": student,
        "path": f"/desk/applications/{application.id}",
    }


def act(client, case, action, **fields):
    """Press a button of the desk's one check form ("materials" and "correct" save it): like
    the page, the form sends the ticks already saved unless others are given."""
    if "materials" not in fields:
        fields["materials"] = [m for m in Application.get().materials_checked.split(",") if m]
    if action == "accept":
        fields.setdefault("receipt_code", "RC" + fields.get("contract_number", "")[-8:])
    data = {f"a-{name}": value for name, value in fields.items()}
    data.update(
        {
            "a-csrf_token": csrf_token(client, case["path"]),
            "action": "accept" if action == "accept" else "save",
        }
    )
    return client.post(case["path"], data=data)


def test_ticks_a_correction_and_the_contract_number_go_in_one_press(client, case):
    path = case["path"]
    data = {
        "a-csrf_token": csrf_token(client, path),
        "action": "accept",
        "a-materials": FIRST_LOAN_MATERIALS,
        "a-field": "major",
        "a-value": "数学与应用数学",
        "a-contract_number": "12",  # too short: refused, nothing typed is lost
        "a-receipt_code": "K7Q2M9XP",
    }
    refused = client.post(path, data=data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert page.count("does not look like one of the national system") == 1
    assert all(
        f'value="{m}" checked' in page or 'checked id="a-materials' in page for m in FIRST_LOAN_MATERIALS[:1]
    )
    assert page.count("checked") >= len(FIRST_LOAN_MATERIALS)
    assert 'value="12"' in page
    application = Application.get()
    assert (
        application.materials_checked == ",".join(FIRST_LOAN_MATERIALS)
        and application.major == "数学与应用数学"
    )
    assert application.status == "submitted"

    data.update({"a-value": "", "a-contract_number": "2026140623000001"})
    assert client.post(path, data=data).status_code == 302
    assert Application.get().status == "accepted"


def test_the_desk_sees_the_whole_case(client, case):
    page = client.get(case["path"]).get_data(as_text=True)
    for expected in (
        "欧阳娜",
        "欧阳建国",
        "¥12,000",
        "19 years",
        "Required",
        "The household register (户口本)",
        "Accept and issue the certificate",
    ):
        assert expected in page, expected


def test_accepting_needs_every_material_and_a_contract_number(client, case):
    refused = act(client, case, "accept", contract_number="2026140623000001")
    assert refused.status_code == 422 and "Tick every material" in refused.get_data(as_text=True)
    act(client, case, "materials", materials=FIRST_LOAN_MATERIALS[:-1])
    assert Application.get().materials_checked == ",".join(FIRST_LOAN_MATERIALS[:-1])
    act(client, case, "materials", materials=FIRST_LOAN_MATERIALS)
    bad = act(client, case, "accept", contract_number="12")
    assert bad.status_code == 422 and "does not look like one of the national system" in bad.get_data(
        as_text=True
    )
    assert Application.get().status == "submitted" and IssuedDocument.select().count() == 0
    assert act(client, case, "accept", contract_number="2026140623000001").status_code == 302
    application = Application.get()
    assert (application.status, application.contract_number, application.accepted_by_id) == (
        "accepted",
        "2026140623000001",
        case["clerk"].id,
    )
    certificate = IssuedDocument.get()
    page = client.get(case["path"]).get_data(as_text=True)
    assert certificate.number in page and certificate.verification_code in page
    again = act(client, case, "accept", contract_number="2026140623000001")
    assert again.status_code == 409 and IssuedDocument.select().count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "application.accepted").count() == 1


def test_accepting_twice_at_once_issues_exactly_one_certificate(app, case):
    Application.update(materials_checked=",".join(FIRST_LOAN_MATERIALS)).execute()
    results, barrier = [], threading.Barrier(8)

    def accept():
        with app.app_context():
            barrier.wait()
            try:
                results.append(
                    acceptance.accept(
                        Application.get_by_id(case["application"].id),
                        "2026140623000001",
                        case["clerk"],
                        receipt_code="K7Q2M9XP",
                    ).number
                )
            except acceptance.AcceptanceErrors as exc:
                results.append(exc.status)
            finally:
                from webapp.db import database

                database.close()

    threads = [threading.Thread(target=accept) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert IssuedDocument.select().count() == 1
    assert sorted(map(str, results)).count("409") == 7


@pytest.mark.parametrize(
    "field, value, stored, message",
    [
        ("amount_requested", "15000", 15000, None),
        ("amount_requested", "16001", None, "from 1000 to 16000"),
        ("university", "太原理工大学", "太原理工大学", None),
        ("co_borrower_mobile", "13900000010", "13900000010", None),
        ("co_borrower_mobile", "139", None, "11-digit"),
        ("study_years", "5", 5, None),
        ("secret", "x", None, "Choose a field"),
    ],
)
def test_corrections_keep_the_old_value_in_the_audit_log(client, case, field, value, stored, message):
    response = act(client, case, "correct", field=field, value=value)
    if message:
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert not AuditEvent.select().where(AuditEvent.action == "application.corrected").exists()
        return
    assert response.status_code == 302
    application = Application.get()
    target = application.co_borrower if field.startswith("co_borrower") else application
    assert getattr(target, field.removeprefix("co_borrower_")) == stored
    details = json.loads(AuditEvent.get(AuditEvent.action == "application.corrected").details)
    assert details["field"] == field and details["new"] == stored and details["old"] != stored
    if field == "study_years":
        assert application.loan_term_years == 20


def accepted_certificate(client, case):
    act(client, case, "materials", materials=FIRST_LOAN_MATERIALS)
    act(client, case, "accept", contract_number="2026140623000001")
    return IssuedDocument.get()


def test_verification_by_number_or_id_number_and_a_neutral_answer_when_wrong(client, auth, case):
    certificate = accepted_certificate(client, case)
    auth.logout()
    page = client.get(
        "/verify/", query_string={"number": certificate.number, "code": certificate.verification_code}
    )
    assert "Valid certificate" in page.get_data(as_text=True)
    token = csrf_token(client, "/verify/")
    by_id = client.post(
        "/verify/",
        data={
            "number": case["student"].id_number,
            "code": certificate.verification_code,
            "csrf_token": token,
        },
    )
    assert "Valid certificate" in by_id.get_data(as_text=True)
    in_address = client.get(
        "/verify/", query_string={"number": case["student"].id_number, "code": certificate.verification_code}
    )
    assert in_address.status_code == 400 and "Valid certificate" not in in_address.get_data(as_text=True)
    wrong = client.get("/verify/", query_string={"number": certificate.number, "code": "AAAA-AAAA"})
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 200 and "No certificate matches" in text and "欧" not in text


def test_wrong_codes_are_throttled(client, auth, case):
    certificate = accepted_certificate(client, case)
    auth.logout()
    for attempt in "23456789AB":
        client.get("/verify/", query_string={"number": certificate.number, "code": f"AAAA-AAA{attempt}"})
    paused = client.get(
        "/verify/", query_string={"number": certificate.number, "code": certificate.verification_code}
    )
    assert paused.status_code == 429 and "Too many attempts" in paused.get_data(as_text=True)
    assert "Valid certificate" not in paused.get_data(as_text=True)


def test_a_revoked_certificate_says_so(client, auth, case):
    certificate = accepted_certificate(client, case)
    path = f"/desk/certificates/{certificate.id}/revoke"
    refused = client.post(
        path, data={"r-reason": "出具错误", "r-csrf_token": csrf_token(client, case["path"])}
    )
    assert refused.status_code == 403  # desk clerks do not revoke; leaders and admins do
    auth.logout()
    auth.login(make_user(case["centre"], role="leader").username, PASSWORD)
    empty = client.post(path, data={"r-reason": " ", "r-csrf_token": csrf_token(client, case["path"])})
    assert empty.status_code == 422
    assert (
        client.post(
            path, data={"r-reason": "贷款取消", "r-csrf_token": csrf_token(client, case["path"])}
        ).status_code
        == 302
    )
    auth.logout()
    page = client.get(
        "/verify/", query_string={"number": certificate.number, "code": certificate.verification_code}
    )
    assert "revoked" in page.get_data(as_text=True)


def test_incidents_are_logged_and_closed_with_a_follow_up(client, case):
    page = "/desk/incidents"
    refused = client.post(
        page, data={"kind": "crowding", "description": " ", "csrf_token": csrf_token(client, page)}
    )
    assert refused.status_code == 422 and "Describe what happened" in refused.get_data(as_text=True)
    assert (
        client.post(
            page,
            data={
                "kind": "cannot_return",
                "description": "学生在外地，当天无法返回",
                "csrf_token": csrf_token(client, page),
            },
        ).status_code
        == 302
    )
    incident = Incident.get()
    close = f"/desk/incidents/{incident.id}/close"
    assert (
        client.post(close, data={"follow_up": "", "csrf_token": csrf_token(client, page)}).status_code == 422
    )
    assert (
        client.post(
            close, data={"follow_up": "已改约下周一上午", "csrf_token": csrf_token(client, page)}
        ).status_code
        == 302
    )
    incident = Incident.get()
    assert incident.closed_at is not None and incident.closed_by_id == case["clerk"].id
    assert "已改约下周一上午" in client.get(page).get_data(as_text=True)


def test_the_admin_assigns_the_duty_leader(client, auth, case):
    assert client.get("/admin/duty").status_code == 403
    auth.logout()
    admin = make_user(case["centre"], role="admin")
    leader = make_user(case["centre"], role="leader", name="钱主任")
    other_centre_leader = make_user(make_centre(name="平鲁区中心", region_code="140603"), role="leader")
    auth.login(admin.username, PASSWORD)
    token = csrf_token(client, "/admin/duty")
    wrong = client.post(
        "/admin/duty", data={"day": "2026-07-20", "leader": other_centre_leader.id, "csrf_token": token}
    )
    assert wrong.status_code == 422
    assert (
        client.post(
            "/admin/duty", data={"day": "2026-07-20", "leader": leader.id, "csrf_token": token}
        ).status_code
        == 302
    )
    assert DutyAssignment.get().user_id == leader.id
    assert (
        client.post("/admin/duty", data={"day": "2026-07-20", "leader": "", "csrf_token": token}).status_code
        == 302
    )
    assert DutyAssignment.select().count() == 0


def test_acceptance_keeps_the_minutes_since_check_in(app, client, case):
    application = case["application"]
    with app.app_context():
        today = local_today()
    appointment = make_appointment(case["student"], application.season, today, application=application)
    Ticket.create(
        centre=case["centre"],
        day=today,
        stream="A",
        number=1,
        service="first_loan",
        appointment=appointment,
        student=case["student"],
        status="serving",
        issued_at=utcnow() - timedelta(minutes=25),
        queued_at=utcnow() - timedelta(minutes=25),
    )
    act(client, case, "materials", materials=FIRST_LOAN_MATERIALS)
    act(client, case, "accept", contract_number="2026140623000001")
    assert Application.get().desk_minutes == 25


def test_a_revoked_certificate_is_not_printed_again_until_a_leader_reissues_it(client, auth, case):
    certificate = accepted_certificate(client, case)
    auth.logout()
    auth.login(make_user(case["centre"], role="leader").username, PASSWORD)
    client.post(
        f"/desk/certificates/{certificate.id}/revoke",
        data={"r-reason": "出具错误", "r-csrf_token": csrf_token(client, case["path"])},
    )
    printed = client.get(f"/documents/certificate/{case['application'].id}.pdf")
    assert printed.status_code == 409 and "reissue" in printed.get_data(as_text=True)
    assert IssuedDocument.select().count() == 1
    reissue = f"/desk/applications/{case['application'].id}/reissue"
    assert client.post(reissue, data={"csrf_token": csrf_token(client, case["path"])}).status_code == 302
    new = IssuedDocument.get(IssuedDocument.revoked_at.is_null())
    assert new.number != certificate.number and new.verification_code != certificate.verification_code
    again = client.post(reissue, data={"csrf_token": csrf_token(client, case["path"])})
    assert again.status_code == 409 and IssuedDocument.select().count() == 2
    assert AuditEvent.get(AuditEvent.action == "certificate.reissued").actor_id is not None


def test_the_two_national_codes_follow_the_centres_patterns_and_are_unique(client, auth, case):
    centre = case["centre"]
    admin = make_user(centre, role="admin", username="boss")
    auth.logout()
    auth.login(admin.username, PASSWORD)
    client.set_cookie("lang", "en")
    token = csrf_token(client, "/admin/centre")
    refused = client.post(
        "/admin/centre",
        data={"csrf_token": token, "name": centre.name, "contract_pattern": "([", "receipt_code_pattern": ""},
    )
    assert refused.status_code == 422 and "not a valid pattern" in refused.get_data(as_text=True)
    saved = client.post(
        "/admin/centre",
        data={
            "csrf_token": token,
            "name": centre.name,
            "contract_pattern": r"HT\d{13}",
            "receipt_code_pattern": r"[A-Z0-9]{8}",
        },
    )
    assert saved.status_code == 302
    auth.logout()
    auth.login(case["clerk"].username, PASSWORD)
    materials = FIRST_LOAN_MATERIALS
    wrong = act(
        client,
        case,
        "accept",
        materials=materials,
        contract_number="2026140623000001",
        receipt_code="K7Q2M9XP",
    )
    assert wrong.status_code == 422 and "does not look like one of the national system" in wrong.get_data(
        as_text=True
    )
    short = act(
        client, case, "accept", materials=materials, contract_number="HT2026140623001", receipt_code="K7Q"
    )
    assert short.status_code == 422 and "receipt verification code" in short.get_data(as_text=True)
    other = Application.create(**{**model_to_dict(case["application"], recurse=False), "id": None, "kind": "renewal",
                                  "status": "accepted", "contract_number": "HT2026140623999", "receipt_code": "K7Q2M9XP"})  # fmt: skip
    taken = act(
        client,
        case,
        "accept",
        materials=materials,
        contract_number="HT2026140623001",
        receipt_code="k7q2m9xp",
    )
    assert taken.status_code == 422 and "already recorded" in taken.get_data(as_text=True)
    other.delete_instance()
    assert (
        act(
            client,
            case,
            "accept",
            materials=materials,
            contract_number="HT2026140623001",
            receipt_code="K7Q2M9XP",
        ).status_code
        == 302
    )
    application = Application.get_by_id(case["application"].id)
    assert (application.contract_number, application.receipt_code) == ("HT2026140623001", "K7Q2M9XP")
    text = pdf_text(client.get(f"/documents/certificate/{application.id}.pdf").data)
    assert "HT2026140623001" in text and "K7Q2M9XP" in text


def test_a_pattern_that_would_backtrack_costs_no_more_than_any_other(app, client, auth, case):
    """([A-Za-z0-9]+-?)+ doubles its time per character in a backtracking engine (0.9 s at 24);
    RE2 answers at once, and a back-reference RE2 cannot run is refused when saved."""
    from webapp.services.national import national_codes

    centre = case["centre"]
    centre.contract_pattern = r"([A-Za-z0-9]+-?)+"
    centre.save()
    with app.test_request_context():
        assert national_codes.format_error(centre, "contract_number", "HT-2026-0001") is None
        assert national_codes.format_error(centre, "contract_number", "A" * 60 + "!") is not None
        assert national_codes.format_error(centre, "contract_number", "A" * 65) is not None  # over the cap
        assert national_codes.pattern_error(r"(a)\1") is not None
        assert national_codes.pattern_error("a" * 201) is not None
        centre.contract_pattern = r"(HT)\1"  # saved before: the default applies until it is fixed
        assert national_codes.format_error(centre, "contract_number", "HT-2026-0001") is None
