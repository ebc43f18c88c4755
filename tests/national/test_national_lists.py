"""The national system's lists: a contract list exported with its own column order, mapped once
on a page showing its first rows, checked whole, and reconciled with the loans accepted here;
receipts universities confirmed, imported or marked by hand."""

import csv
import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from tests.factories import (
    PASSWORD,
    make_accepted,
    make_application,
    make_centre,
    make_season,
    make_student,
    make_user,
    valid_id_number,
)
from tests.http_helpers import csrf_token
from webapp.models import (
    AuditEvent,
    ColumnMapping,
    NationalContract,
    PendingUpload,
    ReceiptConfirmation,
)
from webapp.services.national import national_lists, reconciliation
from webapp.vocabulary import Discrepancy

# The columns as one national export lays them out: not the order of our fields, one column we
# do not use, and an ID-number title no guess knows.
TITLES = [
    "贷款金额",
    "合同编号",
    "备注",
    "借款学生姓名",
    "借款人证件号",
    "回执校验码",
    "签订日期",
    "贷款类型",
    "高校名称",
]


@pytest.fixture(autouse=True)
def english(client):
    client.set_cookie("lang", "en")


@pytest.fixture
def centre_with_loans(app):
    """Three loans accepted here; the national list (national_rows) has one of them as is, one
    with another amount, and one student not accepted here."""
    centre = make_centre()
    season = make_season(centre, year=2023, confirmation_deadline=date(2023, 12, 15))
    admin = make_user(centre, role="admin", username="admin1")
    same = make_student(centre, name="王一")
    amount_differs = make_student(centre, name="李二")
    here_only = make_student(centre, name="赵三")
    loans = {
        "same": make_accepted(same, season, contract_number="HT2023000001", receipt_code="R0001"),
        "amount": make_accepted(amount_differs, season, contract_number="HT2023000002", receipt_code="R0002"),
        "here_only": make_accepted(here_only, season, contract_number="HT2023000003", receipt_code="R0003"),
    }
    national_only = valid_id_number()
    rows = [
        ["12000", "HT2023000001", "", "王一", same.id_number, "R0001", "2023-08-01", "首贷", "山西大学"],
        [
            "10,000.00",
            "HT2023000002",
            "核对",
            "李二",
            amount_differs.id_number,
            "R0002",
            "2023/8/2",
            "首贷",
            "山西大学",
        ],
        [
            "8000元",
            "HT2023000009",
            "",
            "钱四",
            national_only,
            "R0009",
            "2023年8月3日",
            "续贷",
            "太原理工大学",
        ],
    ]
    return {"centre": centre, "season": season, "admin": admin, "loans": loans, "rows": rows}


def xlsx_bytes(rows, titles=TITLES):
    book = Workbook()
    sheet = book.active
    for row in [titles] + rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows, titles=TITLES, encoding="gb18030"):
    text = io.StringIO()
    csv.writer(text).writerows([titles] + rows)
    return text.getvalue().encode(encoding)


def upload(client, content, filename, kind="contracts", season=None):
    data = {
        "csrf_token": csrf_token(client, "/admin/national"),
        "kind": kind,
        "file": (io.BytesIO(content), filename),
    }
    if season is not None:
        data["season"] = str(season.id)
    return client.post("/admin/national", data=data, content_type="multipart/form-data")


def map_columns(client, location, **overrides):
    """Submit the mapping page as it comes (its guesses), with overrides {field: column index}."""
    html = client.get(location).get_data(as_text=True)
    data = {"csrf_token": csrf_token(client, location), "remember": "y"}
    for key in national_lists.FIELDS["contracts"]:
        data[key] = _selected(html, key)
    data.update({key: str(value) for key, value in overrides.items()})
    return client.post(location, data=data)


def _selected(html, key):
    start = html.index(f'id="map-{key}"')
    select = html[start : html.index("</select>", start)]
    marker = 'selected value="'
    if marker not in select:
        return ""
    return select[select.index(marker) + len(marker) :].split('"', 1)[0]


def test_first_upload_maps_columns_then_reconciles(app, client, auth, centre_with_loans):
    world = centre_with_loans
    auth.login("admin1", PASSWORD)
    answer = upload(client, xlsx_bytes(world["rows"]), "合同清单.xlsx", season=world["season"])
    assert answer.status_code == 302 and "/admin/national/uploads/" in answer.location
    page = client.get(answer.location).get_data(as_text=True)
    assert "HT2023000002" in page and "借款人证件号" in page  # the first rows are shown
    assert _selected(page, "contract_number") == "1" and _selected(page, "amount") == "0"  # guessed
    assert _selected(page, "id_number") == ""  # a title no guess knows: the admin says

    refused = map_columns(client, answer.location)
    assert refused.status_code == 422 and "Choose the column that holds this." in refused.get_data(
        as_text=True
    )
    assert NationalContract.select().count() == 0

    done = map_columns(client, answer.location, id_number=4)
    assert done.status_code == 302 and "/admin/national/reconciliation" in done.location
    assert NationalContract.select().count() == 3
    assert PendingUpload.select().count() == 0  # the held file (ID numbers) is gone

    with app.app_context():
        comparison = reconciliation.compare(world["season"])
    lines = {line.name: line for line in comparison.lines}
    assert lines["王一"].discrepancy == Discrepancy.MATCHED
    assert lines["李二"].discrepancy == Discrepancy.DIFFERING and lines["李二"].differing == ("amount",)
    assert lines["赵三"].discrepancy == Discrepancy.HERE_ONLY
    assert lines["钱四"].discrepancy == Discrepancy.NATIONAL_ONLY
    national = NationalContract.get(NationalContract.contract_number == "HT2023000009")
    assert (national.amount, national.loan_type, national.contract_date) == (
        8000,
        "renewal",
        date(2023, 8, 3),
    )

    page = client.get(done.location).get_data(as_text=True)
    assert "李二" in page and "赵三" in page and "钱四" in page
    assert f"/staff/students/{world['loans']['here_only'].student_id}" in page  # links to the student


def test_a_saved_mapping_is_reused_for_a_gb18030_csv_in_another_order(client, auth, centre_with_loans):
    world = centre_with_loans
    auth.login("admin1", PASSWORD)
    first = upload(client, xlsx_bytes(world["rows"][:1]), "day1.xlsx", season=world["season"])
    map_columns(client, first.location, id_number=4)
    assert ColumnMapping.select().count() == 1

    order = [8, 7, 6, 5, 4, 3, 2, 1, 0]  # the same titles, every column moved
    rows = [[row[i] for i in order] for row in world["rows"]]
    answer = upload(client, csv_bytes(rows, [TITLES[i] for i in order]), "day2.csv", season=world["season"])
    assert answer.status_code == 302 and "/admin/national/reconciliation" in answer.location
    assert NationalContract.select().count() == 3  # the first day's row replaced, not doubled
    assert NationalContract.get(NationalContract.contract_number == "HT2023000002").amount == 10000


def test_a_bad_row_is_reported_with_its_line_and_nothing_is_written(client, auth, centre_with_loans):
    world = centre_with_loans
    auth.login("admin1", PASSWORD)
    first = upload(client, xlsx_bytes(world["rows"][:1]), "ok.xlsx", season=world["season"])
    map_columns(client, first.location, id_number=4)
    before = NationalContract.select().count()

    rows = world["rows"] + [
        [
            "一万二",
            "HT2023000010",
            "",
            "孙五",
            "140623200801011234",
            "R0010",
            "2023-13-01",
            "贴息",
            "山西大学",
        ],
        ["12000", "HT2023000001", "", "周六", valid_id_number(), "R0011", "", "", ""],
    ]
    answer = upload(client, csv_bytes(rows), "bad.csv", season=world["season"])
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "Nothing was imported." in html
    # the header is line 1: the bad rows are lines 5 and 6 of the file
    assert '<th scope="row">5</th>' in html and '<th scope="row">6</th>' in html
    assert "Write the amount in whole yuan" in html and "Write the date as 2026-08-01." in html
    assert "The same value is already on row 2." in html  # the contract number of line 6
    assert NationalContract.select().count() == before


def test_resolving_a_difference_is_audited_and_undone_by_a_change(app, client, auth, centre_with_loans):
    world = centre_with_loans
    season = world["season"]
    with app.app_context():
        import_rows(world)
        line = next(line for line in reconciliation.compare(season).lines if line.name == "李二")
    auth.login("admin1", PASSWORD)
    path = f"/admin/national/reconciliation?season={season.id}"

    empty = client.post(
        f"/admin/national/reconciliation/resolve?season={season.id}",
        data={"csrf_token": csrf_token(client, path), "key": line.key, "note": " "},
        follow_redirects=True,
    )
    assert "Write what you found or did" in empty.get_data(as_text=True)

    client.post(
        f"/admin/national/reconciliation/resolve?season={season.id}",
        data={"csrf_token": csrf_token(client, path), "key": line.key, "note": "银行系统已改为 10000 元"},
    )
    event = AuditEvent.get(AuditEvent.action == "national.resolved")
    assert "银行系统已改为 10000 元" in event.details
    with app.app_context():
        comparison = reconciliation.compare(season)
        assert comparison.open_count == 2 and next(x for x in comparison.lines if x.name == "李二").resolved
        loan = world["loans"]["amount"]
        loan.amount_requested = 9000
        loan.save()
        assert not next(x for x in reconciliation.compare(season).lines if x.name == "李二").resolved


def test_the_differences_export_reads_back(app, client, auth, centre_with_loans):
    world = centre_with_loans
    season = world["season"]
    with app.app_context():
        import_rows(world)
    auth.login("admin1", PASSWORD)
    answer = client.get(f"/admin/national/reconciliation/differences.xlsx?season={season.id}")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"李二", "赵三", "钱四"}
    assert by_name["李二"][8:10] == (12000, 10000)
    assert by_name["赵三"][2] == world["loans"]["here_only"].student.id_number
    assert AuditEvent.select().where(AuditEvent.action == "export.differences").count() == 1


def test_a_date_range_keeps_a_loan_signed_a_day_later_matched(app, centre_with_loans):
    world = centre_with_loans
    season = world["season"]
    with app.app_context():
        import_rows(world)
        comparison = reconciliation.compare(season, date(2023, 8, 3), date(2023, 8, 3))
    assert {line.name for line in comparison.lines} == {"钱四"}  # the loans here were accepted today


def test_confirmations_imported_and_marked_by_hand(client, auth, centre_with_loans):
    world = centre_with_loans
    season, loans = world["season"], world["loans"]
    auth.login("admin1", PASSWORD)
    titles = ["合同编号", "确认日期", "高校名称"]
    rows = [["HT2023000001", "2023-09-10", "山西大学"], ["HT2023000099", "2023-09-10", "北京大学"]]
    first = upload(client, xlsx_bytes(rows, titles), "confirmed.xlsx", kind="confirmations", season=season)
    assert "/admin/national/uploads/" in first.location  # confirmations have their own mapping
    page = client.get(first.location).get_data(as_text=True)
    answer = client.post(
        first.location,
        data={
            "csrf_token": csrf_token(client, first.location),
            "remember": "y",
            **{key: _selected(page, key) for key in national_lists.FIELDS["confirmations"]},
        },
        follow_redirects=True,
    )
    html = answer.get_data(as_text=True)
    assert "Rows naming no loan here" in html and "3" in html
    confirmation = ReceiptConfirmation.get()
    assert confirmation.application_id == loans["same"].id and confirmation.confirmed_on == date(2023, 9, 10)

    assert "赵三" in html and "王一" not in html.split("<h1>", 1)[1]  # still waiting, by university
    client.post(
        f"/admin/national/confirmations/{loans['here_only'].id}",
        data={
            "csrf_token": csrf_token(client, f"/admin/national/confirmations?season={season.id}"),
            "confirmed_on": "2023-09-12",
        },
    )
    assert ReceiptConfirmation.select().count() == 2
    assert AuditEvent.select().where(AuditEvent.action == "receipt.confirmed").count() == 1
    dashboard = client.get(f"/admin/dashboard?season={season.id}").get_data(as_text=True)
    assert "Receipts universities have not confirmed" in dashboard


def test_a_future_confirmation_date_is_refused(client, auth, centre_with_loans):
    world = centre_with_loans
    auth.login("admin1", PASSWORD)
    path = f"/admin/national/confirmations?season={world['season'].id}"
    answer = client.post(
        f"/admin/national/confirmations/{world['loans']['same'].id}",
        data={"csrf_token": csrf_token(client, path), "confirmed_on": "2999-01-01"},
        follow_redirects=True,
    )
    assert answer.status_code == 200 and "cannot be in the future" in answer.get_data(as_text=True)
    assert ReceiptConfirmation.select().count() == 0


def test_another_centres_upload_and_the_leader(client, auth, centre_with_loans):
    world = centre_with_loans
    other = make_centre(name="另一个中心", region_code="140624")
    make_user(other, role="admin", username="admin2")
    make_user(world["centre"], role="leader", username="leader1")
    auth.login("admin1", PASSWORD)
    held = upload(client, xlsx_bytes(world["rows"]), "l.xlsx", season=world["season"]).location
    auth.logout()
    auth.login("admin2", PASSWORD)
    assert client.get(held).status_code == 302  # not found for another centre: upload again
    assert NationalContract.select().count() == 0
    auth.logout()
    auth.login("leader1", PASSWORD)
    assert client.get("/admin/national").status_code == 403
    assert client.get("/admin/national/reconciliation").status_code == 200


@pytest.mark.parametrize(
    ("text", "amount"),
    [("12000", 12000), ("12,000.00", 12000), ("8000元", 8000), ("1.5", None), ("abc", None)],
)
def test_amounts(text, amount):
    assert national_lists.parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023-08-01", date(2023, 8, 1)),
        ("2023/8/1", date(2023, 8, 1)),
        ("2023年8月1日", date(2023, 8, 1)),
        ("20230801", date(2023, 8, 1)),
        ("2023-08-01 10:30:00", date(2023, 8, 1)),
        ("2023-02-30", None),
        ("08/01/2023", None),
    ],
)
def test_dates(text, day):
    assert national_lists.parse_date(text) == day


COLUMNS = {
    "amount": 0,
    "contract_number": 1,
    "name": 3,
    "id_number": 4,
    "receipt_code": 5,
    "date": 6,
    "loan_type": 7,
    "university": 8,
}


def import_rows(world):
    """The contract list written straight through the service (its mapping known)."""
    source = ("list.xlsx", xlsx_bytes(world["rows"]))
    result = national_lists.import_list(world["season"], "contracts", source, COLUMNS, world["admin"])
    assert result.ok, result.errors


def test_the_desk_sees_a_code_of_another_student_at_once(app, client, auth, centre_with_loans):
    world = centre_with_loans
    with app.app_context():
        import_rows(world)
    student = make_student(world["centre"], name="新生")
    application = make_application(student, world["season"], status="submitted")
    make_user(world["centre"], role="desk", username="desk1")
    auth.login("desk1", PASSWORD)
    check = f"/desk/applications/{application.id}/national-check"
    answer = client.get(check, query_string={"contract_number": "HT2023000002", "receipt_code": "R0009"})
    assert answer.json["messages"] == [
        "In the national list, contract number HT2023000002 is 李二's.",
        "In the national list, receipt verification code R0009 is 钱四's.",
    ]
    assert client.get(check, query_string={"contract_number": "HT2099999999"}).json["messages"] == []

    listed = world["loans"]["amount"]  # 10000 in the national list, 12000 here
    page = client.get(f"/desk/applications/{listed.id}").get_data(as_text=True)
    assert "The national list has 10000 yuan a year; this application has 12000." in page

    other = make_centre(name="另一个中心", region_code="140624")
    elsewhere = make_application(make_student(other), make_season(other), status="submitted")
    assert client.get(f"/desk/applications/{elsewhere.id}/national-check").status_code == 404
