"""A student's whole journey on a phone: sign up, find the school's pre-registration, fill in
the application, book a half-day and read the confirmation; in Chinese and in English."""
import uuid
from datetime import date

import pytest

from tests.factories import make_centre, make_school, make_season, next_weekday, valid_id_number
from webapp.models import Appointment, PreRegistration

pytestmark = pytest.mark.browser

TEXT = {
    "zh_Hans": {"signup": "注册", "prereg": "已在学校完成预申请", "fill": "填写贷款申请",
                "save": "保存", "submit": "提交申请", "book": "预约", "bring": "请携带"},
    "en": {"signup": "Create account", "prereg": "Pre-registered at your school",
           "fill": "Fill in the application", "save": "Save", "submit": "Submit the application",
           "book": "Book", "bring": "Bring with you"},
}


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_sign_up_apply_and_book_on_a_phone(live_server, phone, app, language):
    centre = make_centre()
    season = make_season(centre, year=date.today().year + 1)
    school = make_school(centre)
    number = valid_id_number()
    PreRegistration.create(centre=centre, uuid=uuid.uuid4(), id_number=number, name="林小雨",
                           school=school, category=2)
    words = TEXT[language]
    base = live_server.url
    if language == "en":
        phone.context.add_cookies([{"name": "lang", "value": "en", "url": base}])

    phone.goto(base + "/signup")
    phone.fill("#id_number", number)
    phone.fill("#name", "林小雨")
    phone.fill("#mobile", "13912340000")
    phone.fill("#password", "long-enough")
    phone.fill("#confirm", "long-enough")
    phone.get_by_role("button", name=words["signup"]).click()
    phone.wait_for_url(base + "/me/")
    assert words["prereg"] in phone.inner_text("main")

    phone.get_by_role("link", name=words["fill"]).click()
    steps = {
        "co_borrower": {"#name": "林建华", "#id_number": valid_id_number(birth=date(1994, 5, 5)),
                        "#mobile": "13812340000"},
        "study": {"#university": "山西大学", "#major": "化学", "#study_years": "4",
                  "#admission_year": str(season.year), "#tuition_fee": "4500",
                  "#accommodation_fee": "1000"},
        "loan": {"#amount": "10000"},
    }
    for step, fields in steps.items():
        phone.goto(base + f"/me/application/{step}")
        for selector, value in fields.items():
            phone.fill(selector, value)
        phone.get_by_role("button", name=words["save"], exact=True).click()
        phone.wait_for_url(base + "/me/application")
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
