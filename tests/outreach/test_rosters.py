"""Graduate rosters: reading XLSX and CSV, all-or-nothing imports, linking pre-registrations."""

import csv
import io
import itertools
import json
import uuid
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from tests.factories import PASSWORD, make_centre, make_school, make_student, make_user, valid_id_number
from tests.http_helpers import csrf_token
from webapp.models import AuditEvent, PreRegistration, RosterEntry, RosterImport
from webapp.services.outreach import rosters

HEADER = ["姓名", "身份证号", "班级", "手机号"]
_ids = itertools.count()


def id_number():
    """A valid ID number never handed out before in this run (valid_id_number can repeat)."""
    n = next(_ids)
    return valid_id_number(birth=date(2007, 1, 1) + timedelta(days=n // 100), sequence=f"{n % 100:02d}1")


def xlsx(rows, header=HEADER):
    """An in-memory workbook as bytes, header first."""
    book = Workbook()
    sheet = book.active
    for row in [header] + rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig"):
    text = io.StringIO()
    csv.writer(text).writerows([header] + rows)
    return text.getvalue().encode(encoding)


def good_rows(n=3, mobile="13800138000"):
    return [[f"学生{i}", id_number(), f"高三({i})班", mobile] for i in range(1, n + 1)]


def pre_register(school, id_number, name="张三"):
    return PreRegistration.create(
        centre=school.centre, uuid=uuid.uuid4(), id_number=id_number, name=name, school=school
    )


def upload(client, content, filename="roster.xlsx", school=None):
    data = {"csrf_token": csrf_token(client, "/admin/rosters"), "file": (io.BytesIO(content), filename)}
    if school is not None:
        data["school"] = str(school.id)
    return client.post("/admin/rosters", data=data, content_type="multipart/form-data")


@pytest.fixture
def centre(app):
    return make_centre()


@pytest.fixture
def school(centre):
    return make_school(centre)


@pytest.fixture
def admin(client, auth, centre):
    """Signed in as the centre's administrator, pages in English to match the msgids."""
    user = make_user(centre, role="admin", username="admin1")
    auth.login("admin1", PASSWORD)
    client.set_cookie("lang", "en")
    return user


@pytest.fixture
def english(app):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        yield


def import_file(school, content, filename="roster.xlsx", user=None):
    return rosters.import_roster(school, filename, io.BytesIO(content), user)


def test_good_xlsx_import_stores_rows_links_pre_registrations_and_is_audited(client, admin, school):
    rows = good_rows(3)
    rows[1][2] = 3  # numbers Excel stored as numeric cells
    rows[2][3] = 13900139000.0
    matched = pre_register(school, rows[0][1])
    elsewhere = pre_register(make_school(school.centre, name="右玉县职业中学"), rows[2][1])
    response = upload(client, xlsx(rows), school=school)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/rosters/{school.id}")
    entries = {e.id_number: e for e in RosterEntry.select()}
    assert set(entries) == {r[1] for r in rows}
    assert entries[rows[2][1]].mobile == "13900139000"
    assert entries[rows[0][1]].class_name == "高三(1)班" and entries[rows[1][1]].class_name == "3"
    roster_import = RosterImport.get()
    assert (roster_import.rows, roster_import.filename, roster_import.imported_by_id) == (
        3,
        "roster.xlsx",
        admin.id,
    )
    assert {e.roster_import_id for e in entries.values()} == {roster_import.id}
    assert PreRegistration.get_by_id(matched.id).roster_entry_id == entries[rows[0][1]].id
    assert PreRegistration.get_by_id(elsewhere.id).roster_entry_id is None
    event = AuditEvent.get(AuditEvent.action == "roster.import")
    assert (event.object_id, event.actor_id) == (str(roster_import.id), admin.id)
    assert json.loads(event.details) == {"rows": 3, "matched": 1}
    page = client.get(response.headers["Location"])
    html = page.get_data(as_text=True)
    assert "Rows: 3. Pre-registrations on the roster: 1." in html
    assert "学生1" in html and rows[0][1] not in html
    assert rows[0][1][:6] + "********" + rows[0][1][-4:] in html and "139****9000" in html


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_stored(client, admin, school):
    first = good_rows(2)
    assert import_file(school, xlsx(first)).ok
    rows = good_rows(4)
    rows[1][1] = rows[1][1][:17] + ("0" if rows[1][1][17] != "0" else "1")  # wrong check digit
    rows[3][3] = "12345"
    response = upload(client, xlsx(rows), school=school)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Nothing was imported." in html and 'role="alert"' in html
    assert '<th scope="row">3</th><td>Resident ID number</td>' in html
    assert "The last character does not match" in html
    assert '<th scope="row">5</th><td>Mobile number</td>' in html
    assert '<th scope="row">2</th>' not in html and '<th scope="row">4</th>' not in html
    assert sorted(e.id_number for e in RosterEntry.select()) == sorted(r[1] for r in first)
    assert RosterImport.select().count() == 1


def test_a_new_import_replaces_the_roster_and_relinks_pre_registrations(app, school):
    kept, dropped, added = id_number(), id_number(), id_number()
    stays, leaves, joins = (pre_register(school, n) for n in (kept, dropped, added))
    first = import_file(school, xlsx([["甲", kept], ["乙", dropped]], header=["姓名", "身份证号"]))
    assert (first.rows, first.matched) == (2, 2)
    second = import_file(school, xlsx([["甲", kept, "1班"], ["丙", added, "2班"]]))
    assert (second.rows, second.matched) == (2, 2)
    assert [(e.name, e.class_name) for e in rosters.roster_for_school(school)] == [
        ("甲", "1班"),
        ("丙", "2班"),
    ]
    links = {p.id: p.roster_entry_id for p in PreRegistration.select()}
    entry = {e.id_number: e.id for e in RosterEntry.select()}
    assert links == {stays.id: entry[kept], leaves.id: None, joins.id: entry[added]}
    assert RosterImport.select().count() == 2


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030(app, school, encoding):
    rows = good_rows(2) + [["", "", "", ""]]
    result = import_file(school, csv_bytes(rows, encoding=encoding), filename="名单.CSV")
    assert result.ok and result.rows == 2
    assert sorted(e.name for e in rosters.roster_for_school(school)) == ["学生1", "学生2"]


def test_english_headers_any_case_blank_rows_and_sheet_row_numbers(app, school, english):
    book = Workbook()
    sheet = book.active
    sheet.append([])
    sheet.append([" Mobile ", "NAME", "ID Number", "Class"])
    sheet.append(["", "王五", id_number(), "3班"])
    sheet.append([])
    sheet.append(["", "", "14062320080314", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = rosters.parse_roster("r.xlsx", io.BytesIO(buffer.getvalue()))
    assert [number for number, _values in rows] == [3, 5]
    entries, errors = rosters.check_rows(rows)
    assert [e["name"] for e in entries] == ["王五"]
    assert [(e.row, e.field, str(e.message)) for e in errors] == [
        (5, "name", "Enter the name."),
        (5, "id_number", "An ID number has 18 characters."),
    ]


def test_numbers_excel_mangled_duplicates_and_long_names_are_row_errors(app, school, english):
    number = id_number()
    rows = [
        ["甲", 140623080314131],  # an old 15-digit number in a numeric cell
        ["乙", 1.40623200803141e17],
        ["丙", "1.40623E+17"],
        ["丁", number],
        ["戊", number.lower()],
        ["名" * 51, id_number()],
    ]
    result = import_file(school, xlsx(rows, header=["姓名", "身份证号码"]))
    problems = [(e.row, e.field, str(e.message)) for e in result.errors]
    assert problems[0] == (2, "id_number", "An ID number has 18 characters.")
    assert problems[1][:2] == (3, "id_number") and "1.40623E+17" in problems[1][2]
    assert problems[2][:2] == (4, "id_number") and "Format the column as text" in problems[2][2]
    assert problems[3:] == [
        (6, "id_number", "The same ID number is already on row 5."),
        (7, "name", "At most 50 characters."),
    ]
    assert RosterEntry.select().count() == 0 and AuditEvent.select().count() == 0


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("roster.xls", b"\xd0\xcf\x11\xe0", "Upload an Excel workbook (.xlsx) or a CSV file."),
        ("roster", b"a,b", "Upload an Excel workbook (.xlsx) or a CSV file."),
        ("roster.xlsx", b"not a zip", "could not be read as an Excel workbook"),
        ("roster.csv", b"", "The file is empty."),
        (
            "roster.csv",
            csv_bytes([["张三", "13800138000"]], header=["姓名", "手机"]),
            "Columns missing: Resident ID number.",
        ),
        ("roster.csv", csv_bytes([], header=["学号", "班级"]), "Columns missing: Name, Resident ID number."),
        ("roster.csv", b"x" * (rosters.LIMITS.max_bytes + 1), "larger than 5 MB"),
        ("roster.csv", csv_bytes([["甲", "1"]] * (rosters.LIMITS.max_rows + 1)), "more than 5000 rows"),
    ],
)
def test_files_that_cannot_be_used_raise_a_clear_error(app, school, english, filename, content, message):
    with pytest.raises(rosters.RosterError) as caught:
        import_file(school, content, filename=filename)
    assert message in str(caught.value.message)


def test_upload_page_reports_a_missing_header_or_file_type_at_the_file_field(client, admin, school):
    assert import_file(school, xlsx(good_rows(1))).ok
    response = upload(client, xlsx(good_rows(2), header=["姓名", "班级"]), school=school)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="file-error"' in html and "Columns missing: Resident ID number." in html
    assert "Nothing was imported." in html
    response = upload(client, b"plain text", filename="roster.txt", school=school)
    assert response.status_code == 422
    assert "Upload an Excel workbook (.xlsx) or a CSV file." in response.get_data(as_text=True)
    assert RosterEntry.select().count() == 1 and RosterImport.select().count() == 1


def test_another_centres_school_is_refused(client, admin, school):
    elsewhere = make_centre(name="偏关县学生资助管理中心", region_code="140932")
    other = make_school(elsewhere, name="偏关中学")
    inactive = make_school(school.centre, name="已撤并学校", active=False)
    page = client.get("/admin/rosters").get_data(as_text=True)
    assert "偏关中学" not in page and "已撤并学校" not in page
    for target in (other, inactive):
        response = upload(client, xlsx(good_rows(1)), school=target)
        assert response.status_code == 422
        assert "Choose one of your centre" in response.get_data(as_text=True)
    assert RosterEntry.select().count() == 0
    assert client.get(f"/admin/rosters/{other.id}").status_code == 404


@pytest.mark.parametrize("role", ["leader", "outreach", "desk"])
def test_other_staff_roles_are_refused(client, auth, centre, school, role):
    make_user(centre, role=role, username=f"the-{role}")
    auth.login(f"the-{role}", PASSWORD)
    assert client.get("/admin/rosters").status_code == 403
    assert client.get(f"/admin/rosters/{school.id}").status_code == 403


def test_students_and_anonymous_users_are_refused(client, auth, centre, school):
    response = client.get("/admin/rosters")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    student = make_student(centre)
    auth.login(student.id_number, PASSWORD)
    assert client.get("/admin/rosters").status_code == 403
    data = {
        "csrf_token": csrf_token(client, "/"),
        "school": str(school.id),
        "file": (io.BytesIO(xlsx(good_rows(1))), "roster.xlsx"),
    }
    assert client.post("/admin/rosters", data=data, content_type="multipart/form-data").status_code == 403
    assert RosterImport.select().count() == 0


def test_overview_lists_schools_with_roster_size_and_empty_states(client, admin, school):
    empty = make_school(school.centre, name="右玉县第二中学")
    assert import_file(school, xlsx(good_rows(3))).ok
    html = client.get("/admin/rosters").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert "右玉县第一中学" in html and "右玉县第二中学" in html and "No roster yet" in html
    assert "<td>3</td>" in html
    page = client.get(f"/admin/rosters/{empty.id}").get_data(as_text=True)
    assert "No roster has been imported" in page


def test_a_centre_without_schools_sees_an_empty_state(client, admin):
    html = client.get("/admin/rosters").get_data(as_text=True)
    assert "no active schools yet" in html and "multipart/form-data" not in html


def _workbook_with(sheet_xml: bytes, padding: int = 0) -> bytes:
    """A real workbook whose first sheet is replaced by sheet_xml (and a padding member that
    unpacks to padding bytes): what a hostile or broken exporter could send."""
    book = Workbook()
    book.active.append(["姓名", "身份证号"])
    plain = io.BytesIO()
    book.save(plain)
    crafted = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            target.writestr(item, content)
        if padding:
            target.writestr("xl/media/padding.bin", b"\0" * padding)
    return crafted.getvalue()


@pytest.mark.parametrize(
    "sheet_xml, padding",
    [
        (b'<worksheet><dimension ref="A1:B5"/><sheetData/></worksheet>', 200 * 1024 * 1024),
        (b'<worksheet><dimension ref="A1:XFD9999999"/><sheetData/></worksheet>', 0),
        (b'<worksheet><dimension ref="A1:ZZZ10"/><sheetData/></worksheet>', 0),
    ],
    ids=["unpacks-to-200MB", "absurd-rows", "absurd-columns"],
)
def test_an_absurd_workbook_is_refused_before_it_is_read(client, admin, school, sheet_xml, padding):
    content = _workbook_with(sheet_xml, padding)
    assert len(content) < rosters.LIMITS.max_bytes  # small on the wire
    answer = upload(client, content, school=school)
    assert answer.status_code == 422 and "unpacks to far more" in answer.get_data(as_text=True)
