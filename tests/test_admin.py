"""Running the season: set-up, staff and schools, the dashboard's figures against a seeded
season, exports read back with openpyxl, the audit log viewer and publicity."""

import csv
import io
import json
import re
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from tests.conftest import csrf_token
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
from webapp.models import (
    Application,
    AuditEvent,
    ClosedDay,
    Guardian,
    IssuedDocument,
    PreRegistration,
    RosterEntry,
    School,
    SchoolVisit,
    Season,
    ServiceQuota,
    Ticket,
    User,
)
from webapp.services import audit, dashboard, quotas

YEAR = date.today().year + 1  # a season whose window lies ahead, so bookings are in it
ADMIN_PAGES = [
    "/admin/seasons",
    "/admin/users",
    "/admin/schools",
    "/admin/centre",
    "/admin/exports",
    "/admin/audit",
    "/admin/duty",
    "/admin/rosters",
]


@pytest.fixture
def centre(app):
    return make_centre(name="右玉县学生资助管理中心", address="右玉县新城镇", phone="0349-8000000")


@pytest.fixture
def admin(client, auth, centre):
    user = make_user(centre, role="admin", name="赵管理")
    auth.login(user.username, PASSWORD)
    client.set_cookie("lang", "en")
    return user


def post(client, path, page=None, **data):
    data["csrf_token"] = csrf_token(client, page or path)
    return client.post(path, data=data)


@pytest.mark.parametrize("role", ["desk", "leader", "outreach", "student"])
def test_admin_pages_refuse_other_roles(client, auth, centre, role):
    if role == "student":
        auth.login(make_student(centre).id_number, PASSWORD)
    else:
        auth.login(make_user(centre, role=role).username, PASSWORD)
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 403, path
    allowed = 200 if role == "leader" else 403
    assert client.get("/admin/dashboard").status_code == allowed
    assert client.get("/admin/publicity").status_code == allowed


def season_data(**overrides):
    data = {
        "name": f"{YEAR}年度",
        "year": str(YEAR),
        "acceptance_start": f"{YEAR}-07-17",
        "acceptance_end": f"{YEAR}-09-25",
        "contract_change_start": f"{YEAR}-09-01",
        "contract_change_end": f"{YEAR}-10-31",
        "booking_cutoff_hours": "24",
        "cap_undergraduate": "20,000",
        "cap_postgraduate": "25000",
        "min_amount": "1000",
        "term_extra_years": "15",
        "term_max_years": "22",
        "grace_years": "5",
        "lpr_spread_bp": "-60",
        "student_min_age": "15",
        "student_max_age": "45",
        "co_borrower_min_age": "18",
        "other_co_borrower_min_age": "22",
        "other_co_borrower_max_age": "60",
        "papers_to_follow": "y",
    }
    data.update(overrides)
    return data


def test_a_season_is_created_with_its_numbers_and_default_places(client, admin):
    response = post(client, "/admin/seasons/new", **season_data())
    assert response.status_code == 302
    season = Season.get()
    assert (season.cap_undergraduate, season.lpr_spread_bp, season.acceptance_end) == (
        20000,
        -60,
        date(YEAR, 9, 25),
    )
    assert (
        ServiceQuota.select().where(ServiceQuota.season == season).count() == 6
    )  # three services, two half-days
    assert AuditEvent.get(AuditEvent.action == "season.created").actor_id == admin.id


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"acceptance_end": f"{YEAR}-07-01"}, "acceptance_end", "ends after it starts"),
        ({"acceptance_start": ""}, "acceptance_start", "Enter a date"),
        ({"cap_undergraduate": "lots"}, "cap_undergraduate", "whole number"),
        ({"min_amount": "30000"}, "min_amount", "cannot be above the caps"),
        ({"contract_change_end": ""}, "contract_change_end", "both dates"),
        ({"year": "1999"}, "year", "from 2000 to 2100"),
    ],
)
def test_season_rules(client, admin, fields, field, message):
    response = post(client, "/admin/seasons/new", **season_data(**fields))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and f'id="{field}-error"' in html and message in html
    assert Season.select().count() == 0


@pytest.fixture
def season(centre):
    return make_season(centre, year=YEAR)


def test_a_quota_below_what_is_booked_is_refused(client, admin, season):
    day = date(YEAR, 7, 20)
    for n in range(3):
        make_appointment(make_student(season.centre, name=f"学生{n}"), season, day)
    path = f"/admin/seasons/{season.id}/quota"
    page = f"/admin/seasons/{season.id}"
    refused = post(client, path, page, service="first_loan", half_day="morning", places="2")
    assert (
        refused.status_code == 409
        and f"3 places are already booked on {day.isoformat()}" in refused.get_data(as_text=True)
    )
    assert quotas.places(season, "first_loan", "morning") == 30
    assert post(client, path, page, service="first_loan", half_day="morning", places="3").status_code == 302
    assert quotas.places(Season.get_by_id(season.id), "first_loan", "morning") == 3


def test_closed_days_inside_the_window_and_not_over_bookings(client, admin, season):
    path, page = f"/admin/seasons/{season.id}/closed-days", f"/admin/seasons/{season.id}"
    outside = post(client, path, page, day=f"{YEAR}-12-01", reason="")
    assert outside.status_code == 422 and "inside the acceptance window" in outside.get_data(as_text=True)
    make_appointment(make_student(season.centre), season, date(YEAR, 7, 21))
    booked = post(client, path, page, day=f"{YEAR}-07-21", reason="")
    assert booked.status_code == 409 and "1 students are booked" in booked.get_data(as_text=True)
    assert (
        post(client, path, page, day=f"{YEAR}-10-01", reason="国庆节").status_code == 422
    )  # after the window
    assert post(client, path, page, day=f"{YEAR}-08-01", reason="建军节").status_code == 302
    assert ClosedDay.get().reason == "建军节"


def _copy(client, season, year, **numbers):
    """Both steps of a copy: the year, then the numbers shown, confirmed (or changed)."""
    shown = post(client, f"/admin/seasons/{season.id}/copy", f"/admin/seasons/{season.id}", year=str(year))
    if shown.status_code != 200:
        return shown
    html = shown.get_data(as_text=True)
    fields = dict(re.findall(r'name="([a-z_]+)" type="text" value="(-?\d+)"', html))
    fields.update(numbers)
    return post(
        client,
        f"/admin/seasons/{season.id}/copy/confirm",
        f"/admin/seasons/{season.id}",
        year=str(year),
        **fields,
    )


def test_copy_last_season_into_a_new_one(client, admin, season):
    ServiceQuota.update(places=25).where(ServiceQuota.season == season).execute()
    response = _copy(client, season, YEAR + 1)
    assert response.status_code == 302
    copied = Season.get(Season.year == YEAR + 1)
    assert copied.acceptance_start == date(YEAR + 1, 7, 17) and copied.cap_undergraduate == 20000
    assert quotas.places(copied, "renewal", "afternoon") == 25 and not copied.is_current
    again = post(
        client, f"/admin/seasons/{season.id}/copy", f"/admin/seasons/{season.id}", year=str(YEAR + 1)
    )
    assert again.status_code == 422 and "already has a season" in again.get_data(as_text=True)
    post(client, f"/admin/seasons/{copied.id}/current", f"/admin/seasons/{copied.id}")
    assert [s.year for s in Season.select().where(Season.is_current)] == [YEAR + 1]


def test_copy_shows_the_new_years_policy_and_never_carries_an_old_cap(client, admin, centre):
    old = make_season(centre, year=2023, cap_undergraduate=16000, cap_postgraduate=20000)
    shown = post(client, f"/admin/seasons/{old.id}/copy", f"/admin/seasons/{old.id}", year="2025")
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and not Season.select().where(Season.year == 2025).exists()
    assert 'name="cap_undergraduate" type="text" value="20000"' in html  # 2024 policy, not 16,000
    assert 'name="cap_postgraduate" type="text" value="25000"' in html
    assert "2024" in html and "16000" in html  # the source of the defaults, and the old value beside
    assert _copy(client, old, 2025).status_code == 302
    copied = Season.get(Season.year == 2025)
    assert (copied.cap_undergraduate, copied.cap_postgraduate, copied.min_amount) == (20000, 25000, 1000)
    assert (copied.student_min_age, copied.other_co_borrower_max_age) == (15, 60)
    refused = _copy(client, old, 2026, cap_undergraduate="abc", student_min_age="50", student_max_age="40")
    assert refused.status_code == 422 and not Season.select().where(Season.year == 2026).exists()
    assert "upper age" in refused.get_data(as_text=True)


@pytest.mark.parametrize("year", ["", "abc", "0", "-5", "10000", "99999999999999999999"])
def test_copy_refuses_a_year_that_is_not_one(client, admin, season, year):
    response = post(client, f"/admin/seasons/{season.id}/copy", f"/admin/seasons/{season.id}", year=year)
    assert response.status_code == 422 and "whole number" in response.get_data(as_text=True)


def test_the_centre_details_are_saved(client, admin, centre):
    assert post(client, "/admin/centre", name=" ", name_en="", address="", phone="").status_code == 422
    assert (
        post(
            client,
            "/admin/centre",
            name="右玉县学生资助管理中心",
            name_en="Youyu",
            address="右玉县新城镇政府街 1 号",
            phone="0349-8123456",
        ).status_code
        == 302
    )
    assert centre.__class__.get_by_id(centre.id).phone == "0349-8123456"


def test_staff_accounts_created_deactivated_and_reset(client, auth, admin, centre):
    created = post(client, "/admin/users", username="wang.desk", name="王窗口", role="desk")
    html = created.get_data(as_text=True)
    user = User.get(User.username == "wang.desk")
    password = html.split('<strong class="code">')[1].split("<")[0]
    assert created.status_code == 200 and len(password) == 12
    assert post(client, "/admin/users", username="wang.desk", name="重名", role="desk").status_code == 409
    assert post(client, "/admin/users", username="x", name="名", role="king").status_code == 422
    assert post(client, "/admin/users", username="x", name="名", role="desk").status_code == 422
    # the README's example: two letters make a username
    assert post(client, "/admin/users", username="li", name="李外联", role="outreach").status_code == 200
    assert post(client, f"/admin/users/{admin.id}/deactivate", "/admin/users").status_code == 409
    assert post(client, f"/admin/users/{user.id}/deactivate", "/admin/users").status_code == 302
    auth.logout()
    assert auth.login("wang.desk", password).status_code != 302  # deactivated: no sign-in
    auth.login(admin.username, PASSWORD)
    post(client, f"/admin/users/{user.id}/activate", "/admin/users")
    reset = post(client, f"/admin/users/{user.id}/reset-password", "/admin/users").get_data(as_text=True)
    new_password = reset.split('<strong class="code">')[1].split("<")[0]
    auth.logout()
    assert auth.login("wang.desk", new_password).status_code == 302
    assert User.get_by_id(user.id).centre_id == centre.id


def test_schools_are_added_and_deactivated_never_deleted(client, admin, centre):
    assert (
        post(
            client,
            "/admin/schools",
            name="右玉县第二中学",
            kind="general",
            code="YY03",
            address="",
            contact="",
        ).status_code
        == 302
    )
    assert (
        post(
            client, "/admin/schools", name="右玉县第二中学", kind="general", code="", address="", contact=""
        ).status_code
        == 422
    )
    school = School.get()
    post(client, f"/admin/schools/{school.id}/deactivate", "/admin/schools")
    assert School.get_by_id(school.id).active is False


@pytest.fixture
def seeded(centre):
    """Two seasons with known numbers (see the test for what they add up to)."""
    school_a, school_b = make_school(centre, name="甲中学"), make_school(centre, name="乙中学")
    last, season = make_season(centre, year=YEAR - 1, is_current=False), make_season(centre, year=YEAR)
    for amount in (10000, 12000):
        make_application(
            make_student(centre),
            last,
            status="accepted",
            amount_requested=amount,
            accepted_at=datetime(YEAR - 1, 8, 1, 2),
        )
    accepted = []
    for n, (amount, school) in enumerate([(8000, school_a), (10000, school_a), (16000, school_b)]):
        student = make_student(centre, name=f"受理{n}", school=school)
        guardian = Guardian.create(
            student=student,
            name=f"家长{n}",
            relation="mother",
            id_number=valid_id_number(birth=date(1975, 1, 1)),
            mobile="13900000000",
        )
        accepted.append(
            make_application(
                student,
                season,
                status="accepted",
                amount_requested=amount,
                co_borrower=guardian,
                contract_number=f"C{YEAR}{n:04d}",
                loan_term_years=19,
                submitted_at=datetime(YEAR, 7, 1),
                accepted_at=datetime(YEAR, 7, 20 + n, 2),
                desk_minutes=30 if n == 0 else None,
            )
        )
        IssuedDocument.create(
            centre=centre,
            kind="certificate",
            student=student,
            application=accepted[-1],
            number=f"SL{YEAR}-140623-{n + 1:05d}",
            verification_code="AAAA-BBBB",
        )
    make_application(make_student(centre), season, status="submitted")
    make_application(make_student(centre), season, status="draft")
    make_application(make_student(centre), season, kind="renewal", status="approved")
    make_application(make_student(centre), season, kind="renewal", status="approved", needs_window=True)
    day = date(YEAR, 7, 20)
    visit = make_appointment(accepted[0].student, season, day, application=accepted[0], status="done")
    Ticket.create(
        centre=centre,
        day=day,
        stream="A",
        number=1,
        service="first_loan",
        appointment=visit,
        student=accepted[0].student,
        status="done",
        issued_at=datetime(YEAR, 7, 20, 1, 30),
        queued_at=datetime(YEAR, 7, 20, 1, 30),
        called_at=datetime(YEAR, 7, 20, 1, 50),
        wait_minutes=20,
    )
    make_appointment(make_student(centre), season, day, status="no_show")
    make_appointment(make_student(centre), season, day + timedelta(days=1))
    make_appointment(make_student(centre), season, day, status="cancelled")
    for n, (school, category) in enumerate([(school_a, 0), (school_a, 1), (school_b, 0)]):
        PreRegistration.create(
            centre=centre,
            uuid=f"00000000-0000-4000-8000-{n:012d}",
            id_number=valid_id_number(),
            name=f"预申请{n}",
            school=school,
            category=category,
            received_at=datetime(YEAR, 3, 1),
        )
    return season


def test_the_dashboard_figures_of_a_seeded_season(app, client, admin, seeded):
    with app.app_context():
        numbers = dashboard.season_numbers(seeded)
        figures = {
            f.key: f
            for f in dashboard.season_figures(
                numbers, dashboard.season_numbers(dashboard.previous_season(seeded))
            )
        }
        daily = numbers.daily
        amounts = [(name, amount) for name, amount, _n in dashboard.amount_per_school(seeded)]
        waiting = dashboard.waiting_by_hour(seeded)
    assert {k: f.value for k, f in figures.items()} == {
        "pre_registrations": 3,
        "applications": 4,
        "bookings": 3,
        "no_shows": 1,
        "accepted": 3,
        "accepted_amount": 34000,
        "renewals_online": 1,
        "renewals_window": 1,
        "minutes_to_acceptance": 30,
    }
    assert (figures["accepted"].growth, figures["accepted_amount"].growth) == (50, 55)
    assert figures["bookings"].growth is None  # nothing to compare with
    assert daily[f"{YEAR}-07-20"] == {"bookings": 2, "no_shows": 1, "accepted": 1}
    assert amounts == [("甲中学", 18000), ("乙中学", 16000)]
    assert waiting == {9: 20}  # called at 09:50 Beijing time, after 20 minutes
    html = client.get("/admin/dashboard").get_data(as_text=True)
    for expected in ("¥34,000", "+55 %", "+50 %", "甲中学", "<svg", "Loans accepted per day"):
        assert expected in html, expected


def test_the_loan_export_opens_in_excel_with_the_bank_columns(client, admin, seeded):
    response = client.get(f"/admin/exports/loans.xlsx?season={seeded.id}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Student name", "Resident ID number", "Co-borrower") and len(rows[0]) == 18
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].data_type == "s" and sheet.column_dimensions["B"].width >= 18  # the ID number
    assert f"accepted-loans-{YEAR}-season-" in response.headers["Content-Disposition"]
    assert len(rows) == 1 + 3 + 1  # the three accepted, and the renewal approved online
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["Co-borrower"], first["Relation"], first["Amount per year (yuan)"]) == (
        "家长0",
        "Mother",
        8000,
    )
    assert (first["Contract number"], first["Certificate number"]) == (
        f"C{YEAR}0000",
        f"SL{YEAR}-140623-00001",
    )
    assert first["Accepted on"] == f"{YEAR}-07-20"
    event = AuditEvent.get(AuditEvent.action == "export.loans")
    assert event.actor_id == admin.id and json.loads(event.details) == {
        "format": "xlsx",
        "filters": {"season": YEAR},
    }


def test_the_pre_registration_export_as_csv_per_school(client, admin, seeded):
    school = School.get(School.name == "甲中学")
    response = client.get(f"/admin/exports/pre_registrations.csv?school={school.id}")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert "filename*=UTF-8''pre-registrations-%E7%94%B2%E4%B8%AD%E5%AD%A6-" in disposition
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1 + 2 and {row[0] for row in rows[1:]} == {"甲中学"}
    assert client.get("/admin/exports/pre_registrations.csv?school=99999").status_code == 404


FORMULAS = ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_text_is_exported_as_text(client, admin, seeded, fmt):
    """What a student typed is read back as the same text, never as a formula (OWASP's rule)."""
    from webapp.services.loans import is_loan

    accepted = list(Application.select().where((Application.season == seeded) & is_loan()))
    for application, text in zip(accepted, FORMULAS, strict=False):
        application.university = text
        application.save()
    answer = client.get(f"/admin/exports/loans.{fmt}?season={seeded.id}")
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
        column = rows[0].index("University")
        written = {row[column] for row in rows[1:]}
        assert written == {"'" + text for text in FORMULAS[: len(accepted)]}
    else:
        sheet = load_workbook(io.BytesIO(answer.data)).active
        rows = list(sheet.iter_rows())
        column = [c.value for c in rows[0]].index("University")
        cells = [row[column] for row in rows[1:]]
        assert {c.data_type for c in cells} == {"s"}
        assert {c.value for c in cells} == set(FORMULAS[: len(accepted)])


def test_the_audit_log_filters_and_shows_old_and_new_values(client, admin, seeded):
    post(client, "/admin/centre", name="右玉县学生资助管理中心", name_en="", address="新地址", phone="1")
    application = Application.get((Application.season == seeded) & (Application.status == "submitted"))
    audit.record("application.corrected", application, actor=admin, field="major", old="数学", new="统计学")
    page = client.get("/admin/audit?action=application.corrected").get_data(as_text=True)
    assert (
        "<mark>数学</mark>" in page
        and "<mark>统计学</mark>" in page
        and "Centre details changed" not in page.split("<tbody>")[1]
    )
    rows = page.split("<tbody>")[1]
    # people's words: the action, the record with the student's name, the field by its label
    assert "Application corrected" in rows and f"Application · {application.student.name}" in rows
    assert "<dt>Field</dt><dd>Major</dd>" in rows and "<dt>Before</dt>" in rows
    by_person = client.get(f"/admin/audit?actor={admin.id}").get_data(as_text=True)
    assert "Centre details changed" in by_person
    assert "Nothing matches" in client.get("/admin/audit?from=2000-01-01&to=2000-01-02").get_data(
        as_text=True
    )


def test_publicity_against_the_roster(client, admin, centre):
    school = make_school(centre, name="右玉县第一中学")
    for n in range(200):
        RosterEntry.create(centre=centre, school=school, id_number=f"ID{n:016d}", name=f"毕业生{n}")
    for n, (leaflets, reached) in enumerate([(120, 86), (60, 40)]):
        SchoolVisit.create(
            centre=centre,
            uuid=f"00000000-0000-4000-9000-{n:012d}",
            school=school,
            visited_on=date(YEAR, 5, 1 + n),
            leaflets=leaflets,
            students_reached=reached,
        )
    entries = list(RosterEntry.select().order_by(RosterEntry.id)[:3])
    for n, entry in enumerate([*entries, entries[0]]):  # one graduate pre-registered twice
        PreRegistration.create(
            centre=centre,
            uuid=f"00000000-0000-4000-8000-{n:012d}",
            id_number=valid_id_number(),
            name=entry.name,
            school=school,
            roster_entry=entry,
            status="accepted",
        )
    PreRegistration.create(  # not on the roster: counted as a record, not as coverage
        centre=centre,
        uuid="00000000-0000-4000-8000-000000000099",
        id_number=valid_id_number(),
        name="外校生",
        school=school,
    )
    html = client.get("/admin/publicity").get_data(as_text=True)
    row = html.split("右玉县第一中学")[1].split("</tr>")[0]
    for expected in ("180", "126", "200", ">5<", "2 %", "(3/200)"):
        assert expected in row, expected
    assert "What each figure counts" in html


def test_renewals_approved_online_are_loans_in_the_export(client, admin, seeded):
    """A renewal approved online (no visit to the window) is a loan of the season for the bank."""
    student = make_student(seeded.centre, name="续贷在线")
    make_application(student, seeded, kind="renewal", status="approved", needs_window=False,
                     reviewed_at=datetime(YEAR, 8, 1, 2, 0), contract_number="RENEW0001")  # fmt: skip
    make_application(make_student(seeded.centre, name="续贷到窗"), seeded, kind="renewal", status="approved",
                     needs_window=True)  # fmt: skip
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(f"/admin/exports/loans.csv?season={seeded.id}")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    names = [row[0] for row in rows[1:]]
    assert "续贷在线" in names and "续贷到窗" not in names
    online = next(row for row in rows[1:] if row[0] == "续贷在线")
    assert online[-1] == f"{YEAR}-08-01"


def test_the_centre_exports_its_statistics_for_the_province(client, admin, seeded):
    answer = client.get(f"/admin/exports/statistics.xlsx?season={seeded.id}")
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Centre", "First loans", "First loans (yuan)")
    assert [row[0] for row in rows[1:]] == [seeded.centre.name, "Total"]
    assert rows[1][1:] == rows[2][1:] and rows[1][13] == 4  # the three accepted and the online renewal
    assert "Statistics for the province" in client.get("/admin/exports").get_data(as_text=True)
