"""Two county centres on one deployment: every route of the app (read from app.url_map, so a new
route is covered by itself), walked by each role of centre 2 with centre 1's ids, GET and POST,
shows nothing of centre 1 and changes nothing of it. And the sync path keeps a record of a
person known in centre 1 inside centre 2, flagged, without linking or showing centre 1's data."""

import io
import json
import re
from datetime import timedelta

import pytest
from playhouse.shortcuts import model_to_dict

from tests.factories import (
    PASSWORD,
    make_accepted,
    make_application,
    make_appointment,
    make_centre,
    make_co_borrower,
    make_school,
    make_season,
    make_student,
    make_user,
    valid_id_number,
)
from tests.http_helpers import csrf_token, rule_arguments
from tests.outreach_helpers import prereg
from webapp.clock import local_today
from webapp.models import (
    ALL_MODELS,
    AuditEvent,
    Centre,
    ClosedDay,
    FamilyMember,
    Guardian,
    Incident,
    LoginThrottle,
    Message,
    OwedMaterial,
    PendingUpload,
    PreRegistration,
    PrintedDocument,
    RosterEntry,
    School,
    Season,
    ServiceQuota,
    SignInSession,
    Ticket,
    User,
    utcnow,
)
from webapp.services.booking import quotas

# Names of centre 1's people and school (a centre's own name is public: the policy page lists it).
CENTRE_1_MARKERS = ("甲同学", "甲县第一中学", "甲管理员", "甲窗口", "甲外联", "甲家长")
ROLES = ("admin", "leader", "outreach", "desk", "student")
# Plausible values for every field name a form of the app has, so that POSTs reach the services.
FORM_VALUES = {
    "action": "accept",
    "decision": "approve",
    "reason": "测试",
    "note": "测试",
    "follow_up": "测试",
    "description": "测试",
    "name": "改名",
    "value": "改值",
    "field": "university",
    "places": "1",
    "service": "first_loan",
    "half_day": "morning",
    "kind": "general",
    "role": "desk",
    "window": "1",
    "leader": "",
    "year": "2031",
    "a-contract_number": "HT-999999",
    "a-receipt_code": "RC999999",
    "a-materials": ["application_form", "id_card", "household_register", "admission", "co_borrower_id"],
    "a-field": "university",
    "a-value": "改值",
    "l-half_day": "morning",
}


@pytest.fixture
def centres(app):
    """Centre 1 with something of every kind; centre 2 with its own staff and a student."""
    with app.test_request_context():
        today = local_today()
    one = make_centre(name="甲县学生资助管理中心", region_code="140623")
    season = make_season(one, year=today.year, acceptance_start=today - timedelta(days=10),
                         acceptance_end=today + timedelta(days=60))  # fmt: skip
    school = make_school(one, name="甲县第一中学")
    staff = {role: make_user(one, role=role, name=f"甲{role}") for role in ROLES[:4]}
    make_user(one, role="admin", name="甲管理员")
    make_user(one, role="desk", name="甲窗口")
    make_user(one, role="outreach", name="甲外联")
    student = make_student(one, name="甲同学", school=school)
    co_borrower = make_co_borrower(student, name="甲家长")
    submitted = make_application(student, season, co_borrower=co_borrower, status="submitted")
    FamilyMember.create(application=submitted, name="甲家长", age=50, relation="father")
    appointment = make_appointment(student, season, today, application=submitted, code="JIA001")
    ticket = Ticket.create(centre=one, day=today, stream="A", number=1, service="first_loan",
                           appointment=appointment, student=student, status="waiting", queued_at=utcnow())  # fmt: skip
    other = make_student(one, name="甲同学乙")
    accepted = make_accepted(other, make_season(one, year=today.year - 1, is_current=False),
                             co_borrower=make_co_borrower(other), contract_number="HTJIA0001")  # fmt: skip
    OwedMaterial.create(application=accepted, material="admission", due_on=today, recorded_by=staff["desk"])
    record = PreRegistration.create(centre=one, uuid="00000000-0000-4000-8000-000000000001",
                                    id_number=student.id_number, name="甲同学", school=school,
                                    student=student, captured_by=staff["outreach"])  # fmt: skip
    Incident.create(centre=one, day=today, kind="other", description="甲同学", reported_by=staff["desk"])
    ClosedDay.create(season=season, day=today + timedelta(days=20), reason="甲县")
    RosterEntry.create(centre=one, school=school, id_number=valid_id_number(), name="甲同学丙")
    unclaimed = make_student(one, name="甲同学丁", with_account=False)
    claim = make_user(one, role="student", name="甲同学丁", mobile="13966660000", claimed_student=unclaimed)
    desk_session = SignInSession.create(user=staff["desk"], key_hash="0" * 64)
    message = Message.create(
        centre=one, student=student, to_mobile=student.mobile, template="day_before", provider="log"
    )
    held = PendingUpload.create(centre=one, season=season, kind="contracts", token="a" * 32, filename="甲.csv",
                                data=b"\xe5\xa7\x93\xe5\x90\x8d\n", uploaded_by=staff["admin"])  # fmt: skip

    two = make_centre(name="乙县学生资助管理中心", region_code="440305")
    make_season(two, year=today.year, acceptance_start=today - timedelta(days=10),
                acceptance_end=today + timedelta(days=60))  # fmt: skip
    make_school(two, name="乙县中学")
    accounts = {role: make_user(two, role=role, name=f"乙{role}").username for role in ROLES[:4]}
    accounts["student"] = make_student(
        two, name="乙县学生", id_number=valid_id_number(region="440305")
    ).id_number
    ids = {
        "application_id": [submitted.id, accepted.id],
        "student_id": [student.id],
        "user_id": [u.id for u in staff.values()] + [claim.id],
        "school_id": [school.id],
        "season_id": [season.id],
        "closed_id": [c.id for c in ClosedDay.select()],
        "record_id": [record.id],
        "item_id": [o.id for o in OwedMaterial.select()],
        "certificate_id": [c.id for c in accepted.documents],
        "incident_id": [i.id for i in Incident.select()],
        "appointment_id": [appointment.id],
        "ticket_id": [ticket.id],
        "session_id": [desk_session.id],
        "message_id": [message.id],
        "token": [held.token],
        "year": [today.year, today.year - 1],
    }
    return {"one": one, "ids": ids, "accounts": accounts, "codes": ["JIA001"], "student": student}


def _urls(rule, ids, codes):
    """Every URL of a rule filled with centre 1's ids (each id of each argument in turn)."""
    values = [{}]
    for name, _converter, choices in rule_arguments(rule):
        if name == "filename":
            return []
        if name in ids:
            options = ids[name]
        elif name == "code":
            options = codes
        elif choices:
            options = choices[:1]
        else:
            options = ["co_borrower"] if name == "step" else ["finish"]
        values = [{**v, name: option} for v in values for option in options]
    return [rule.build(v, append_unknown=False)[1] for v in values]


def _owned_by(centre):
    """Everything of a centre, as plain values, to compare before and after the walk."""
    snapshot = {}
    skip = (AuditEvent, LoginThrottle, PrintedDocument)
    for model in ALL_MODELS:
        if model in skip:
            continue
        fields = model._meta.fields
        if "centre" in fields:
            query = model.select().where(model.centre == centre)
        elif model is Guardian:
            query = (
                model.select().join(model.student.rel_model).where(model.student.rel_model.centre == centre)
            )
        elif model in (FamilyMember, OwedMaterial):
            query = (
                model.select()
                .join(model.application.rel_model)
                .where(model.application.rel_model.centre == centre)
            )
        elif model is SignInSession:
            query = model.select().join(User).where(User.centre == centre)
        elif model in (ServiceQuota, ClosedDay):
            query = model.select().join(model.season.rel_model).where(model.season.rel_model.centre == centre)
        else:
            query = (
                model.select().where(model.id == centre.id) if model.__name__ == "Centre" else model.select()
            )
        snapshot[model.__name__] = sorted(
            (model_to_dict(row, recurse=False) for row in query), key=lambda row: str(row.get("id"))
        )
    return snapshot


@pytest.mark.parametrize("role", ROLES)
def test_a_role_of_centre_2_sees_and_changes_nothing_of_centre_1(app, centres, role):
    before = _owned_by(centres["one"])
    client = app.test_client()
    token = csrf_token(client, "/login")
    login = client.post(
        "/login", data={"identifier": centres["accounts"][role], "password": PASSWORD, "csrf_token": token}
    )
    assert login.status_code == 302
    # One token serves every form of the session, prefixed or not: every POST reaches its service.
    token = csrf_token(client, "/policy")
    data = {**FORM_VALUES, **{f"{prefix}csrf_token": token for prefix in ("", "a-", "l-", "r-")}}
    walked = 0
    for rule in app.url_map.iter_rules():
        if rule.rule in ("/logout", "/language"):  # would end the walk or only set a cookie
            continue
        for url in _urls(rule, centres["ids"], centres["codes"]):
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(url, method=method, data=data)
                walked += 1
                body = response.get_data()
                assert response.status_code < 500, (method, url, response.status_code)
                text = body.decode("utf-8", "replace")
                leaked = [marker for marker in CENTRE_1_MARKERS if marker in text]
                assert not leaked, (role, method, url, leaked)
                if rule.arguments & set(centres["ids"]) | {"code"} & rule.arguments:
                    assert response.mimetype != "application/pdf", (method, url)
    assert walked > 100
    assert _owned_by(centres["one"]) == before


def test_sync_keeps_a_person_known_in_another_centre_inside_the_capturing_centre(app, client, auth, centres):
    two_outreach = centres["accounts"]["outreach"]
    auth.login(two_outreach, PASSWORD)
    client.set_cookie("lang", "en")
    school = School.get(School.name == "乙县中学")
    known = centres["student"]
    record = prereg(school, id_number=known.id_number, name="乙同学", guardian_name="乙县家长")
    answer = client.post("/api/sync", json={"device_id": "phone-2", "records": [record]}).get_json()
    result = answer["results"][0]
    assert result["status"] == "accepted"
    stored = PreRegistration.get(PreRegistration.uuid == record["uuid"])
    assert stored.centre.region_code == "440305" and stored.known_elsewhere
    assert stored.student is None and stored.duplicate_of is None
    page = client.get(f"/outreach/pre-registrations/{stored.id}").get_data(as_text=True)
    assert "known in another centre" in page
    assert not [marker for marker in CENTRE_1_MARKERS if marker in page]
    original = PreRegistration.get(PreRegistration.uuid == "00000000-0000-4000-8000-000000000001")
    assert original.name == "甲同学" and original.centre.region_code == "140623"


def test_a_province_adds_a_centre_from_the_command_line(app, runner):
    make_centre(name="甲县学生资助管理中心", region_code="140623")
    result = runner.invoke(args=["create-centre", "--region", "440305", "--name", "南山区学生资助管理中心"])
    assert result.exit_code == 0, result.output
    centre = Centre.get(Centre.region_code == "440305")
    season = centre.seasons.get()
    with app.app_context():
        assert season.is_current and season.year == local_today().year
    assert (season.cap_undergraduate, season.cap_postgraduate) == (20000, 25000)
    assert quotas.places(season, "first_loan", "morning") == 30
    again = runner.invoke(args=["create-centre", "--region", "440305", "--name", "x"])
    assert again.exit_code != 0 and "--region" in again.output  # the message in the default language
    assert Centre.select().where(Centre.region_code == "440305").count() == 1
    unknown = runner.invoke(args=["create-centre", "--region", "999999", "--name", "x"])
    assert unknown.exit_code != 0 and not Centre.select().where(Centre.region_code == "999999").exists()
    admin = runner.invoke(
        args=[
            "create-user",
            "--role",
            "admin",
            "--centre",
            "440305",
            "--username",
            "nanshan",
            "--name",
            "南山管理",
        ],
        input="long-enough\nlong-enough\n",
    )
    assert admin.exit_code == 0, admin.output


def test_a_province_adds_a_centre_on_its_page(client, auth):
    province = make_user(None, role="province", username="province1")
    auth.login(province.username, PASSWORD)
    client.set_cookie("lang", "en")
    token = csrf_token(client, "/staff/province")
    refused = client.post("/staff/province", data={"csrf_token": token, "region_code": "12", "name": ""})
    assert refused.status_code == 422 and "six-digit" in refused.get_data(as_text=True)
    wuhou = {
        "csrf_token": token,
        "region_code": "510107",
        "name": "武侯区中心",
        "admin_username": "wuhou.admin",
    }
    no_admin = client.post("/staff/province", data=wuhou)
    assert no_admin.status_code == 422 and "administrator's name" in no_admin.get_data(as_text=True)
    assert not Centre.select().where(Centre.region_code == "510107").exists()
    added = client.post("/staff/province", data={**wuhou, "admin_name": "武侯管理"})
    page = added.get_data(as_text=True)
    assert added.status_code == 201 and Centre.get(Centre.region_code == "510107").seasons.count() == 1
    password = re.search(r'<strong class="code">(\w{12})</strong>', page).group(1)
    admin = User.get(User.username == "wuhou.admin")
    assert admin.role == "admin" and admin.must_change_password and admin.centre.region_code == "510107"
    assert "set-cookie" not in {k.lower() for k in added.headers.keys()} or password not in str(added.headers)
    fresh = client.application.test_client()
    fresh.post("/login", data={"identifier": "wuhou.admin", "password": password,
                               "csrf_token": csrf_token(fresh, "/login")})  # fmt: skip
    assert "/account/password" in fresh.get("/admin/dashboard").headers.get("Location", "")
    desk = make_user(Centre.get(Centre.region_code == "510107"), role="desk")
    auth.logout()
    auth.login(desk.username, PASSWORD)
    token = csrf_token(client, "/desk/")
    forbidden = client.post(
        "/staff/province", data={"csrf_token": token, "region_code": "510108", "name": "x"}
    )
    assert forbidden.status_code == 403 and not Centre.select().where(Centre.region_code == "510108").exists()


def test_the_province_reads_every_centre_and_searches_across_them_audited(client, auth, centres):
    one = centres["one"]
    province = make_user(None, role="province", username="province1")
    auth.login(province.username, PASSWORD)
    client.set_cookie("lang", "en")
    home = client.get("/staff/province").get_data(as_text=True)
    assert f"/admin/dashboard?centre={one.id}" in home and "乙县学生资助管理中心" in home
    dashboard = client.get(f"/admin/dashboard?centre={one.id}")
    assert dashboard.status_code == 200 and one.name in dashboard.get_data(as_text=True)
    assert client.get("/admin/dashboard").status_code == 404  # the province names the centre
    assert client.get("/admin/dashboard?centre=999999").status_code == 404

    found = client.get("/staff/province/students", query_string={"q": centres["student"].id_number})
    assert "甲同学" in found.get_data(as_text=True) and one.name in found.get_data(as_text=True)
    assert (
        client.get("/staff/province/students?q=甲").get_data(as_text=True).count("<tr>") == 0
    )  # no browsing
    event = AuditEvent.get(AuditEvent.action == "province.student_search")
    assert json.loads(event.details)["query_kind"] == "id_number" and event.actor_id == province.id

    year = Season.get(Season.centre == one, Season.is_current == False).year  # noqa: E712 (peewee)
    loans = client.get(f"/staff/province/loans-{year}.csv").get_data(as_text=True)
    assert "HTJIA0001" in loans and one.name in loans
    assert AuditEvent.select().where(AuditEvent.action == "export.province_loans").count() == 1


def test_another_centres_leader_cannot_choose_a_centre_to_read(client, auth, centres):
    auth.login(centres["accounts"]["leader"], PASSWORD)
    page = client.get(f"/admin/dashboard?centre={centres['one'].id}").get_data(as_text=True)
    assert centres["one"].name not in page and "甲中学" not in page
    assert client.get("/staff/province/students?q=甲同学").status_code == 403


def test_the_province_statistics_add_up_per_centre_and_in_total(client, auth, app):
    """Two centres' loans of a year, counted as the province asks: by kind, by level, by special
    group, as numbers and amounts, and the total; a renewal approved online counts as a loan."""
    from openpyxl import load_workbook

    one, two = (
        make_centre(name="甲县中心", region_code="140623"),
        make_centre(name="乙县中心", region_code="440305"),
    )
    season_one, season_two = make_season(one, year=2026), make_season(two, year=2026)
    poor = make_application(make_student(one, name="甲一"), season_one, status="accepted", amount_requested=12000,
                            special_groups="registered_poverty", contract_number="C1")  # fmt: skip
    make_application(make_student(one, name="甲二"), season_one, status="accepted", amount_requested=20000,
                     level="postgraduate", contract_number="C2")  # fmt: skip
    make_application(make_student(one, name="甲三"), season_one, kind="renewal", status="approved",
                     needs_window=False, amount_requested=10000, special_groups="subsistence")  # fmt: skip
    make_application(
        make_student(one, name="甲四"), season_one, status="submitted", amount_requested=9000
    )  # not a loan
    make_application(make_student(two, name="乙一", id_number=valid_id_number(region="440305")), season_two,
                     status="accepted", amount_requested=8000, contract_number="C3")  # fmt: skip
    assert poor.special_groups
    province = make_user(None, role="province", username="province9")
    auth.login(province.username, PASSWORD)
    client.set_cookie("lang", "en")
    answer = client.get("/staff/province/statistics-2026.xlsx")
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["甲县中心"] == (2, 32000, 1, 10000, 2, 22000, 1, 20000, 1, 12000, 1, 10000, 3, 42000)
    assert rows["乙县中心"] == (1, 8000, 0, 0, 1, 8000, 0, 0, 0, 0, 0, 0, 1, 8000)
    assert rows["Total"] == (3, 40000, 1, 10000, 3, 30000, 1, 20000, 1, 12000, 1, 10000, 4, 50000)
    assert AuditEvent.select().where(AuditEvent.action == "export.province_statistics").exists()
