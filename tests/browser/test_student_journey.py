"""A student's whole journey on a phone: sign up, find the school's pre-registration, fill in
the application, book a half-day and read the confirmation; in Chinese and in English."""

import uuid
from datetime import date

import pytest

from tests.documents_helpers import pdf_text
from tests.factories import (
    PASSWORD,
    make_application,
    make_centre,
    make_school,
    make_season,
    make_student,
    make_user,
    next_weekday,
    valid_id_number,
)
from tests.http_helpers import code_sent_to
from webapp.models import Application, Appointment, FamilyMember, PreRegistration

pytestmark = pytest.mark.browser

TEXT = {
    "zh_Hans": {
        "send_code": "获取验证码",
        "signup": "注册",
        "prereg": "已在学校完成预申请",
        "fill": "填写贷款申请",
        "save": "保存",
        "submit": "提交申请",
        "book": "预约",
        "bring": "请携带",
    },
    "en": {
        "send_code": "Send me a code",
        "signup": "Create account",
        "prereg": "Pre-registered at your school",
        "fill": "Fill in the application",
        "save": "Save",
        "submit": "Submit the application",
        "book": "Book",
        "bring": "Bring with you",
    },
}


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_sign_up_apply_and_book_on_a_phone(live_server, phone, app, language):
    centre = make_centre()
    season = make_season(centre, year=date.today().year + 1)
    school = make_school(centre)
    number = valid_id_number()
    PreRegistration.create(
        centre=centre, uuid=uuid.uuid4(), id_number=number, name="林小雨", school=school, category=2
    )
    words = TEXT[language]
    base = live_server.url
    if language == "en":
        phone.context.add_cookies([{"name": "lang", "value": "en", "url": base}])

    sign_up_on_phone(
        phone,
        base,
        {"#id_number": number, "#name": "林小雨", "#mobile": "13912340000"},
        words["send_code"],
        words["signup"],
    )
    assert words["prereg"] in phone.inner_text("main")

    phone.get_by_role("link", name=words["fill"]).click()
    steps = {
        "personal": PERSONAL,
        "co_borrower": {
            "#name": "林建华",
            "#id_number": valid_id_number(birth=date(1994, 5, 5)),
            "#mobile": "13812340000",
        },
        "study": {
            "#university": "山西大学",
            "#major": "化学",
            "#study_years": "4",
            "#admission_year": str(season.year),
            "#tuition_fee": "4500",
            "#accommodation_fee": "1000",
        },
        "loan": {"#amount": "10000", "#one_loan": True},
    }
    fill_steps(phone, base, steps, words["save"])
    phone.get_by_role("button", name=words["submit"]).click()
    phone.wait_for_url(base + "/me/booking?service=first_loan")

    phone.locator(f"input[value='{next_weekday(season.acceptance_start)}|morning']").check()
    phone.get_by_role("button", name=words["book"], exact=True).click()
    phone.wait_for_url(f"{base}/me/booking/*")
    confirmation = phone.inner_text("main")
    code = Appointment.get().code
    assert code in confirmation and words["bring"] in confirmation
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def sign_up_on_phone(phone, base, fields, send_code, create):
    """Type who one is, ask for the code, read it from the text message (the log backend's
    row), and create the account."""
    phone.goto(base + "/signup")
    for selector, value in fields.items():
        phone.fill(selector, value)
    phone.get_by_role("button", name=send_code).click()
    phone.wait_for_selector(".flash")
    phone.fill("#code", code_sent_to(fields["#mobile"]))
    phone.fill("#password", "long-enough")
    phone.fill("#confirm", "long-enough")
    phone.get_by_role("button", name=create).click()
    phone.wait_for_url(base + "/me/")


# The "personal" step: 民族, 政治面貌, 入学前户口 take a value; the rest is typed.
PERSONAL = {
    "#ethnicity": "01",
    "#political_status": "cyl_member",
    "#hukou_type": "rural",
    "#household_size": "4",
    "#home_address": "山西省朔州市右玉县新城镇幸福街 8 号",
    "#postcode": "037200",
}


def fill_steps(phone, base, steps, save):
    """Each application step on its own page: fill the fields (a select takes its value, a
    checkbox True), save."""
    for step, fields in steps.items():
        phone.goto(base + f"/me/application/{step}")
        for selector, value in fields.items():
            if value is True:
                phone.check(selector)
            elif phone.locator(selector).evaluate("e => e.tagName") == "SELECT":
                phone.select_option(selector, value)
            else:
                phone.fill(selector, value)
        phone.get_by_role("button", name=save, exact=True).click()
        phone.wait_for_url(base + "/me/application")


def sign_in(phone, base, student):
    phone.goto(base + "/login")
    phone.fill("#identifier", student.id_number)
    phone.fill("#password", PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(base + "/me/")


def test_the_family_hardship_step_on_a_phone(live_server, phone, app):
    """Not pre-approved: the table of family members, a row added, ticks and the pledge."""
    centre = make_centre()
    season = make_season(centre, year=date.today().year + 1)
    student = make_student(centre, name="白小云")
    base = live_server.url
    sign_in(phone, base, student)
    phone.goto(base + "/me/application/hardship")
    rows = {0: ("白建军", "50", "father", "务农", "12000"), 4: ("白小明", "15", "sibling", "", "0")}
    phone.get_by_role("button", name="添加一位家庭成员").click()
    for index, (name, age, relation, occupation, income) in rows.items():
        phone.fill(f"#members-{index}-name", name)
        phone.fill(f"#members-{index}-age", age)
        phone.select_option(f"#members-{index}-relation", relation)
        phone.fill(f"#members-{index}-occupation", occupation)
        phone.fill(f"#members-{index}-annual_income", income)
    phone.get_by_label("单亲家庭", exact=True).check()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="保存", exact=True).click()
    assert "请勾选个人承诺" in phone.inner_text("main")  # refused, and nothing typed is lost
    assert phone.input_value("#members-4-name") == "白小明"
    phone.locator("#pledge").check()
    phone.get_by_role("button", name="保存", exact=True).click()
    phone.wait_for_url(base + "/me/application")
    application = Application.get(Application.season == season)
    assert [m.name for m in application.family_members.order_by(FamilyMember.position)] == [
        "白建军",
        "白小明",
    ]
    assert application.hardship_factors == "single_parent"


def test_a_renewal_declaration_on_a_phone(live_server, phone, app):
    centre = make_centre()
    last = make_season(centre, year=date.today().year, is_current=False)
    make_season(centre, year=date.today().year + 1)
    student = make_student(centre, name="钱多多")
    make_application(student, last, status="accepted", amount_requested=9000)
    base = live_server.url
    sign_in(phone, base, student)
    assert "待办理续贷" in phone.inner_text("main")
    phone.get_by_role("link", name="打开我的续贷").click()
    phone.fill("#year_of_study", "2")
    phone.fill("#amount", "11000")
    phone.check("#one_loan")
    phone.get_by_role("button", name="提交续贷声明").click()
    phone.wait_for_url(base + "/me/renewal")
    assert "等待中心审核" in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    renewal = Application.get(Application.kind == "renewal")
    assert (renewal.status, renewal.amount_requested, renewal.study_progress) == (
        "submitted",
        11000,
        "on_track",
    )


def test_first_loan_with_a_youyu_parent_born_1976_to_the_printed_certificate(live_server, browser, app):
    """The parent's county code (140623, from 1993) is younger than the parent: accepted on the
    phone, at the window, and printed on the certificate."""
    centre = make_centre()
    season = make_season(centre, year=date.today().year + 1, cap_undergraduate=20000, cap_postgraduate=25000)
    school = make_school(centre)
    number = valid_id_number(region="140623", birth=date(2008, 9, 1))
    father_number = valid_id_number(region="140623", birth=date(1976, 5, 1))
    PreRegistration.create(
        centre=centre, uuid=uuid.uuid4(), id_number=number, name="王小川", school=school, category=1
    )
    clerk = make_user(centre, role="desk", username="window1")
    base = live_server.url
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = phone_context.new_page()
    sign_up_on_phone(
        phone, base, {"#id_number": number, "#name": "王小川", "#mobile": "13912345601"}, "获取验证码", "注册"
    )
    steps = {
        "personal": PERSONAL,
        "co_borrower": {
            "#name": "王建军",
            "#relation": "father",
            "#id_number": father_number,
            "#mobile": "13812345601",
        },
        "study": {
            "#university": "山西大学",
            "#major": "化学",
            "#study_years": "4",
            "#admission_year": str(season.year),
            "#tuition_fee": "4500",
            "#accommodation_fee": "1000",
        },
        "loan": {"#amount": "12000", "#one_loan": True},
    }
    fill_steps(phone, base, steps, "保存")
    assert "19" in phone.inner_text("main")  # the term: 4 years left + 15
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_url(base + "/me/booking?service=first_loan")
    phone_context.close()
    application = Application.get()
    assert application.status == "submitted" and application.co_borrower.id_number == father_number

    desk_context = browser.new_context(viewport={"width": 1280, "height": 900})
    desk = desk_context.new_page()
    desk.goto(base + "/login")
    desk.fill("#identifier", clerk.username)
    desk.fill("#password", PASSWORD)
    desk.get_by_role("button", name="登录").click()
    desk.goto(base + f"/desk/applications/{application.id}")
    for box in desk.locator("input[name='a-materials']").all():
        box.check()
    desk.fill("#a-contract_number", "HT2027140623001")
    desk.fill("#a-receipt_code", "K7Q2M9XP")  # and accept in one press: no "save" first
    desk.get_by_role("button", name="受理并开具受理证明").click()
    desk.wait_for_selector(".flash-success")
    assert Application.get().status == "accepted"
    pdf = desk.request.get(base + f"/documents/certificate/{application.id}.pdf")
    assert pdf.status == 200
    text = pdf_text(pdf.body())
    assert "王小川" in text and "HT2027140623001" in text
    desk_context.close()


@pytest.mark.parametrize("captured", ["13900001111", ""])
def test_a_student_the_school_recorded_with_another_mobile_signs_up_to_the_record(
    live_server, phone, app, captured
):
    """Outreach typed a parent's number, or none: the student proves their own and sees the
    record at once, with the pre-registration; nobody is sent to the desk."""
    centre = make_centre()
    make_season(centre, year=date.today().year + 1)
    school = make_school(centre)
    student = make_student(centre, name="秦小川", with_account=False)
    student.mobile = captured
    student.save()
    PreRegistration.create(centre=centre, uuid=uuid.uuid4(), id_number=student.id_number, name="秦小川",
                           school=school, category=2, student=student, mobile=captured)  # fmt: skip
    words = TEXT["zh_Hans"]
    sign_up_on_phone(
        phone,
        live_server.url,
        {"#id_number": student.id_number, "#name": "秦小川", "#mobile": "13912349999"},
        words["send_code"],
        words["signup"],
    )
    main = phone.inner_text("main")
    assert words["prereg"] in main and "户口本" not in main
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
