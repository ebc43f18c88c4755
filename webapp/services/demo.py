"""Demo data: the reference county (右玉县), one season, two schools, every role, five students."""
import uuid
from datetime import date, datetime, time, timedelta

from stdnum.cn import ric

from webapp.db import database
from webapp.models import (Application, Appointment, Centre, FamilyMember, Guardian, IssuedDocument,
                           PreRegistration, RosterEntry, School, SchoolVisit, Season, ServiceQuota,
                           Student, User, utcnow)

from .passwords import hash_password

DEMO_PASSWORD = "demo1234"
REGION = "140623"
STAFF = [("admin", "admin", "赵管理"), ("leader", "leader", "钱主任"),
         ("outreach", "outreach", "孙老师"), ("desk", "desk", "周窗口")]
# (name, birth date, sequence, mobile, stage)
STUDENTS = [
    ("张伟", date(2008, 3, 14), "131", "13800000001", "signed_up"),
    ("李娜", date(2008, 5, 2), "242", "13800000002", "pre_registered"),
    ("王芳", date(2007, 11, 20), "262", "13800000003", "draft"),
    ("刘洋", date(2008, 1, 9), "173", "13800000004", "booked"),
    ("陈静", date(2007, 9, 30), "284", "13800000005", "certificate"),
]


def demo_id_number(birth, sequence):
    body = f"{REGION}{birth:%Y%m%d}{sequence}"
    return body + ric.calc_check_digit(body + "0")


def seed_demo(today=None):
    """Create the demo centre and its data; returns False when it is already there."""
    today = today or date.today()
    if Centre.select().where(Centre.region_code == REGION).exists():
        return False
    with database.atomic():
        centre = Centre.create(name="右玉县学生资助管理中心", name_en="Youyu County Student Aid Centre",
                               region_code=REGION, address="山西省朔州市右玉县新城镇",
                               phone="0349-8000000")
        season = _season(centre, today.year)
        schools = [School.create(centre=centre, name="右玉县第一中学", kind="general", code="YY01"),
                   School.create(centre=centre, name="右玉县职业中学", kind="vocational", code="YY02")]
        staff = {role: User.create(centre=centre, role=role, username=username, name=name,
                                   password_hash=hash_password(DEMO_PASSWORD))
                 for role, username, name in STAFF}
        User.create(role="province", username="province", name="省中心", centre=None,
                    password_hash=hash_password(DEMO_PASSWORD))
        for index, (name, birth, seq, mobile, stage) in enumerate(STUDENTS):
            _student(centre, season, schools[index % 2], staff, name, birth, seq, mobile, stage, today)
        _outreach(centre, schools[0], staff["outreach"], today)
    return True


# Graduates on the first school's roster who have not been pre-registered yet.
ROSTER = [("吴敏", date(2008, 2, 11), "322", "高三(1)班"), ("郑强", date(2008, 7, 23), "351", "高三(1)班"),
          ("冯雪", date(2007, 12, 5), "368", "高三(2)班"), ("褚磊", date(2008, 4, 18), "395", "高三(3)班")]


def _outreach(centre, school, outreach, today):
    """A roster to pick names from, one visit, and a possible duplicate waiting for review."""
    for name, birth, seq, class_name in ROSTER:
        RosterEntry.create(centre=centre, school=school, id_number=demo_id_number(birth, seq),
                           name=name, class_name=class_name)
    SchoolVisit.create(centre=centre, uuid=_uuid("visit-1"), school=school,
                       visited_on=today - timedelta(days=30), leaflets=120, students_reached=86,
                       notes="高三年级宣讲会", captured_by=outreach, device_id="demo")
    first = PreRegistration.get(PreRegistration.name == "李娜")
    PreRegistration.create(centre=centre, uuid=_uuid("duplicate-" + first.id_number),
                           student=first.student, id_number=first.id_number, name=first.name,
                           mobile="13900000022", school=first.school, class_name=first.class_name,
                           category=first.category, status="possible_duplicate", duplicate_of=first,
                           captured_by=outreach, device_id="demo-2",
                           captured_at=utcnow() - timedelta(days=29))


def _season(centre, year):
    season = Season.create(centre=centre, year=year, name=f"{year}年生源地信用助学贷款",
                           acceptance_start=date(year, 7, 17), acceptance_end=date(year, 9, 25),
                           contract_change_start=date(year, 9, 1),
                           contract_change_end=date(year, 10, 31),
                           cap_undergraduate=20000, cap_postgraduate=25000, is_current=True)
    for service in ("first_loan", "renewal"):
        for half_day in ("morning", "afternoon"):
            ServiceQuota.create(season=season, service=service, half_day=half_day, places=30)
    return season


def _student(centre, season, school, staff, name, birth, seq, mobile, stage, today):
    number = demo_id_number(birth, seq)
    student = Student.create(centre=centre, id_number=number, name=name, birth_date=birth,
                             sex="M" if int(number[16]) % 2 else "F", mobile=mobile,
                             school=school, class_name="高三(2)班")
    User.create(centre=centre, role="student", username=number, name=name, mobile=mobile,
                password_hash=hash_password(DEMO_PASSWORD), student=student)
    parent = Guardian.create(student=student, name=name[0] + "建国", relation="father",
                             mobile="139" + mobile[3:], is_co_borrower=True)
    if stage == "signed_up":
        return
    PreRegistration.create(centre=centre, uuid=_uuid(number), student=student, id_number=number,
                           name=name, mobile=mobile, school=school, class_name=student.class_name,
                           guardian_name=parent.name, guardian_relation="father",
                           guardian_mobile=parent.mobile, category=1 if seq.endswith("2") else 0,
                           captured_by=staff["outreach"], device_id="demo",
                           captured_at=utcnow() - timedelta(days=30))
    if stage == "pre_registered":
        return
    application = Application.create(
        centre=centre, season=season, student=student, co_borrower=parent,
        university="山西大学", department="数学科学学院", major="数学与应用数学",
        level="undergraduate", study_years=4, admission_year=season.year,
        tuition_fee=5000, accommodation_fee=1200, amount_requested=12000,
        loan_term_years=season.loan_term(4), hardship_required=not seq.endswith("2"),
        status="draft" if stage == "draft" else "submitted")
    if stage == "draft":
        return
    if application.hardship_required:
        _family(application, parent)
    day = max(season.acceptance_start, min(today, season.acceptance_end))
    Appointment.create(centre=centre, season=season, student=student, application=application,
                       service="first_loan", day=day, half_day="morning",
                       code=f"DEMO{seq}", status="booked" if stage == "booked" else "done")
    if stage == "certificate":
        # accepted at 10:00 Beijing time on the appointment day
        application.status = "accepted"
        application.accepted_at = datetime.combine(day, time(2, 0))
        application.contract_number = f"{season.year}{REGION}0001"
        application.save()
        IssuedDocument.create(centre=centre, kind="certificate", student=student,
                              application=application, number=f"SL{season.year}-{REGION}-00001",
                              verification_code="7KQ4-M2XP", issued_by=staff["desk"],
                              issued_at=application.accepted_at)


def _family(application, parent):
    """The family-hardship data a student enters online before submitting."""
    FamilyMember.create(application=application, position=0, name=parent.name, age=49,
                        relation="father", employer="右玉县农业合作社", occupation="农民",
                        annual_income=16000, health="healthy")
    FamilyMember.create(application=application, position=1, name="王秀英", age=46,
                        relation="mother", annual_income=0, health="chronic_illness")
    application.special_groups, application.hardship_factors = "subsistence", "low_income,illness"
    application.pledge_signed_at = utcnow()
    application.save()


def _uuid(number):
    return uuid.uuid5(uuid.NAMESPACE_OID, "demo-prereg-" + number)
