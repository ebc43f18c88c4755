"""The loan rules as the policy states them, on every path: ages and relations, the cap, the
term, renewal and new stages, the centre chosen at sign-up, contract numbers, papers to follow
and papers now with the contract later."""

from datetime import date, timedelta

import pytest
from peewee import IntegrityError

from tests.documents_helpers import pdf_text
from tests.factories import (
    PASSWORD,
    make_application,
    make_centre,
    make_co_borrower,
    make_school,
    make_season,
    make_student,
    make_user,
    next_weekday,
    valid_id_number,
)
from tests.http_helpers import csrf_token, sign_up
from tests.outreach_helpers import prereg
from webapp.clock import local_today
from webapp.db import database
from webapp.models import (
    Application,
    Appointment,
    AuditEvent,
    OwedMaterial,
    PreRegistration,
    Student,
    Ticket,
    User,
)
from webapp.services.booking import quotas
from webapp.services.casework import applications, loan_rules, renewals
from webapp.services.casework.materials import MATERIALS
from webapp.services.desk import acceptance, contract_later, tickets
from webapp.vocabulary import Service

TODAY = date.today()
YEAR = TODAY.year
ALL_MATERIALS = list(MATERIALS[Service.FIRST_LOAN])
BUT_THE_STUDENT_CARD = [key for key in ALL_MATERIALS if key != "admission"]


@pytest.fixture
def ctx(app):
    """A request context for calling the services directly (not with the test client)."""
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        yield


def post(client, path, page=None, **data):
    data["csrf_token"] = csrf_token(client, page or path)
    return client.post(path, data=data)


def born(years_ago, days=0):
    """A birth date that many whole years before today (days later makes the person younger)."""
    try:
        day = TODAY.replace(year=TODAY.year - years_ago)
    except ValueError:  # 29 February
        day = TODAY.replace(year=TODAY.year - years_ago, day=28)
    return day + timedelta(days=days)


@pytest.fixture
def season(app):
    """The current season, with the caps in force from 2024."""
    centre = make_centre()
    return make_season(
        centre,
        year=YEAR,
        acceptance_start=TODAY - timedelta(days=30),
        acceptance_end=TODAY + timedelta(days=60),
        cap_undergraduate=20000,
        cap_postgraduate=25000,
    )


def at_the_desk(season, region="140623", age=18, materials=ALL_MATERIALS, student_fields=None, **fields):
    """A submitted first loan of a student of that age with a parent as co-borrower, the given
    papers ticked at the window."""
    student = make_student(
        season.centre, id_number=valid_id_number(region=region, birth=born(age)), **(student_fields or {})
    )
    values = dict(
        co_borrower=make_co_borrower(student),
        hardship_required=False,
        status="submitted",
        materials_checked=",".join(materials),
    )
    return make_application(student, season, **{**values, **fields})


@pytest.fixture
def signed_in(client, auth, season):
    """A student of 18 signed in, pages in English."""
    student = make_student(season.centre, name="孙同学", id_number=valid_id_number(birth=born(18)))
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    return student


# --- ages and relations -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "student_age, relation, co_age, field",
    [
        (18, "father", 50, None),
        (17, "guardian", 40, None),  # a legal guardian stands beside a minor
        (17, "relative", 40, "relation"),  # under 18: a parent or legal guardian only
        (19, "relative", 30, None),
        (19, "relative", 21, "id_number"),  # not a parent: 22 to 60
        (19, "other", 61, "id_number"),
        (19, "mother", 17, "id_number"),  # always an adult
        (19, "mother", 65, None),  # a parent may be older than 60
    ],
)
def test_co_borrower_age_and_relation(ctx, season, student_age, relation, co_age, field):
    student = make_student(season.centre, id_number=valid_id_number(birth=born(student_age)))
    application = applications.start(student, season)
    number = valid_id_number(birth=born(co_age, days=-3), female=relation == "mother")
    if field is None:
        applications.save_co_borrower(application, "王建国", relation, number, "13912345678")
        assert Application.get_by_id(application.id).co_borrower.relation == relation
        return
    with pytest.raises(applications.StepErrors) as info:
        applications.save_co_borrower(application, "王建国", relation, number, "13912345678")
    assert set(info.value.errors) == {field}
    assert Application.get_by_id(application.id).co_borrower is None


def test_the_season_sets_the_ages(ctx, season):
    season.other_co_borrower_min_age, season.other_co_borrower_max_age = 25, 55
    season.save()
    student = make_student(season.centre, id_number=valid_id_number(birth=born(20)))
    application = applications.start(student, season)
    with pytest.raises(applications.StepErrors, match="25"):
        applications.save_co_borrower(
            application, "王建国", "relative", valid_id_number(birth=born(24)), "13912345678"
        )


def test_legal_guardian_is_offered_wherever_relations_are_chosen(client, signed_in):
    assert 'value="guardian"' in client.get("/me/application/co_borrower").get_data(as_text=True)


@pytest.mark.parametrize("age, ok", [(14, False), (15, True), (45, True), (46, False)])
def test_a_first_loan_is_for_students_aged_15_to_45(ctx, season, age, ok):
    student = make_student(season.centre, id_number=valid_id_number(birth=born(age, days=-1)))
    application = make_application(
        student, season, co_borrower=make_co_borrower(student), hardship_required=False, admission_year=YEAR
    )
    errors = applications.policy_errors(application, day=TODAY)
    assert ("student" not in errors) is ok


def test_pre_registration_of_a_parent_number_as_student_is_invalid(client, auth, season):
    school = make_school(season.centre)
    outreach = make_user(season.centre, role="outreach")
    auth.login(outreach.username, PASSWORD)
    client.set_cookie("lang", "en")
    good = prereg(
        school,
        guardian_relation="guardian",
        guardian_id_number=valid_id_number(region="140623", birth=date(1976, 5, 1)),
    )
    parent_as_student = prereg(school, id_number=valid_id_number(birth=date(1976, 5, 1)))
    answer = client.post("/api/sync", json={"device_id": "phone-1", "records": [good, parent_as_student]})
    results = {r["uuid"]: r for r in answer.get_json()["results"]}
    assert results[good["uuid"]]["status"] == "accepted"
    assert results[parent_as_student["uuid"]]["status"] == "invalid"
    assert "aged 15 to 45" in results[parent_as_student["uuid"]]["errors"]["id_number"]
    assert PreRegistration.get(PreRegistration.uuid == good["uuid"]).guardian_relation == "guardian"


# --- the cap ------------------------------------------------------------------------------------


def _postgraduate(client, signed_in):
    post(
        client,
        "/me/application/co_borrower",
        name="孙建国",
        relation="father",
        id_number=valid_id_number(birth=date(1976, 5, 1)),
        mobile="13912345678",
    )
    study = {
        "university": "山西大学",
        "department": "数学",
        "major": "统计学",
        "level": "postgraduate",
        "study_years": "3",
        "admission_year": str(YEAR),
        "tuition_fee": "8000",
        "accommodation_fee": "1200",
    }
    assert post(client, "/me/application/study", **study).status_code == 302
    assert post(client, "/me/application/loan", one_loan="y", amount="25000").status_code == 302
    return study


def test_changing_the_level_cannot_keep_an_amount_above_the_new_cap(client, signed_in):
    study = _postgraduate(client, signed_in)
    refused = post(
        client, "/me/application/study", **{**study, "level": "undergraduate", "university": "太原理工大学"}
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "25000" in html and "20000" in html
    application = Application.get()
    assert (application.level, application.university) == ("postgraduate", "山西大学")  # nothing kept


def test_the_desk_cannot_lower_the_level_under_the_amount(client, auth, season, signed_in):
    _postgraduate(client, signed_in)
    application = Application.get()
    application.status = "submitted"
    application.save()
    clerk = make_user(season.centre, role="desk")
    auth.logout()
    auth.login(clerk.username, PASSWORD)
    path = f"/desk/applications/{application.id}"
    refused = client.post(
        path,
        data={
            "a-csrf_token": csrf_token(client, path),
            "action": "save",
            "a-field": "level",
            "a-value": "undergraduate",
        },
    )
    assert refused.status_code == 422 and "20000" in refused.get_data(as_text=True)
    assert Application.get().level == "postgraduate"


def test_submit_and_acceptance_check_the_cap_again(ctx, season):
    application = at_the_desk(season, amount_requested=26000)
    clerk = make_user(season.centre, role="desk")
    with pytest.raises(acceptance.AcceptanceErrors) as info:
        acceptance.accept(application, "HT2026000001", clerk, receipt_code="RC000001")
    assert "amount_requested" in info.value.errors
    assert Application.get_by_id(application.id).status == "submitted"
    application.status = "draft"
    application.save()
    with pytest.raises(applications.StepErrors):
        applications.submit(application)


# --- the term -----------------------------------------------------------------------------------


@pytest.mark.parametrize("admitted, years, term", [(0, 4, 19), (1, 4, 18), (3, 4, 16), (0, 8, 22)])
def test_the_term_is_the_years_left_plus_15_at_most_22(ctx, season, admitted, years, term):
    student = make_student(season.centre, id_number=valid_id_number(birth=born(19)))
    application = applications.start(student, season)
    applications.save_study(
        application, "山西大学", "", "", "undergraduate", years, YEAR - admitted, 5000, 1200
    )
    assert Application.get_by_id(application.id).loan_term_years == term


def test_a_finished_course_is_refused(ctx, season):
    student = make_student(season.centre, id_number=valid_id_number(birth=born(22)))
    application = applications.start(student, season)
    with pytest.raises(applications.StepErrors) as info:
        applications.save_study(application, "山西大学", "", "", "undergraduate", 4, YEAR - 4, 5000, 1200)
    assert "admission_year" in info.value.errors


def test_the_student_sees_and_prints_the_term(client, auth, signed_in):
    _postgraduate(client, signed_in)
    assert "18 years" in client.get("/me/application").get_data(as_text=True)  # 3 + 15
    application = Application.get()
    clerk = make_user(application.centre, role="desk")
    auth.logout()
    auth.login(clerk.username, PASSWORD)
    pdf = client.get(f"/documents/application-form/{application.id}.pdf")
    assert pdf.status_code == 200 and "18" in pdf_text(pdf.data)


# --- renewal and new stages -----------------------------------------------------------------------


@pytest.fixture
def borrowed_before(season):
    """A student who borrowed in an earlier season for a 4-year course."""

    def make(admitted):
        last = make_season(season.centre, year=admitted, is_current=False)
        student = make_student(season.centre, id_number=valid_id_number(birth=born(22)))
        make_application(
            student,
            last,
            status="accepted",
            co_borrower=make_co_borrower(student),
            admission_year=admitted,
            study_years=4,
            contract_number=f"HT{admitted}0001",
            hardship_required=False,
        )
        return student

    return make


def test_renewal_is_refused_once_the_study_period_has_ended(ctx, season, borrowed_before):
    ended = borrowed_before(YEAR - 4)
    with pytest.raises(renewals.RenewalError, match="ended"):
        renewals.start_renewal(ended, season)
    running = borrowed_before(YEAR - 2)
    renewal = renewals.start_renewal(running, season)
    assert renewal.year_of_study == 3 and renewal.loan_term_years == 17  # 2 years left + 15


def test_a_new_stage_starts_a_first_loan_and_the_desk_sees_both(client, auth, season, borrowed_before):
    student = borrowed_before(YEAR - 4)
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    assert "new stage" in client.get("/me/").get_data(as_text=True)
    assert client.get("/me/application").headers["Location"].endswith("/me/application/new-stage")
    assert post(client, "/me/application/new-stage", new_stage="nonsense").status_code == 422
    assert post(client, "/me/application/new-stage", new_stage="bachelor_to_master").status_code == 302
    first = Application.get((Application.season == season) & (Application.kind == "first_loan"))
    assert first.new_stage == "bachelor_to_master" and first.status == "draft"
    assert first.level == "postgraduate" and season.cap_for(first.level) == 25000  # a master's: 研究生
    assert client.get("/me/application").status_code == 200
    clerk = make_user(season.centre, role="desk")
    auth.logout()
    auth.login(clerk.username, PASSWORD)
    page = client.get(f"/desk/applications/{first.id}").get_data(as_text=True)
    assert "other loans" in page and f"HT{YEAR - 4}0001" in page


def test_a_renewing_student_may_choose_a_new_stage_instead(ctx, season, borrowed_before):
    student = borrowed_before(YEAR - 1)
    with pytest.raises(applications.StepErrors):
        applications.start(student, season)
    started = applications.start(student, season, "associate_to_bachelor")
    assert (started.kind, started.level) == ("first_loan", "undergraduate")


# --- the centre of the household -------------------------------------------------------------------


def test_sign_up_lets_a_student_choose_the_centre(client, season):
    other = make_centre(name="深圳市南山区学生资助管理中心", region_code="440305")
    client.set_cookie("lang", "en")
    number = valid_id_number(region="510107", birth=born(18))  # issued in Chengdu
    fields = dict(
        id_number=number,
        name="李同学",
        mobile="13811112222",
        password="a-long-secret",
        confirm="a-long-secret",
    )
    refused = post(client, "/signup", **fields)
    assert refused.status_code == 422 and "household is registered" in refused.get_data(as_text=True)
    assert sign_up(client, centre=str(other.id), **fields).status_code == 302
    student = Student.get(Student.id_number_index == number)
    assert student.centre_id == other.id and student.household_to_check
    assert User.get(User.student == student).centre_id == other.id


def test_the_desk_checks_the_household_register(ctx, season):
    application = at_the_desk(season, region="510107", student_fields={"household_to_check": True})
    student = application.student
    acceptance.accept(
        application, "HT-2026-0001", make_user(season.centre, role="desk"), receipt_code="RC60001"
    )
    assert not Student.get_by_id(student.id).household_to_check
    assert AuditEvent.select().where(AuditEvent.action == "student.household_checked").exists()


# --- contract numbers ----------------------------------------------------------------------------


def test_a_contract_number_is_unique_in_a_season(client, auth, season):
    apps = [at_the_desk(season) for _ in range(2)]
    clerk = make_user(season.centre, role="desk")
    auth.login(clerk.username, PASSWORD)
    client.set_cookie("lang", "en")
    for n, application in enumerate(apps):
        path = f"/desk/applications/{application.id}"
        response = client.post(
            path,
            data={
                "a-csrf_token": csrf_token(client, path),
                "action": "accept",
                "a-materials": application.materials_checked.split(","),  # as the page sends them
                "a-contract_number": "HT2026140623001",
                "a-receipt_code": f"RC{n}0001",
            },
        )
        assert response.status_code == (302 if n == 0 else 422)
    assert "already recorded" in response.get_data(as_text=True)
    assert Application.get_by_id(apps[1].id).status == "submitted"
    with pytest.raises(IntegrityError), database.atomic():
        Application.update(contract_number="HT2026140623001").where(Application.id == apps[1].id).execute()


# --- papers to follow ------------------------------------------------------------------------------


@pytest.fixture
def at_the_window(season):
    return at_the_desk(season, materials=BUT_THE_STUDENT_CARD), make_user(season.centre, role="desk")


def test_accept_with_a_paper_to_follow(app, client, auth, season, at_the_window):
    application, clerk = at_the_window
    with app.test_request_context():
        with pytest.raises(acceptance.AcceptanceErrors):
            acceptance.accept(
                application, "HT-0001-AB", clerk, receipt_code="RC001AB"
            )  # not without saying it follows
        with pytest.raises(acceptance.AcceptanceErrors, match="papers_due"):
            acceptance.accept(
                application, "HT-0001-AB", clerk, papers_follow=True, papers_due=None, receipt_code="RC0001AB"
            )
        due = local_today() + timedelta(days=7)
        acceptance.accept(
            application, "HT-0001-AB", clerk, papers_follow=True, papers_due=due, receipt_code="RC0001AB"
        )
    owed = OwedMaterial.get()
    assert (owed.material, owed.due_on, owed.received_at) == ("admission", due, None)
    auth.login(application.student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    assert "online student status report) · due" in client.get("/me/").get_data(as_text=True)
    OwedMaterial.update(due_on=due - timedelta(days=8)).execute()
    leader = make_user(season.centre, role="leader")
    auth.logout()
    auth.login(leader.username, PASSWORD)
    assert "overdue: 1" in client.get("/staff/leader").get_data(as_text=True)
    assert "Overdue" in client.get("/desk/owed-papers").get_data(as_text=True)
    assert post(client, f"/desk/owed-papers/{owed.id}/received", "/desk/owed-papers").status_code == 302
    assert OwedMaterial.get().received_by_id == leader.id
    assert "No papers are owed" in client.get("/desk/owed-papers").get_data(as_text=True)


def test_the_id_card_never_follows_and_the_season_can_forbid_it(ctx, season, at_the_window):
    application, clerk = at_the_window
    application.materials_checked = ",".join(key for key in ALL_MATERIALS if key != "id_card")
    application.save()
    due = local_today() + timedelta(days=7)
    with pytest.raises(acceptance.AcceptanceErrors, match="materials"):
        acceptance.accept(
            application, "HT-0002-AB", clerk, papers_follow=True, papers_due=due, receipt_code="RC0002AB"
        )
    application.materials_checked = ",".join(BUT_THE_STUDENT_CARD)
    application.save()
    season.papers_to_follow = False
    season.save()
    with pytest.raises(acceptance.AcceptanceErrors):
        acceptance.accept(
            Application.get_by_id(application.id), "HT-0002-AB", clerk, papers_follow=True, papers_due=due
        )
    assert Application.get_by_id(application.id).status == "submitted"


# --- papers now, contract later -------------------------------------------------------------------


def test_papers_now_contract_later_takes_no_second_place(app, client, auth, season):
    application = at_the_desk(season)
    student = application.student
    with app.app_context():
        today = local_today()
    today_booking = Appointment.create(
        centre=season.centre,
        season=season,
        student=student,
        application=application,
        service="first_loan",
        day=today,
        half_day="morning",
        code="TODAY1",
        status="checked_in",
    )
    clerk = make_user(season.centre, role="desk")
    with app.test_request_context():
        day = next_weekday(local_today() + timedelta(days=3), 1)
        with pytest.raises(contract_later.ContractLaterError):
            contract_later.defer_contract(application, local_today(), "morning", clerk)
        visit = contract_later.defer_contract(application, day, "afternoon", clerk)
        assert visit.return_visit and visit.status == "booked"
        assert Appointment.get_by_id(today_booking.id).status == "done"
        assert quotas.taken(season, "first_loan", day, "afternoon") == 0
        assert Application.get_by_id(application.id).papers_received_at is not None
        ticket = tickets.issue_ticket(visit, day)
        assert ticket.green_channel
    auth.login(clerk.username, PASSWORD)
    client.set_cookie("lang", "en")
    assert "Papers received, contract later" in client.get("/desk/").get_data(as_text=True)
    Ticket.delete().execute()
    Appointment.update(day=today).where(Appointment.id == visit.id).execute()
    assert "Back to sign the contract" in client.get("/desk/").get_data(as_text=True)


def test_policy_defaults_name_their_source():
    assert loan_rules.policy_defaults(2023).cap_undergraduate == 16000
    assert loan_rules.policy_defaults(2024).cap_postgraduate == 25000
    assert loan_rules.policy_defaults(2031).cap_undergraduate == 20000
    assert all(row.source for row in loan_rules.POLICY_TABLE)
