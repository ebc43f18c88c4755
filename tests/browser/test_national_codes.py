"""The desk scans the national system's two codes into the acceptance form: the scanner's Enter
moves on instead of accepting, a code that is not the imported national list's shows at once,
and the printed receipt carries both codes."""

from datetime import date

from tests.documents_helpers import pdf_text
from tests.factories import (
    PASSWORD,
    make_application,
    make_centre,
    make_co_borrower,
    make_season,
    make_student,
    make_user,
)
from webapp.models import Application, NationalContract, NationalImport


def test_scanning_the_two_codes_checks_them_against_the_national_list(live_server, browser, app):
    centre = make_centre()
    season = make_season(centre, year=date.today().year)
    student = make_student(centre, name="欧阳娜")
    application = make_application(
        student,
        season,
        co_borrower=make_co_borrower(student),
        status="submitted",
        amount_requested=12000,
        loan_term_years=19,
    )
    admin = make_user(centre, role="admin")
    listed = NationalImport.create(centre=centre, season=season, kind="contracts", rows=1, imported_by=admin)
    NationalContract.create(
        centre=centre,
        season=season,
        national_import=listed,
        id_number=student.id_number,
        name=student.name,
        contract_number="HT2026140623001",
        receipt_code="K7Q2M9XP",
        amount=12000,
    )
    clerk = make_user(centre, role="desk", username="window1")
    base = live_server.url
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = context.new_page()
    desk.goto(base + "/login")
    desk.fill("#identifier", clerk.username)
    desk.fill("#password", PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.goto(base + f"/desk/applications/{application.id}")
    for box in desk.locator("input[name='a-materials']").all():
        box.check()
    notice = desk.locator("#national-check")
    assert notice.is_hidden()

    # a scanner types the code and presses Enter: focus moves on, nothing is submitted
    desk.locator("#a-contract_number").press_sequentially("HT2026140623001")
    desk.keyboard.press("Enter")
    assert desk.evaluate("document.activeElement.id") == "a-receipt_code"
    desk.keyboard.type("K7Q2M9XQ")  # one character misread
    desk.keyboard.press("Enter")
    notice.wait_for(state="visible")
    assert "K7Q2M9XP" in notice.inner_text()
    assert Application.get().status == "submitted"

    desk.fill("#a-receipt_code", "K7Q2M9XP")
    notice.wait_for(state="hidden")
    desk.get_by_role("button", name="受理并开具受理证明").click()
    desk.wait_for_selector(".flash-success")
    accepted = Application.get()
    assert (accepted.status, accepted.contract_number, accepted.receipt_code) == (
        "accepted",
        "HT2026140623001",
        "K7Q2M9XP",
    )
    pdf = desk.request.get(base + f"/documents/certificate/{application.id}.pdf")
    text = pdf_text(pdf.body())
    assert "HT2026140623001" in text and "K7Q2M9XP" in text
    context.close()
