"""The policy as it stands: each year's loan is its own contract, the co-borrower signs a first
loan in person, a borrower is nobody's co-borrower, one loan type a year, postgraduates as a
season setting, the ages as the centre's settings, the relief note and the printed words."""

import io
import json
from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from openpyxl import Workbook

from tests.admin.admin_helpers import season_data
from tests.documents_helpers import pdf_text
from tests.factories import (
    PASSWORD,
    make_accepted,
    make_application,
    make_centre,
    make_co_borrower,
    make_school,
    make_season,
    make_student,
    make_user,
    valid_id_number,
)
from tests.http_helpers import csrf_token
from tests.outreach_helpers import prereg
from webapp.clock import local_today
from webapp.db import database, migration_runner
from webapp.i18n import CATEGORY_LABELS
from webapp.models import Application, AuditEvent, OwedMaterial, PreRegistration
from webapp.services.casework import applications, borrowers, renewals
from webapp.services.casework.materials import MATERIALS
from webapp.services.desk import acceptance, contract_later
from webapp.services.national import national_lists, reconciliation
from webapp.vocabulary import Discrepancy, Service

TODAY = date.today()
YEAR = TODAY.year
FIRST_LOAN_MATERIALS = list(MATERIALS[Service.FIRST_LOAN])
COLUMNS = {"name": 0, "id_number": 1, "contract_number": 2, "receipt_code": 3, "amount": 4, "loan_type": 5}


def post(client, path, **data):
    data["csrf_token"] = csrf_token(client, path)
    return client.post(path, data=data)


@pytest.fixture
def season(app):
    centre = make_centre()
    return make_season(
        centre,
        year=YEAR,
        acceptance_start=TODAY - timedelta(days=30),
        acceptance_end=TODAY + timedelta(days=30),
        cap_undergraduate=20000,
        cap_postgraduate=25000,
    )


@pytest.fixture
def renewal(season):
    """A renewal approved online this season, after last season's loan with its own contract."""
    last = make_season(season.centre, year=YEAR - 1, is_current=False)
    student = make_student(season.centre, name="钱同学")
    parent = make_co_borrower(student)
    make_accepted(
        student,
        last,
        co_borrower=parent,
        contract_number="HT-LAST-0007",
        receipt_code="RLAST07",
        admission_year=YEAR - 1,
    )
    with database.atomic():
        application = renewals.start_renewal(student, season)
    application.status = "approved"
    application.save()
    return application


def contract_list(rows):
    book = Workbook()
    book.active.append(["姓名", "身份证号", "合同编号", "回执校验码", "金额", "贷款类型"])
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return ("list.xlsx", buffer.getvalue())


# --- each year's loan is its own contract --------------------------------------------------------


def test_a_renewal_has_no_contract_until_this_years_list_gives_it_one(app, season, renewal):
    with app.test_request_context():
        assert renewal.contract_number is None and renewal.receipt_code is None
        lines = reconciliation.compare(season).lines
        assert [line.discrepancy for line in lines] == [Discrepancy.NO_CONTRACT]
        admin = make_user(season.centre, role="admin")
        source = contract_list(
            [[renewal.student.name, renewal.student.id_number, "HT-2026-0100", "RC2026A", "12000", "续贷"]]
        )
        result = national_lists.import_list(season, "contracts", source, COLUMNS, admin)
        assert result.ok and result.matched == 1
        renewed = Application.get_by_id(renewal.id)
        assert (renewed.contract_number, renewed.receipt_code) == ("HT-2026-0100", "RC2026A")
        assert [line.discrepancy for line in reconciliation.compare(season).lines] == [Discrepancy.MATCHED]
        event = AuditEvent.get(AuditEvent.action == "renewal.contract_from_list")
        assert json.loads(event.details)["contract_number"] == "HT-2026-0100"


def test_a_first_loan_row_or_a_number_held_elsewhere_is_not_given_to_a_renewal(app, season, renewal):
    other = make_accepted(make_student(season.centre), season, contract_number="HT-2026-0200")
    admin = make_user(season.centre, role="admin")
    with app.test_request_context():
        first_loan_row = [
            renewal.student.name,
            renewal.student.id_number,
            "HT-2026-0300",
            "",
            "12000",
            "首贷",
        ]
        national_lists.import_list(season, "contracts", contract_list([first_loan_row]), COLUMNS, admin)
        assert Application.get_by_id(renewal.id).contract_number is None
        held = [renewal.student.name, renewal.student.id_number, other.contract_number, "", "12000", ""]
        national_lists.import_list(season, "contracts", contract_list([held]), COLUMNS, admin)
        assert Application.get_by_id(renewal.id).contract_number is None
        kinds = {line.discrepancy for line in reconciliation.compare(season).lines}
        assert Discrepancy.NO_CONTRACT in kinds


def test_the_student_reads_that_the_renewal_has_no_contract_yet(client, auth, season, renewal):
    auth.login(renewal.student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    page = client.get("/me/renewal").get_data(as_text=True)
    assert "None yet: each year's loan has its own contract" in page
    assert "HT-LAST-0007" in page  # last year's, named as such
    renewal.contract_number = "HT-2026-0100"
    renewal.save()
    assert "HT-2026-0100" in client.get("/me/renewal").get_data(as_text=True)


def test_the_migration_takes_a_copied_number_off_a_renewal(app, season, renewal):
    Application.update(contract_number="HT-LAST-0007").where(Application.id == renewal.id).execute()
    own = make_accepted(make_student(season.centre), season, contract_number="HT-2026-0001")
    with app.app_context(), database.connection_context():
        runner = migration_runner()
        name = "0024_policy_as_it_stands"
        assert runner.down(name)[-1] == name  # and the later ones first
        assert name in runner.up()
        numbers = dict(Application.select(Application.id, Application.contract_number).tuples())
        assert numbers[renewal.id] is None and numbers[own.id] == "HT-2026-0001"
        event = AuditEvent.get(AuditEvent.action == "renewal.copied_contract_cleared")
        assert (event.object_id, json.loads(event.details)) == (
            str(renewal.id),
            {"contract_number": ["HT-LAST-0007", None]},
        )
        assert runner.down(name)[-1] == name
        restored = Application.select(Application.contract_number).where(Application.id == renewal.id)
        assert restored.scalar() == "HT-LAST-0007"
        runner.up()


# --- the co-borrower signs a first loan in person ----------------------------------------------


def at_the_desk(season, materials):
    student = make_student(season.centre)
    return make_application(
        student,
        season,
        co_borrower=make_co_borrower(student),
        hardship_required=False,
        status="submitted",
        materials_checked=",".join(materials),
    )


def test_a_first_loan_is_not_accepted_without_the_co_borrower_present(app, season):
    clerk = make_user(season.centre, role="desk")
    absent = at_the_desk(season, [key for key in FIRST_LOAN_MATERIALS if key != "co_borrower_present"])
    with app.test_request_context():
        due = local_today() + timedelta(days=7)
        with pytest.raises(acceptance.AcceptanceErrors) as info:
            acceptance.accept(
                absent, "HT-0001-AB", clerk, papers_follow=True, papers_due=due, receipt_code="RC01"
            )
        assert "共同借款人本人" in str(info.value.errors["materials"])
    assert not OwedMaterial.select().exists()
    assert Application.get_by_id(absent.id).status == "submitted"
    with app.test_request_context():
        acceptance.tick_materials(absent, FIRST_LOAN_MATERIALS, clerk)
        acceptance.accept(Application.get_by_id(absent.id), "HT-0001-AB", clerk, receipt_code="RC01")
    assert Application.get_by_id(absent.id).status == "accepted"


def test_papers_now_the_co_borrower_comes_to_sign_at_the_return_visit(app, season):
    clerk = make_user(season.centre, role="desk")
    papers = [key for key in FIRST_LOAN_MATERIALS if key != "co_borrower_present"]
    application = at_the_desk(season, papers)
    with app.test_request_context():
        day = local_today() + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        contract_later.defer_contract(application, day, "morning", clerk)
    assert Application.get_by_id(application.id).papers_received_at is not None


def test_at_a_renewal_either_may_come(app, season):
    assert MATERIALS[Service.RENEWAL].keys() == {"attendee_id", "signed_form"}


# --- a borrower is nobody's co-borrower --------------------------------------------------------


@pytest.fixture
def a_borrower(season):
    """A student with a loan accepted this season, and the number of one whose loan ended."""
    borrower = make_student(season.centre, id_number=valid_id_number(birth=date(1990, 3, 4)))
    make_accepted(borrower, season, contract_number="HT-B-0001")
    long_ago = make_season(season.centre, year=YEAR - 30, is_current=False)
    repaid = make_student(season.centre, id_number=valid_id_number(birth=date(1970, 3, 4)))
    make_accepted(repaid, long_ago, contract_number="HT-OLD-1", loan_term_years=20)
    return borrower, repaid


def test_the_student_cannot_name_a_borrower_as_co_borrower(client, auth, season, a_borrower):
    borrower, repaid = a_borrower
    student = make_student(season.centre, name="孙同学")
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    client.get("/me/application")
    values = dict(name="李四", relation="relative", mobile="13900000123")
    refused = post(client, "/me/application/co_borrower", id_number=borrower.id_number, **values)
    assert refused.status_code == 422
    assert "has a student loan of their own" in refused.get_data(as_text=True)
    assert Application.get().co_borrower is None
    # a loan whose term ended long ago stands in nobody's way
    assert (
        post(client, "/me/application/co_borrower", id_number=repaid.id_number, **values).status_code == 302
    )


def test_the_desk_and_acceptance_ask_the_same(app, client, auth, season, a_borrower):
    borrower, _repaid = a_borrower
    clerk = make_user(season.centre, role="desk")
    application = at_the_desk(season, FIRST_LOAN_MATERIALS)
    application.status = "draft"
    application.save()
    auth.login(clerk.username, PASSWORD)
    client.set_cookie("lang", "en")
    path = f"/desk/applications/{application.id}/steps/co_borrower"
    refused = post(
        client, path, name="李四", relation="relative", id_number=borrower.id_number, mobile="13900000124"
    )
    assert refused.status_code == 422 and "has a student loan of their own" in refused.get_data(as_text=True)
    # the co-borrower began to borrow after being named: acceptance refuses
    Application.update(status="submitted").where(Application.id == application.id).execute()
    guardian = application.co_borrower
    guardian.id_number = borrower.id_number
    guardian.save()
    with app.test_request_context(), pytest.raises(acceptance.AcceptanceErrors) as info:
        acceptance.accept(Application.get_by_id(application.id), "HT-0009-AB", clerk, receipt_code="RC09")
    assert "co_borrower" in info.value.errors


def test_a_borrower_in_another_centre_counts_too(app, season, a_borrower):
    borrower, _repaid = a_borrower
    with app.test_request_context():
        assert borrowers.borrowers_among([borrower.id_number, valid_id_number()], YEAR) == {
            borrower.id_number
        }
        assert borrowers.borrowers_among([borrower.id_number], YEAR + 30) == set()  # term ended by then
    other_centre = make_centre(name="平鲁区学生资助管理中心", region_code="140603")
    other_season = make_season(other_centre, year=YEAR)
    student = make_student(other_centre)
    application = make_application(student, other_season)
    with app.test_request_context(), pytest.raises(applications.StepErrors) as info:
        applications.save_co_borrower(application, "李四", "relative", borrower.id_number, "13900000125")
    assert "id_number" in info.value.errors


def test_offline_capture_flags_a_guardian_who_borrows(client, auth, season, a_borrower):
    borrower, _repaid = a_borrower
    school = make_school(season.centre)
    make_user(season.centre, role="outreach", username="sun")
    auth.login("sun", PASSWORD)
    client.set_cookie("lang", "en")
    records = [
        prereg(school, name="周同学", guardian_name="周父", guardian_id_number=borrower.id_number),
        prereg(
            school,
            name="吴同学",
            guardian_name="吴父",
            guardian_id_number=valid_id_number(birth=date(1975, 1, 1)),
        ),
    ]
    response = client.post("/api/sync", json={"device_id": "device-A", "records": records})
    flagged, clear = response.get_json()["results"]
    assert flagged["status"] == "invalid"
    assert "has a student loan of their own" in flagged["errors"]["guardian_id_number"]
    assert clear["status"] == "accepted"
    assert PreRegistration.select().count() == 2  # the flagged one kept, to be corrected


# --- one loan a year, postgraduates, the words ------------------------------------------------


@pytest.fixture
def applying(client, auth, season):
    student = make_student(season.centre, name="孙同学")
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    client.get("/me/application")
    study = dict(
        university="山西大学",
        level="undergraduate",
        study_years="4",
        admission_year=str(YEAR),
        tuition_fee="5000",
        accommodation_fee="1200",
    )
    assert post(client, "/me/application/study", **study).status_code == 302
    return student


def test_the_loan_step_asks_for_the_one_loan_declaration(client, applying):
    refused = post(client, "/me/application/loan", amount="12000")
    assert refused.status_code == 422
    assert "Tick the declaration" in refused.get_data(as_text=True)
    assert Application.get().amount_requested is None
    assert post(client, "/me/application/loan", amount="12000", one_loan="y").status_code == 302
    application = Application.get()
    assert application.one_loan_declared and application.amount_requested == 12000


def test_a_renewal_declares_it_too(app, season, renewal):
    renewal.status = "draft"
    renewal.save()
    with app.test_request_context(), pytest.raises(applications.StepErrors) as info:
        renewals.declare(renewal, 2, "on_track", 12000)
    assert "one_loan" in info.value.errors
    with app.test_request_context():
        renewals.declare(renewal, 2, "on_track", 12000, one_loan=True)
    assert Application.get_by_id(renewal.id).one_loan_declared


def test_postgraduates_are_refused_where_the_season_sends_them_elsewhere(client, applying, season):
    study = dict(university="山西大学", level="postgraduate", study_years="3", admission_year=str(YEAR))
    study.update(tuition_fee="8000", accommodation_fee="1200")
    assert post(client, "/me/application/study", **study).status_code == 302  # on by default
    season.postgraduates_here = False
    season.save()
    page = client.get("/me/application/study").get_data(as_text=True)
    assert "Postgraduates borrow through their university" in page
    assert "secondary vocational schools (中职) cannot borrow" in page
    refused = post(client, "/me/application/study", **study)
    assert refused.status_code == 422 and "campus-based loan" in refused.get_data(as_text=True)
    assert "Postgraduates borrow through their university" in client.get("/policy").get_data(as_text=True)


def test_the_season_page_keeps_the_ages_as_the_centres_and_the_relief_note(client, auth, season):
    admin = make_user(season.centre, role="admin")
    auth.login(admin.username, PASSWORD)
    client.set_cookie("lang", "en")
    path = f"/admin/seasons/{season.id}"
    page = client.get(path).get_data(as_text=True)
    assert "Who may borrow: the centre's settings" in page and "not national rules" in page
    form = season_data(
        name=season.name,
        year=str(season.year),
        acceptance_start=season.acceptance_start.isoformat(),
        acceptance_end=season.acceptance_end.isoformat(),
        contract_change_start="",
        contract_change_end="",
        relief_note="2026年毕业生当年免除利息，本金可申请延期一年偿还。",
    )
    assert post(client, path, **form).status_code == 302
    saved = type(season).get_by_id(season.id)
    assert saved.relief_note.startswith("2026年毕业生") and not saved.postgraduates_here  # unticked
    assert "本金可申请延期一年偿还" in client.get("/policy").get_data(as_text=True)
    assert post(client, path, **{**form, "relief_note": "长" * 2001}).status_code == 422


def test_the_relief_note_reaches_renewing_students(client, auth, season, renewal):
    season.relief_note = "2026年毕业生当年免除利息。"
    season.save()
    auth.login(renewal.student.id_number, PASSWORD)
    assert "2026年毕业生当年免除利息" in client.get("/me/renewal").get_data(as_text=True)


def test_the_printed_forms_carry_the_rate_the_declaration_and_the_two_labels(client, auth, season):
    student = make_student(season.centre)
    application = make_application(
        student,
        season,
        co_borrower=make_co_borrower(student),
        hukou_place="山西省朔州市右玉县",
        status="submitted",
    )
    clerk = make_user(season.centre, role="desk")
    auth.login(clerk.username, PASSWORD)
    text = pdf_text(client.get(f"/documents/application-form/{application.id}.pdf").data)
    squeezed = "".join(text.split())
    assert "5年期以上LPR减70个基点" in squeezed and "over-5-yearLPRminus70basispoints" in squeezed
    assert "本学年只申请生源地信用助学贷款" in squeezed
    assert "户籍" in squeezed and "山西省朔州市右玉县" in squeezed
    hardship = pdf_text(client.get(f"/documents/hardship-form/{application.id}.pdf").data)
    assert "认定等级" in "".join(hardship.split())
    assert "脱贫家庭(享受政策)" in "".join(hardship.split())


def test_a_record_of_2020_keeps_the_words_it_was_made_under(client, auth, season):
    old = make_season(
        season.centre, year=2020, is_current=False, cap_undergraduate=8000, cap_postgraduate=12000
    )
    student = make_student(season.centre)
    application = make_application(student, old, amount_requested=8000, special_groups="registered_poverty")
    clerk = make_user(season.centre, role="desk")
    auth.login(clerk.username, PASSWORD)
    hardship = "".join(pdf_text(client.get(f"/documents/hardship-form/{application.id}.pdf").data).split())
    assert "建档立卡贫困家庭" in hardship and "脱贫家庭(享受政策)" not in hardship


def test_category_one_uses_todays_words(app):
    with app.test_request_context(), force_locale("zh_Hans"):
        label = str(CATEGORY_LABELS[1])
    assert "脱贫家庭(享受政策)学生" in label and "防止返贫监测帮扶对象" in label
