"""The dashboard's figures against a seeded season, exports read back with openpyxl, the audit
log viewer, publicity and the statistics for the province."""

import csv
import io
import json
import uuid
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from tests.admin.admin_helpers import YEAR, post
from tests.factories import (
    make_application,
    make_appointment,
    make_school,
    make_season,
    make_student,
    valid_id_number,
)
from webapp.models import (
    Application,
    AuditEvent,
    Guardian,
    IssuedDocument,
    PreRegistration,
    RosterEntry,
    School,
    SchoolVisit,
    Ticket,
)
from webapp.services.common import audit
from webapp.services.reports import dashboard


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
    from webapp.services.casework.season_loans import is_loan

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


def test_each_statistics_column_counts_what_its_heading_defines(client, admin, centre):
    """Column by column: first loans and renewals, undergraduate and postgraduate, the students of
    registered-poverty families, of the other special groups of category 1 (a tick on the form, or
    category 1 at school) — and no one in a special-group column for a single-parent tick, for
    category 3 at school, or for no category at all; a draft counts nowhere."""
    season = make_season(centre, year=YEAR + 1)

    def loan(name, amount, groups="", category=None, **kw):
        student = make_student(centre, name=name)
        if category is not None:
            PreRegistration.create(centre=centre, uuid=str(uuid.uuid4()), student=student, id_number=student.id_number,
                                   name=name, category=category, status="accepted")  # fmt: skip
        kw.setdefault("status", "accepted")
        return make_application(student, season, amount_requested=amount, special_groups=groups, **kw)

    loan("低保", 1000, "subsistence")
    loan("脱贫又孤儿", 2000, "registered_poverty,orphan")
    loan("助学金", 4000, category=3, level="postgraduate")
    loan("学校认定一类", 8000, category=1)
    loan("单亲续贷", 16000, "single_parent", kind="renewal", status="approved", needs_window=False)
    loan("无类别", 32000, category=0)
    loan("草稿", 64000, "subsistence", status="draft")

    answer = client.get(f"/admin/exports/statistics.xlsx?season={season.id}")
    rows = list(load_workbook(io.BytesIO(answer.data)).active.iter_rows(values_only=True))
    heading, ours, total = rows
    assert ours[1:] == total[1:]
    figures = dict(zip(heading[1:], ours[1:], strict=True))
    assert figures == {
        "First loans": 5, "First loans (yuan)": 1000 + 2000 + 4000 + 8000 + 32000,
        "Renewals": 1, "Renewals (yuan)": 16000,
        "Undergraduate and college": 5, "Undergraduate and college (yuan)": 1000 + 2000 + 8000 + 16000 + 32000,
        "Postgraduate": 1, "Postgraduate (yuan)": 4000,
        "From registered-poverty families": 1, "From registered-poverty families (yuan)": 2000,
        "Other special groups": 2, "Other special groups (yuan)": 1000 + 8000,
        "All loans": 6, "All loans (yuan)": 63000,
    }  # fmt: skip


def test_the_dashboard_charts_no_day_that_has_not_come(app, client, admin, centre):
    """Bookings for the days ahead are counted and said, but the daily chart ends today."""
    from webapp.clock import local_today

    with app.app_context():
        today = local_today()
    season = make_season(centre, year=today.year)
    for offset in (-1, 0, 3, 4):
        make_appointment(make_student(centre), season, today + timedelta(days=offset))
    html = client.get(f"/admin/dashboard?season={season.id}").get_data(as_text=True)
    figure = html[html.index("Bookings per day") :]
    figure = figure[: figure.index("</figure>")]
    assert today.isoformat()[5:] in figure and (today - timedelta(days=1)).isoformat()[5:] in figure
    assert (today + timedelta(days=3)).isoformat()[5:] not in figure
    assert "Up to today; 2 more bookings are for the days to come." in html


def test_an_audit_entry_reads_in_words_without_internals(app):
    """No detail's code name, no internal value (a page's endpoint, a session), papers by name."""
    from flask_babel import force_locale

    from webapp.services.reports import audit_trail

    event = AuditEvent(
        action="documents.printed",
        details=json.dumps(
            {
                "count": 3,
                "kinds": ["hardship_form"],
                "page": "desk.application",
                "session": 7,
                "checked": ["id_card"],
                "needs_window": True,
            }
        ),  # fmt: skip
    )
    with app.test_request_context(), force_locale("en"):
        rows = [(str(name), str(value)) for name, value, _changed in audit_trail.details(event)]
    text = " ".join(f"{name} {value}" for name, value in rows)
    for internal in ("count", "kinds", "hardship_form", "desk.application", "session", "id_card", "True"):
        assert internal not in text, (internal, rows)
    assert ("How many", "3") in rows and ("To sign at the window", "yes") in rows
    assert ("Materials ticked", "The student's resident ID card") in rows
