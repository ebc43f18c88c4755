"""Demo data: the reference county (右玉县), this season and last, two schools, every role, five
first-loan students at different stages and two renewing students."""

import uuid
from datetime import date, datetime, time, timedelta

from stdnum.cn import ric

from webapp.clock import local_today
from webapp.db import database
from webapp.models import (
    Application,
    Appointment,
    Centre,
    DutyAssignment,
    FamilyMember,
    Guardian,
    IssuedDocument,
    NationalContract,
    NationalImport,
    OwedMaterial,
    PreRegistration,
    RosterEntry,
    School,
    SchoolVisit,
    Season,
    Student,
    User,
    utcnow,
)
from webapp.services.booking import quotas
from webapp.services.casework.loan_rules import loan_term
from webapp.services.casework.season_loans import is_loan
from webapp.services.identity.accounts import student_username
from webapp.services.identity.passwords import hash_password
from webapp.vocabulary import (
    ApplicationStatus,
    AppointmentStatus,
    DocumentKind,
    Ethnicity,
    HalfDay,
    HardshipFactor,
    Health,
    HukouType,
    Level,
    MemberRelation,
    NationalList,
    PoliticalStatus,
    PreregStatus,
    Relation,
    Role,
    SchoolKind,
    Service,
    SpecialGroup,
    StudyProgress,
)

DEMO_PASSWORD = "demo1234"  # noqa: S105 (the demo's published password, README)
REGION = "140623"
STAFF = [
    (Role.ADMIN, "admin", "赵管理"),
    (Role.LEADER, "leader", "钱主任"),
    (Role.OUTREACH, "outreach", "孙老师"),
    (Role.DESK, "desk", "周窗口"),
]
# (name, birth date, sequence, mobile, stage)
STUDENTS = [
    ("张伟", date(2008, 3, 14), "131", "13800000001", "signed_up"),
    ("李娜", date(2008, 5, 2), "242", "13800000002", "pre_registered"),
    ("王芳", date(2007, 11, 20), "262", "13800000003", "draft"),
    ("刘洋", date(2008, 1, 9), "173", "13800000004", "booked"),
    ("陈静", date(2007, 9, 30), "284", "13800000005", "certificate"),
    ("杨帆", date(2006, 6, 15), "115", "13800000006", "renewal_due"),
    ("黄丽", date(2006, 10, 8), "226", "13800000007", "renewal_sent"),
    ("孙浩", date(2004, 4, 21), "137", "13800000008", "new_stage"),
]


def demo_id_number(birth: date, sequence: str) -> str:
    body = f"{REGION}{birth:%Y%m%d}{sequence}"
    return body + ric.calc_check_digit(body + "0")


def seed_demo(today: date | None = None) -> bool:
    """Create the demo centre and its data; returns False when it is already there."""
    today = today or local_today()
    if Centre.select().where(Centre.region_code == REGION).exists():
        return False
    with database.atomic():
        centre = Centre.create(
            name="右玉县学生资助管理中心",
            name_en="Youyu County Student Aid Centre",
            region_code=REGION,
            address="山西省朔州市右玉县新城镇",
            phone="0349-8000000",
        )
        season = _season(centre, today)
        last_season = Season.create(
            centre=centre,
            year=today.year - 1,
            name=f"{today.year - 1}年生源地信用助学贷款",
            acceptance_start=date(today.year - 1, 7, 17),
            acceptance_end=date(today.year - 1, 9, 25),
            cap_undergraduate=20000,
            cap_postgraduate=25000,
        )
        schools = [
            School.create(centre=centre, name="右玉县第一中学", kind=SchoolKind.GENERAL, code="YY01"),
            School.create(centre=centre, name="右玉县职业中学", kind=SchoolKind.VOCATIONAL, code="YY02"),
        ]
        staff = {
            role: User.create(
                centre=centre,
                role=role,
                username=username,
                name=name,
                password_hash=hash_password(DEMO_PASSWORD),
            )
            for role, username, name in STAFF
        }
        User.create(
            role=Role.PROVINCE,
            username="province",
            name="省中心",
            centre=None,
            password_hash=hash_password(DEMO_PASSWORD),
        )
        for index, (name, birth, seq, mobile, stage) in enumerate(STUDENTS):
            if stage.startswith("renewal"):
                _renewing_student(centre, season, last_season, name, birth, seq, mobile, stage)
            elif stage == "new_stage":
                _graduate(centre, today, name, birth, seq, mobile)
            else:
                _student(centre, season, schools[index % 2], staff, name, birth, seq, mobile, stage, today)
        _outreach(centre, schools[0], staff["outreach"], today)
        _desk_morning(centre, season, schools[1], staff, today)
        _national_list(centre, season, staff["admin"], today)
    return True


# Graduates on the first school's roster who have not been pre-registered yet.
ROSTER = [
    ("吴敏", date(2008, 2, 11), "322", "高三(1)班"),
    ("郑强", date(2008, 7, 23), "351", "高三(1)班"),
    ("冯雪", date(2007, 12, 5), "368", "高三(2)班"),
    ("褚磊", date(2008, 4, 18), "395", "高三(3)班"),
]


def _outreach(centre, school, outreach, today):
    """A roster to pick names from, one visit, and a possible duplicate waiting for review."""
    for name, birth, seq, class_name in ROSTER:
        RosterEntry.create(
            centre=centre,
            school=school,
            id_number=demo_id_number(birth, seq),
            name=name,
            class_name=class_name,
        )
    SchoolVisit.create(
        centre=centre,
        uuid=_uuid("visit-1"),
        school=school,
        visited_on=today - timedelta(days=30),
        leaflets=120,
        students_reached=86,
        notes="高三年级宣讲会",
        captured_by=outreach,
        device_id="demo",
    )
    first = PreRegistration.get(PreRegistration.name == "李娜")
    PreRegistration.create(
        centre=centre,
        uuid=_uuid("duplicate-" + first.id_number),
        student=first.student,
        id_number=first.id_number,
        name=first.name,
        mobile="13900000022",
        school=first.school,
        class_name=first.class_name,
        category=first.category,
        status=PreregStatus.POSSIBLE_DUPLICATE,
        duplicate_of=first,
        captured_by=outreach,
        device_id="demo-2",
        captured_at=utcnow() - timedelta(days=29),
    )


def _season(centre, today):
    """The reference county's window (17 July to 25 September), stretched to hold today so
    that booking, the queue and the desk have something to show whenever the demo runs."""
    year = today.year
    acceptance_end = max(date(year, 9, 25), today + timedelta(days=60))
    season = Season.create(
        centre=centre,
        year=year,
        name=f"{year}年生源地信用助学贷款",
        acceptance_start=min(date(year, 7, 17), today - timedelta(days=7)),
        acceptance_end=acceptance_end,
        contract_change_start=date(year, 9, 1),
        contract_change_end=date(year, 10, 31),
        confirmation_deadline=max(date(year, 11, 30), acceptance_end + timedelta(days=30)),
        cap_undergraduate=20000,
        cap_postgraduate=25000,
        is_current=True,
    )
    quotas.create_defaults(season)
    return season


def _account(centre, name, birth, seq, mobile, school=None):
    """A student with an account and a father as co-borrower."""
    number = demo_id_number(birth, seq)
    student = Student.create(
        centre=centre,
        id_number=number,
        name=name,
        birth_date=birth,
        sex="M" if int(number[16]) % 2 else "F",
        mobile=mobile,
        school=school,
        class_name="高三(2)班" if school else "",
    )
    User.create(
        centre=centre,
        role=Role.STUDENT,
        username=student_username(number),
        name=name,
        mobile=mobile,
        password_hash=hash_password(DEMO_PASSWORD),
        student=student,
    )
    # A father born in 1976 with a Youyu number (a code from 1993): as real parents are.
    parent = Guardian.create(
        student=student,
        name=name[0] + "建国",
        relation=Relation.FATHER,
        id_number=demo_id_number(date(1976, 5, 1), seq[:2] + str(int(seq[2]) | 1)),  # odd: a man's
        mobile="139" + mobile[3:],
        is_co_borrower=True,
        employer="右玉县农业合作社",
        address="山西省朔州市右玉县新城镇幸福街 8 号",
    )
    return student, parent


# What a student enters in the "personal" step, the same for every demo student.
PARTICULARS = dict(
    ethnicity=Ethnicity.HAN,
    political_status=PoliticalStatus.CYL_MEMBER,
    hukou_type=HukouType.RURAL,
    hukou_place="山西省朔州市右玉县",
    household_size=4,
    high_school="右玉县第一中学",
    specialty="书法、长跑",
    home_address="山西省朔州市右玉县新城镇幸福街 8 号",
    postcode="037200",
    family_phone="0349-8012345",
    application_reason="父母务农，家中还有一个弟弟读初中，收入不足以支付大学学费和住宿费。",
)


def _renewing_student(centre, season, last_season, name, birth, seq, mobile, stage):
    """A first loan accepted last season; one student still has to declare, one has sent it."""
    student, parent = _account(centre, name, birth, seq, mobile)
    study = dict(
        university="太原理工大学",
        department="计算机科学与技术学院",
        major="软件工程",
        level=Level.UNDERGRADUATE,
        study_years=4,
        admission_year=last_season.year,
        tuition_fee=5500,
        accommodation_fee=1200,
        amount_requested=10000,
        loan_term_years=loan_term(last_season, 4),
        co_borrower=parent,
        contract_number=f"{last_season.year}{REGION}{seq}",
        receipt_code=f"R{last_season.year}{seq}",
    )
    Application.create(
        centre=centre,
        season=last_season,
        student=student,
        kind=Service.FIRST_LOAN,
        status=ApplicationStatus.ACCEPTED,
        hardship_required=False,
        submitted_at=datetime.combine(last_season.acceptance_start, time(1, 0)) - timedelta(days=10),
        accepted_at=datetime.combine(last_season.acceptance_start, time(2, 0)),
        **study,
    )
    if stage == "renewal_sent":
        Application.create(
            centre=centre,
            season=season,
            student=student,
            kind=Service.RENEWAL,
            status=ApplicationStatus.SUBMITTED,
            hardship_required=False,
            year_of_study=2,
            study_progress=StudyProgress.ON_TRACK,
            submitted_at=utcnow() - timedelta(days=1),
            one_loan_declared=True,
            # this year's contract comes with this year's national list
            **{**study, "amount_requested": 12000, "contract_number": None, "receipt_code": None},
        )


def _graduate(centre, today, name, birth, seq, mobile):
    """A bachelor's loan of four years ago: the course has ended, a master's begins."""
    student, parent = _account(centre, name, birth, seq, mobile)
    year = today.year - 4
    season = Season.create(
        centre=centre,
        year=year,
        name=f"{year}年生源地信用助学贷款",
        acceptance_start=date(year, 7, 17),
        acceptance_end=date(year, 9, 25),
        cap_undergraduate=16000,
        cap_postgraduate=20000,
    )
    Application.create(
        centre=centre,
        season=season,
        student=student,
        kind=Service.FIRST_LOAN,
        status=ApplicationStatus.ACCEPTED,
        hardship_required=False,
        co_borrower=parent,
        university="山西大学",
        major="统计学",
        level=Level.UNDERGRADUATE,
        study_years=4,
        admission_year=year,
        amount_requested=8000,
        loan_term_years=loan_term(season, 4),
        contract_number=f"{year}{REGION}{seq}",
        receipt_code=f"R{year}{seq}",
        submitted_at=datetime.combine(season.acceptance_start, time(1, 0)) - timedelta(days=10),
        accepted_at=datetime.combine(season.acceptance_start, time(2, 0)),
    )


def _student(centre, season, school, staff, name, birth, seq, mobile, stage, today):
    student, parent = _account(centre, name, birth, seq, mobile, school)
    number = student.id_number
    if stage == "signed_up":
        return
    PreRegistration.create(
        centre=centre,
        uuid=_uuid(number),
        student=student,
        id_number=number,
        name=name,
        mobile=mobile,
        school=school,
        class_name=student.class_name,
        guardian_name=parent.name,
        guardian_relation=Relation.FATHER,
        guardian_mobile=parent.mobile,
        category=1 if seq.endswith("2") else 0,
        captured_by=staff["outreach"],
        device_id="demo",
        captured_at=utcnow() - timedelta(days=30),
    )
    if stage == "pre_registered":
        return
    application = Application.create(
        centre=centre,
        season=season,
        student=student,
        co_borrower=parent,
        university="山西大学",
        department="数学科学学院",
        major="数学与应用数学",
        level=Level.UNDERGRADUATE,
        study_years=4,
        admission_year=season.year,
        tuition_fee=5000,
        accommodation_fee=1200,
        amount_requested=12000,
        one_loan_declared=True,
        loan_term_years=loan_term(season, 4),
        hardship_required=not seq.endswith("2"),
        graduation_year=season.year,
        student_number="" if stage != "certificate" else "2026010123",
        **PARTICULARS,
        status=ApplicationStatus.DRAFT if stage == "draft" else ApplicationStatus.SUBMITTED,
        submitted_at=None if stage == "draft" else utcnow() - timedelta(days=3),
    )
    if stage == "draft":
        return
    if application.hardship_required:
        _family(application, parent)
    day = max(season.acceptance_start, min(today, season.acceptance_end))
    Appointment.create(
        centre=centre,
        season=season,
        student=student,
        application=application,
        service=Service.FIRST_LOAN,
        day=day,
        half_day=HalfDay.MORNING,
        code=f"DEMO{seq}",
        status=AppointmentStatus.BOOKED if stage == "booked" else AppointmentStatus.DONE,
    )
    if stage == "certificate":
        # accepted at 10:00 Beijing time on the appointment day
        application.status = ApplicationStatus.ACCEPTED
        application.accepted_at = datetime.combine(day, time(2, 0))
        application.contract_number = f"{season.year}{REGION}0001"
        application.receipt_code = "H7X3K9Q2"  # as the national system gave it
        application.save()
        IssuedDocument.create(
            centre=centre,
            kind=DocumentKind.CERTIFICATE,
            student=student,
            application=application,
            number=f"SL{season.year}-{REGION}-00001",
            verification_code="7KQ4-M2XP",
            issued_by=staff["desk"],
            issued_at=application.accepted_at,
        )
        # accepted with the student card to follow, and now a day overdue
        OwedMaterial.create(
            application=application,
            material="admission",
            due_on=today - timedelta(days=1),
            recorded_by=staff["desk"],
        )


def _family(application, parent):
    """The family-hardship data a student enters online before submitting."""
    members = (
        dict(name=parent.name, age=49, relation=MemberRelation.FATHER, employer="右玉县农业合作社",
             occupation="农民", annual_income=16000, health=Health.HEALTHY),
        dict(name="王秀英", age=46, relation=MemberRelation.MOTHER, annual_income=0, health=Health.CHRONIC_ILLNESS),
        dict(name="王小虎", age=13, relation=MemberRelation.SIBLING, employer="右玉县第二中学", occupation="学生",
             annual_income=0, health=Health.HEALTHY),
        dict(name="王老汉", age=78, relation=MemberRelation.GRANDPARENT, annual_income=2400,
             health=Health.SERIOUS_ILLNESS, note="长期卧床"),
    )  # fmt: skip
    for position, member in enumerate(members):
        FamilyMember.create(application=application, position=position, **member)
    application.special_groups = SpecialGroup.SUBSISTENCE
    application.hardship_factors = ",".join((HardshipFactor.LOW_INCOME, HardshipFactor.ILLNESS))
    application.disaster_note = "2024 年夏季冰雹，玉米减产约一半。"
    application.accident_note = "无"
    application.labour_note = "祖父年迈多病，长期卧床；母亲患慢性病，不能从事重体力劳动。"
    application.unemployment_note = "无"
    application.debt_note = "为祖父治病借款约 3 万元，尚未还清。"
    application.other_note = "弟弟在读初中。"
    application.aid_received = "高中阶段获国家助学金每年 2000 元。"
    application.pledge_signed_at = utcnow()
    application.save()


# Booked for this morning, applications submitted: the desk has a queue to call.
HALL = [
    ("何静", date(2008, 2, 2), "402"),
    ("吕浩", date(2007, 12, 12), "411"),
    ("施雨", date(2008, 4, 4), "422"),
    ("张磊", date(2008, 6, 6), "433"),
    ("孔琳", date(2007, 10, 10), "442"),
    ("曹阳", date(2008, 8, 8), "451"),
]


def _national_list(centre, season, admin, today):
    """Yesterday's contract list from the national system: the season's loans as accepted here,
    and one student the national system has and this centre has not."""
    loans = list(
        Application.select(Application, Student)
        .join(Student)
        .where((Application.season == season) & is_loan())
        .order_by(Application.id)
    )
    listed = NationalImport.create(
        centre=centre,
        season=season,
        kind=NationalList.CONTRACTS,
        filename="合同清单.xlsx",
        rows=len(loans) + 1,
        imported_by=admin,
        imported_at=utcnow() - timedelta(days=1),
    )
    for n, loan in enumerate(loans):
        NationalContract.create(
            centre=centre,
            season=season,
            national_import=listed,
            id_number=loan.student.id_number,
            name=loan.student.name,
            contract_number=loan.contract_number or f"{season.year}{REGION}{9000 + n}",
            receipt_code=loan.receipt_code or "",
            amount=loan.amount_requested or 0,
            loan_type=loan.kind,
            university=loan.university,
            contract_date=today - timedelta(days=1),
        )
    NationalContract.create(
        centre=centre,
        season=season,
        national_import=listed,
        id_number=demo_id_number(date(2008, 6, 30), "517"),
        name="秦月",
        contract_number=f"{season.year}{REGION}0099",
        receipt_code="P4W8N2J6",
        amount=12000,
        loan_type=Service.FIRST_LOAN,
        university="太原理工大学",
        contract_date=today - timedelta(days=1),
    )


def _desk_morning(centre, season, school, staff, today):
    """The leader on duty today, and six more students, pre-approved at school (category 3),
    booked for this morning."""
    DutyAssignment.create(centre=centre, day=today, user=staff["leader"])
    day = max(season.acceptance_start, min(today, season.acceptance_end))
    for n, (name, birth, seq) in enumerate(HALL):
        student, parent = _account(centre, name, birth, seq, f"1380000{n + 10:04d}", school)
        application = Application.create(
            centre=centre,
            season=season,
            student=student,
            co_borrower=parent,
            university=("山西大学", "中北大学", "山西医科大学")[n % 3],
            major="临床医学",
            level=Level.UNDERGRADUATE,
            study_years=5,
            admission_year=season.year,
            tuition_fee=6000,
            accommodation_fee=1200,
            amount_requested=15000,
            loan_term_years=loan_term(season, 5),
            hardship_required=False,
            status=ApplicationStatus.SUBMITTED,
            submitted_at=utcnow(),
        )
        PreRegistration.create(
            centre=centre,
            uuid=_uuid(student.id_number),
            student=student,
            id_number=student.id_number,
            name=name,
            mobile=student.mobile,
            school=school,
            class_name=student.class_name,
            category=3,
            guardian_name=parent.name,
            guardian_relation=Relation.FATHER,
            guardian_mobile=parent.mobile,
            captured_by=staff["outreach"],
            device_id="demo",
            captured_at=utcnow() - timedelta(days=30),
        )
        Appointment.create(
            centre=centre,
            season=season,
            student=student,
            application=application,
            service=Service.FIRST_LOAN,
            day=day,
            half_day=HalfDay.MORNING,
            code=f"DEMO{seq}",
        )


def _uuid(number):
    return uuid.uuid5(uuid.NAMESPACE_OID, "demo-prereg-" + number)
