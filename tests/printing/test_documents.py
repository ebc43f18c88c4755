"""Printed documents: real PDFs, read back with pdftotext, their fonts and QR code checked."""

import io
from datetime import date

import pytest
import zxingcpp
from pypdf import PdfReader

from tests.documents_helpers import (
    certificate_codes,
    embedded_fonts,
    pdf_text,
    uncovered_characters,
)
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
)
from webapp.models import (
    Application,
    Appointment,
    FamilyMember,
    IssuedDocument,
    PreRegistration,
    PrintedDocument,
)
from webapp.services.printing.print_jobs import amount_in_capitals

DAY = date(2023, 7, 20)


@pytest.fixture
def desk(app, client, auth):
    """A centre with one accepted application booked on DAY, and a desk user signed in."""
    centre = make_centre(
        name="右玉县学生资助管理中心",
        name_en="Youyu County Student Aid Centre",
        address="右玉县新城镇",
        phone="0349-8000000",
    )
    season = make_season(centre)
    school = make_school(centre)
    student = make_student(centre, name="欧阳娜", school=school, class_name="高三(2)班")
    father = make_co_borrower(student)
    application = make_accepted(
        student,
        season,
        co_borrower=father,
        university="山西大学",
        major="数学与应用数学",
        amount_requested=16000,
        loan_term_years=19,
        contract_number="2023140623000001",
    )
    Appointment.create(
        centre=centre,
        season=season,
        student=student,
        application=application,
        service="first_loan",
        day=DAY,
        half_day="morning",
        code="K7P2QX",
        status="checked_in",  # checked in, then accepted at the window
    )
    user = make_user(centre, role="desk", username="desk1")
    auth.login("desk1", PASSWORD)
    return {
        "centre": centre,
        "season": season,
        "school": school,
        "student": student,
        "application": application,
        "user": user,
    }


def get_pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[-500:]
    assert response.mimetype == "application/pdf"
    return response.data


def test_amounts_in_chinese_capitals():
    assert amount_in_capitals(16000) == "壹万陆仟元整"
    assert amount_in_capitals(20000) == "贰万元整"
    assert amount_in_capitals(10050) == "壹万零伍拾元整"
    assert amount_in_capitals(16000, "zh_Hant") == "壹萬陸仟元整"


def test_certificate_is_bilingual_masked_and_carries_a_working_qr_code(client, desk):
    application = desk["application"]
    pdf = get_pdf(client, f"/documents/certificate/{application.id}.pdf")
    text = pdf_text(pdf)
    flat = "".join(text.replace("\u2060", "").split())  # words a line break or a joiner split
    for expected in (
        "生源地信用助学贷款受理证明",
        "Acceptance certificate",
        "合同编号",
        "回执校验码",
        "Receipt verification code",
        "受理证明编号",
        "Certificate number",
        "受理证明查询码",
        "Certificate look-up code",
        "欧阳娜",
        "山西大学",
        "壹万陆仟元整",
        "16,000",
        "2023140623000001",
        "资助中心盖章",
        "Stamp of the centre",
        "学生资助管理部门",  # addressed to the university
        "学号",
        "2023—2024学年",
        "国家助学贷款系统中确认",
    ):
        assert expected in text or expected in flat, expected
    assert desk["student"].id_number not in text
    assert desk["student"].id_number[:6] + "********" + desk["student"].id_number[-4:] in text
    certificate = IssuedDocument.get(IssuedDocument.application == application)
    assert certificate.number in text and certificate.verification_code in text
    codes = certificate_codes(pdf)
    assert [(code.format, code.text) for code in codes] == [
        (
            zxingcpp.BarcodeFormat.QRCode,
            f"http://localhost/verify/?number={certificate.number}&code={certificate.verification_code}",
        )
    ]
    assert len(pdf) < 200_000
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1  # the receipt is one sheet


def test_printed_links_carry_the_public_address_and_the_desk_is_warned_without_it(app, client, desk):
    application = desk["application"]
    client.set_cookie("lang", "en")
    assert "PUBLIC_URL" in client.get("/documents/").get_data(as_text=True)
    assert "PUBLIC_URL" in client.get("/staff/entrance").get_data(as_text=True)

    app.config["PUBLIC_URL"] = "https://zizhu.example.gov.cn/"
    pdf = get_pdf(client, f"/documents/certificate/{application.id}.pdf")
    certificate = IssuedDocument.get(IssuedDocument.application == application)
    [code] = certificate_codes(pdf)
    assert code.text == (
        f"https://zizhu.example.gov.cn/verify/?number={certificate.number}&code={certificate.verification_code}"
    )
    assert "https://zizhu.example.gov.cn/verify/" in pdf_text(pdf)
    assert "PUBLIC_URL" not in client.get("/documents/").get_data(as_text=True)
    assert "PUBLIC_URL" not in client.get("/staff/entrance").get_data(as_text=True)


def test_a_public_address_without_its_scheme_is_refused_at_start(tmp_path):
    from webapp import create_app

    with pytest.raises(ValueError, match="PUBLIC_URL"):
        create_app({"PUBLIC_URL": "zizhu.example.gov.cn", "INSTANCE_PATH": str(tmp_path)})


def test_a_student_sees_the_certificate_and_prints_their_own_forms(client, auth, desk):
    application, student = desk["application"], desk["student"]
    get_pdf(client, f"/documents/certificate/{application.id}.pdf")  # issued at the desk
    certificate = IssuedDocument.get(IssuedDocument.application == application)
    auth.logout()
    auth.login(student.id_number, PASSWORD)
    record = client.get("/me/").get_data(as_text=True)
    assert certificate.number in record and certificate.verification_code in record
    assert application.contract_number in record
    own = client.get(f"/documents/mine/certificate/{application.id}.pdf")
    assert own.mimetype == "application/pdf" and certificate.verification_code in pdf_text(own.data)
    assert f"/documents/mine/certificate/{application.id}.pdf" in record
    form = client.get(f"/documents/mine/application-form/{application.id}.pdf")
    assert form.mimetype == "application/pdf" and student.name in pdf_text(form.data)
    other = make_application(
        make_student(desk["centre"], name="别人"), application.season, status="submitted"
    )
    assert client.get(f"/documents/mine/application-form/{other.id}.pdf").status_code == 404
    assert client.get(f"/documents/mine/certificate/{other.id}.pdf").status_code == 404
    assert client.get(f"/documents/application-form/{application.id}.pdf").status_code == 403


def test_printing_again_keeps_the_certificate_and_records_every_print(client, desk):
    application = desk["application"]
    get_pdf(client, f"/documents/certificate/{application.id}.pdf")
    get_pdf(client, f"/documents/certificate/{application.id}.pdf?lang=zh_Hant")
    assert IssuedDocument.select().where(IssuedDocument.kind == "certificate").count() == 1
    prints = list(PrintedDocument.select().order_by(PrintedDocument.id))
    assert [(p.kind, p.locale, p.printed_by_id) for p in prints] == [
        ("certificate", "zh_Hans", desk["user"].id),
        ("certificate", "zh_Hant", desk["user"].id),
    ]
    assert all(len(p.checksum) == 64 for p in prints) and prints[0].checksum != prints[1].checksum


def test_the_certificate_says_admitted_for_a_new_entrant_and_studying_otherwise(client, desk):
    application = desk["application"]
    application.admission_year = application.season.year
    application.save()
    admitted = pdf_text(get_pdf(client, f"/documents/certificate/{application.id}.pdf"))
    application.admission_year = application.season.year - 2
    application.save()
    studying = pdf_text(get_pdf(client, f"/documents/certificate/{application.id}.pdf"))
    assert "已被" in admitted and "录取" in admitted and "就读于" not in admitted
    assert "就读于" in studying and "已被" not in studying


def test_traditional_chinese_certificate(client, desk):
    pdf = get_pdf(client, f"/documents/certificate/{desk['application'].id}.pdf?lang=zh_Hant")
    text = pdf_text(pdf)
    assert "受理證明" in text and "壹萬陸仟元整" in text and "Acceptance certificate" in text
    assert "欧阳娜" in text  # a person's name prints as entered
    assert (
        "右玉縣學生資助管理中心" in text and "右玉县学生资助管理中心" not in text
    )  # the centre's, in its script
    assert not uncovered_characters(pdf)


def test_application_form_shows_everything_the_bank_needs(client, desk):
    pdf = get_pdf(client, f"/documents/application-form/{desk['application'].id}.pdf")
    text = pdf_text(pdf)
    for expected in (
        "生源地信用助学贷款申请表",
        "Application form",
        "借款学生",
        "Borrower",
        "共同借款人",
        "Co-borrower",
        "欧阳建国",
        "父亲",
        "Father",
        desk["student"].id_number,
        "数学与应用数学",
        "壹万陆仟元整",
        "借款学生签字",
        "Borrower's signature",
    ):
        assert expected in text, expected
    assert not uncovered_characters(pdf)


def test_hardship_form_has_family_table_ticks_and_pledge(client, desk):
    application = desk["application"]
    FamilyMember.create(
        application=application,
        position=0,
        name="欧阳建国",
        age=48,
        relation="father",
        employer="农业合作社",
        occupation="农民",
        annual_income=18000,
        health="healthy",
    )
    FamilyMember.create(
        application=application,
        position=1,
        name="王秀英",
        age=45,
        relation="mother",
        annual_income=0,
        health="serious_illness",
    )
    application.hardship_details = "母亲长期患病，需要定期治疗"
    application.save()
    pdf = get_pdf(client, f"/documents/hardship-form/{application.id}.pdf")
    text = pdf_text(pdf)
    for expected in (
        "家庭经济困难学生认定申请表",
        "家庭成员情况",
        "Family members",
        "年收入（元）",
        "Annual income",
        "孤残学生",
        "Orphaned or disabled student",
        "个人承诺",
        "Personal pledge",
        "欧阳建国",
        "农业合作社",
        "18000",
        "王秀英",
        "重病",
        "Serious illness",
        "母亲长期患病",
    ):
        assert expected in text, expected
    assert not uncovered_characters(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 2  # one sheet, front and back, as the national form


def test_pre_registration_slip(client, auth, desk):
    record = PreRegistration.create(
        centre=desk["centre"],
        uuid="6f1d1f7e-0c7b-4a53-9a53-5d2b1d1f7e01",
        student=desk["student"],
        id_number=desk["student"].id_number,
        name="欧阳娜",
        school=desk["school"],
        class_name="高三(2)班",
        category=1,
        captured_by=desk["user"],
    )
    text = pdf_text(get_pdf(client, f"/documents/pre-registration/{record.id}.pdf"))
    for expected in (
        "预申请回执",
        "Pre-registration slip",
        "欧阳娜",
        "接下来的步骤",
        "Your next steps",
        "脱贫家庭",
    ):
        assert expected in text, expected
    assert desk["student"].id_number not in text


def test_daily_list_and_batches(client, desk):
    text = pdf_text(get_pdf(client, f"/documents/daily-list.pdf?day={DAY}"))
    assert "当日预约名单" in text and "上午" in text and "K7P2QX" in text and "欧阳娜" in text
    number = desk["student"].id_number
    assert number[:6] + "********" + number[-4:] in text  # on one line
    assert "贷款已受理" in text and "已签到" not in text  # the accepted loan, not "checked in"
    for kind in ("certificate", "application_form", "hardship_form"):
        pdf = get_pdf(client, f"/documents/batch.pdf?kind={kind}&day={DAY}&half_day=morning")
        assert "欧阳娜" in pdf_text(pdf)
    assert (
        client.get(f"/documents/batch.pdf?kind=certificate&day={DAY}&half_day=afternoon").status_code == 404
    )
    assert client.get("/documents/batch.pdf?kind=nonsense").status_code == 400
    page = client.get(f"/documents/?day={DAY}").get_data(as_text=True)
    assert "欧阳娜" in page and "batch-progress" in page
    assert "half_day=morning" in page and "half_day=afternoon" not in page  # no button to a 404
    Application.update(hardship_required=False).execute()
    page = client.get(f"/documents/?day={DAY}").get_data(as_text=True)
    assert "/documents/hardship-form/" not in page  # pre-approved: no hardship form offered
    assert client.get(f"/documents/batch.pdf?kind=hardship_form&day={DAY}").status_code == 404


def test_a_name_beyond_the_slim_font_still_prints(client, desk):
    rare = "龑"  # outside GB 2312: printed from the system font
    desk["student"].name = "刘" + rare
    desk["student"].save()
    pdf = get_pdf(client, f"/documents/application-form/{desk['application'].id}.pdf")
    assert "刘" + rare in pdf_text(pdf)
    assert not uncovered_characters(pdf)
    assert any("Noto" in name and rare in chars for name, chars in embedded_fonts(pdf).items())


def test_certificate_needs_an_accepted_application(client, desk):
    application = desk["application"]
    application.status = "submitted"
    application.save()
    assert client.get(f"/documents/certificate/{application.id}.pdf").status_code == 409


def test_documents_are_for_desk_staff_of_the_centre(client, auth, desk):
    other = make_centre(name="偏关县学生资助管理中心", region_code="140932")
    foreign = make_application(make_student(other), make_season(other))
    assert client.get(f"/documents/application-form/{foreign.id}.pdf").status_code == 404
    auth.logout()
    student = desk["student"]
    auth.login(student.id_number, PASSWORD)
    assert client.get(f"/documents/certificate/{desk['application'].id}.pdf").status_code == 403


def test_each_code_has_one_name_on_the_certificate_the_record_and_the_check(client, auth, desk):
    """The national receipt verification code (回执校验码) and the centre's look-up code (受理证明查询码)
    are named alike on the PDF, the student's record and /verify/, and each page says which one the
    university enters in the national system."""
    application, student = desk["application"], desk["student"]
    flat = "".join(pdf_text(get_pdf(client, f"/documents/certificate/{application.id}.pdf")).split())
    assert "高校在国家系统中输入的是上方的合同编号和回执校验码，不是本查询码" in flat
    auth.logout()
    check = client.get("/verify/").get_data(as_text=True)
    assert "受理证明查询码" in check
    auth.login(student.id_number, PASSWORD)
    record = client.get("/me/").get_data(as_text=True)
    assert "回执校验码" in record and "受理证明查询码" in record
    assert "高校在国家系统中输入它们来确认贷款" in record


def test_the_two_codes_keep_their_names_in_every_message():
    """Every message that speaks of a code names it in full, in both scripts and in English: a bare
    校验码 or 查询码 would leave a university guessing which one the national system takes."""
    from babel.messages.pofile import read_po

    for locale, receipt, look_up in (
        ("zh_Hans", "回执校验码", "查询码"),
        ("zh_Hant", "回執校驗碼", "查詢碼"),
    ):
        with open(f"webapp/translations/{locale}/LC_MESSAGES/messages.po", "rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if not message.id or not isinstance(message.string, str):
                continue
            english, chinese = message.id.lower(), message.string
            assert chinese.count(receipt[2:]) == chinese.count(receipt), message.id
            assert ("receipt verification code" in english) == (receipt in chinese), message.id
            assert ("look-up code" in english) == (look_up in chinese), message.id
            assert "receipt code" not in english, message.id


def test_public_verification(client, auth, desk):
    get_pdf(client, f"/documents/certificate/{desk['application'].id}.pdf")
    certificate = IssuedDocument.get()
    auth.logout()
    ok = client.get(
        "/verify/",
        query_string={
            "number": certificate.number,
            "code": certificate.verification_code.lower().replace("-", " "),
        },
    )
    page = ok.get_data(as_text=True)
    assert "受理证明有效" in page and "欧**" in page and "欧阳娜" not in page and "山西大学" in page
    wrong = client.get("/verify/", query_string={"number": certificate.number, "code": "AAAA-AAAA"})
    assert "没有匹配的受理证明" in wrong.get_data(as_text=True)


def test_without_cjk_fonts_printing_says_so(client, desk, app, monkeypatch):
    from webapp.services.printing import fonts

    monkeypatch.setattr(fonts, "system_font", lambda family, weight: None)
    app.extensions.pop("pdf_renderer", None)
    response = client.get(f"/documents/application-form/{desk['application'].id}.pdf")
    assert response.status_code == 503 and "fonts-noto-cjk" in response.get_data(as_text=True)
    assert "fonts-noto-cjk" in client.get("/documents/").get_data(as_text=True)
    app.extensions.pop("pdf_renderer", None)  # the next request builds one with the real fonts again


def test_the_tofu_check_catches_a_character_no_font_has(client, desk):
    desk["student"].name = "欧阳\U000f0001"  # a private-use character: no font draws it
    desk["student"].save()
    pdf = get_pdf(client, f"/documents/application-form/{desk['application'].id}.pdf")
    assert uncovered_characters(pdf) == {"\U000f0001"}


def test_a_large_batch_is_laid_out_in_parts_and_joined_into_one_pdf(client, desk):
    from webapp.services.printing.print_jobs import PARALLEL_FROM

    names = [f"批量{n:02d}" for n in range(PARALLEL_FROM)]
    for name in names:
        student = make_student(desk["centre"], name=name, school=desk["school"])
        application = make_accepted(student, desk["season"], amount_requested=8000)
        Appointment.create(
            centre=desk["centre"],
            season=desk["season"],
            student=student,
            application=application,
            service="first_loan",
            day=DAY,
            half_day="afternoon",
            code=f"B{name[-2:]}XYZ",
        )
    pdf = get_pdf(client, f"/documents/batch.pdf?kind=certificate&day={DAY}&half_day=afternoon")
    text = pdf_text(pdf)
    assert all(name in text for name in names)
    assert text.count("生源地信用助学贷款受理证明") == PARALLEL_FROM
    assert not uncovered_characters(pdf)
    assert PrintedDocument.select().where(PrintedDocument.kind == "certificate").count() == PARALLEL_FROM
