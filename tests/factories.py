"""Test factories with keyword defaults: make_centre(), make_student(), make_user()..."""

import functools
import itertools
from datetime import date, timedelta

from stdnum.cn import ric

from webapp.models import (
    Application,
    Appointment,
    Centre,
    Guardian,
    School,
    Season,
    Student,
    User,
    utcnow,
)
from webapp.services.booking import quotas
from webapp.services.casework.certificates import issue_certificate
from webapp.services.identity import passwords
from webapp.services.identity.accounts import student_username

PASSWORD = "secret-pass"
_seq = itertools.count(100)


def password_hash(password):
    """One Argon2 hash per password and cost for the whole run: hashing is slow on purpose."""
    return _password_hash(password, passwords.current_profile())


@functools.lru_cache(maxsize=16)
def _password_hash(password, _profile):
    return passwords.hash_password(password)


def valid_id_number(region="140623", birth=None, sequence=None, female=False):
    """A valid ID number, unique within a test run unless birth and sequence are given.

    The last sequence digit sets the sex (odd: male)."""
    n = next(_seq)
    birth = birth or date(2008, 3, 14) + timedelta(days=n // 500)
    seq = sequence or f"{(n % 500) * 2 + (0 if female else 1):03d}"
    body = f"{region}{birth:%Y%m%d}{seq}"
    return body + ric.calc_check_digit(body + "0")


def make_centre(name="右玉县学生资助管理中心", region_code="140623", **kw):
    return Centre.create(name=name, region_code=region_code, **kw)


def next_weekday(day, weekday=0):
    """The first day on or after day that falls on weekday (0 = Monday)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def make_season(centre, year=2023, **kw):
    values = dict(
        name=f"{year}年度",
        acceptance_start=date(year, 7, 17),
        acceptance_end=date(year, 9, 25),
        cap_undergraduate=16000,
        cap_postgraduate=20000,
        is_current=True,
    )
    values.update(kw)
    season = Season.create(centre=centre, year=year, **values)
    quotas.create_defaults(season)
    return season


def make_school(centre, name="右玉县第一中学", kind="general", **kw):
    return School.create(centre=centre, name=name, kind=kind, **kw)


def make_user(centre, role="desk", username=None, password=PASSWORD, **kw):
    username = username or f"{role}{next(_seq)}"
    return User.create(
        centre=centre,
        role=role,
        username=username,
        name=kw.pop("name", username),
        password_hash=password_hash(password),
        **kw,
    )


def make_student(
    centre, name="张三", id_number=None, mobile=None, with_account=True, password=PASSWORD, **kw
):
    number = id_number or valid_id_number()
    mobile = mobile or f"139{next(_seq):08d}"
    student = Student.create(
        centre=centre,
        id_number=number,
        name=name,
        birth_date=ric.get_birth_date(number),
        sex="M" if int(number[16]) % 2 else "F",
        mobile=mobile,
        **kw,
    )
    if with_account:
        User.create(
            centre=centre,
            role="student",
            username=student_username(number),
            name=name,
            mobile=mobile,
            password_hash=password_hash(password),
            student=student,
        )
    return student


def make_co_borrower(student, name="欧阳建国", relation="father", birth=date(1975, 5, 1), **kw):
    """A parent as co-borrower, of an age every season's rules accept."""
    values = dict(id_number=valid_id_number(birth=birth), mobile="13900000009", is_co_borrower=True)
    values.update(kw)
    return Guardian.create(student=student, name=name, relation=relation, **values)


def make_application(student, season, **kw):
    values = dict(
        university="山西大学",
        level="undergraduate",
        study_years=4,
        admission_year=season.year,
        amount_requested=12000,
        one_loan_declared=True,
        status="draft",
        ethnicity="01",
        political_status="cyl_member",
        hukou_type="rural",
        household_size=4,
        home_address="山西省朔州市右玉县新城镇",
    )
    values.update(kw)
    return Application.create(centre=student.centre, season=season, student=student, **values)


def make_accepted(student, season, issued_by=None, **kw):
    """An accepted application with its certificate, as the desk's acceptance leaves it."""
    application = make_application(student, season, status="accepted", accepted_at=utcnow(), **kw)
    issue_certificate(application, issued_by)
    return application


def make_appointment(student, season, day, service="first_loan", half_day="morning", **kw):
    values = dict(code=f"T{next(_seq):06d}", status="booked")
    values.update(kw)
    return Appointment.create(
        centre=student.centre,
        season=season,
        student=student,
        service=service,
        day=day,
        half_day=half_day,
        **values,
    )
