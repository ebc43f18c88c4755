"""The first-loan application, filled in by the student in steps that are saved one by one."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l

from webapp.clock import local_date, local_today
from webapp.db import database
from webapp.models import Application, FamilyMember, Guardian, Season, Student, utcnow
from webapp.services.casework import borrowers, loan_rules, transitions
from webapp.services.casework.student_record import previous_loan, school_pre_registration
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors
from webapp.services.common.id_numbers import InvalidIdNumber, parse_id_number
from webapp.services.common.mobile_numbers import InvalidMobile, check_mobile, is_phone
from webapp.vocabulary import (
    N_,
    NEW_STAGE_LEVEL,
    ApplicationStatus,
    Ethnicity,
    HardshipFactor,
    Health,
    HukouType,
    Level,
    MemberRelation,
    NewStage,
    PoliticalStatus,
    Relation,
    Service,
    SpecialGroup,
)

STEPS = ("personal", "co_borrower", "study", "loan", "hardship")
# One loan a year: the student borrows either this 生源地 loan or the campus-based 校园地 loan in
# an academic year, and says so on the loan step (and a renewal's declaration); the printed
# application form carries the words.
ONE_LOAN_DECLARATION = N_(
    "In this academic year I borrow only this loan (生源地信用助学贷款), not the campus-based national student loan (校园地国家助学贷款) as well."
)
# The family-hardship form's written factors, in the form's order.
HARDSHIP_NOTES = (
    "disaster_note",
    "accident_note",
    "labour_note",
    "unemployment_note",
    "debt_note",
    "other_note",
    "aid_received",
)
NOTE_LIMIT = 500
POSTCODE = re.compile(r"^\d{6}$")
# A mainland mobile, or a landline with its area code (0351-1234567, 03511234567).
MAX_FAMILY_MEMBERS = 8
MEMBER_TEXT = ("name", "employer", "occupation")


class StepErrors(FieldErrors):
    """Field messages for one step; nothing of that step was saved."""


def start(student: Student, season: Season, new_stage: str = "") -> Application:
    """The student's first-loan application of the season, created as a draft when missing.
    A pre-registration at school with a category (1-4) means no family-hardship form. A student
    who borrowed for an earlier stage of study names the new stage (专升本, master, doctor)."""
    application = Application.get_or_none(
        (Application.student == student)
        & (Application.season == season)
        & (Application.kind == Service.FIRST_LOAN)
    )
    if application is None:
        if previous_loan(student, season) is not None and new_stage not in NewStage.values():
            raise StepErrors({"new_stage": _l("Choose the new stage of study this loan is for.")})
        prereg = school_pre_registration(student)
        application = Application.create(
            centre=student.centre,
            season=season,
            student=student,
            kind=Service.FIRST_LOAN,
            status=ApplicationStatus.DRAFT,
            new_stage=new_stage if new_stage in NewStage.values() else "",
            level=NEW_STAGE_LEVEL.get(new_stage, Level.UNDERGRADUATE),
            hardship_required=not (prereg and prereg.category),
        )
        if application.new_stage:
            audit.record("application.new_stage", application, stage=application.new_stage)
    return application


def steps_for(application: Application) -> list[str]:
    """The family-hardship step only for students not pre-approved at school."""
    return [step for step in STEPS if step != "hardship" or application.hardship_required]


def completed_steps(application: Application) -> set[str]:
    done = set()
    if application.ethnicity and application.home_address and application.household_size:
        done.add("personal")
    if application.co_borrower_id:
        done.add("co_borrower")
    if application.university and application.study_years:
        done.add("study")
    if application.amount_requested and application.one_loan_declared:
        done.add("loan")
    if application.pledge_signed_at:
        done.add("hardship")
    return done


def _editable(application):
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
        raise StepErrors({"_": _l("The application was already submitted.")})


PERSONAL_TEXT = {
    "hukou_place": 100,
    "high_school": 100,
    "specialty": 200,
    "home_address": 200,
    "postcode": 6,
    "family_phone": 20,
    "student_number": 30,
    "application_reason": 1000,
}


def save_personal(application: Application, values: dict) -> None:
    """The student's and the family's particulars both forms carry: 民族 from the 56 groups,
    政治面貌, 入学前户口 and 户籍所在地, the family's size, address, postcode and telephone, the school the
    student graduated from and when, the student number once known, and why they apply."""
    _editable(application)
    text = {name: (values.get(name) or "").strip() for name in PERSONAL_TEXT}
    errors = {}
    if values.get("ethnicity") not in Ethnicity.values():
        errors["ethnicity"] = _l("Choose the ethnic group from the list.")
    if values.get("political_status") not in PoliticalStatus.values():
        errors["political_status"] = _l("Choose the political status from the list.")
    if values.get("hukou_type") not in HukouType.values():
        errors["hukou_type"] = _l("Choose urban or rural.")
    size = values.get("household_size")
    if size is None or not 1 <= size <= 30:
        errors["household_size"] = _l("Enter a whole number from %(low)s to %(high)s.", low=1, high=30)
    year = values.get("graduation_year")
    if year is not None and not 1980 <= year <= application.season.year:
        errors["graduation_year"] = _l(
            "Enter a year from %(low)s to %(high)s.", low=1980, high=application.season.year
        )
    if not text["home_address"]:
        errors["home_address"] = _l("Enter the family's address for letters.")
    if text["postcode"] and not POSTCODE.match(text["postcode"]):
        errors["postcode"] = _l("A postcode has six digits.")
    phone = text["family_phone"].replace(" ", "")
    if phone and not is_phone(phone):
        errors["family_phone"] = _l(
            "Enter a mobile number or a landline with its area code, e.g. 0351-1234567."
        )
    for name, limit in PERSONAL_TEXT.items():
        if len(text[name]) > limit:
            errors[name] = _l("At most %(n)d characters.", n=limit)
    if errors:
        raise StepErrors(errors)
    for name in PERSONAL_TEXT:
        setattr(application, name, text[name])
    application.family_phone = phone
    application.ethnicity, application.political_status = values["ethnicity"], values["political_status"]
    application.hukou_type, application.household_size = values["hukou_type"], size
    application.graduation_year = year
    _touch(application, "application.personal")


def save_co_borrower(
    application: Application,
    name: str | None,
    relation: str,
    id_number: str | None,
    mobile: str | None,
    employer: str | None = None,
    address: str | None = None,
) -> None:
    """The co-borrower: another adult, a parent or legal guardian for a student under 18, and
    of the season's ages otherwise (services/casework/loan_rules.py)."""
    _editable(application)
    clean = checked_co_borrower(application, name, relation, id_number, mobile)
    with database.atomic():
        guardian = application.co_borrower or Guardian(student=application.student)
        guardian.name, guardian.relation = clean["name"], relation
        guardian.id_number, guardian.mobile, guardian.is_co_borrower = (
            clean["id_number"],
            clean["mobile"],
            True,
        )
        guardian.employer, guardian.address = (employer or "").strip()[:100], (address or "").strip()[:200]
        guardian.save()
        application.co_borrower = guardian
        _touch(application, "application.co_borrower")


def checked_co_borrower(
    application: Application, name: str | None, relation: str, id_number: str | None, mobile: str | None
) -> dict:
    """{name, id_number, mobile} cleaned, or StepErrors: the rules of a co-borrower, for the
    application's step and for a contract change. A borrower is nobody's co-borrower."""
    errors, clean = {}, {"name": (name or "").strip()}
    if not clean["name"]:
        errors["name"] = _l("Enter the co-borrower's name.")
    if relation not in Relation.values():
        errors["relation"] = _l("Choose father, mother, legal guardian, close relative or other.")
    try:
        co_borrower = parse_id_number(id_number)
        clean["id_number"] = co_borrower.number
        if clean["id_number"] == application.student.id_number:
            errors["id_number"] = _l("The co-borrower is another person than the student.")
        elif message := borrowers.co_borrower_error(clean["id_number"], application.season.year):
            errors["id_number"] = message
        elif relation in Relation.values():
            errors.update(
                loan_rules.co_borrower_errors(
                    application.season,
                    application.student.birth_date,
                    co_borrower.birth_date,
                    relation,
                    local_today(),
                    co_borrower.sex,
                )
            )
    except InvalidIdNumber as exc:
        errors["id_number"] = exc.args[0]
    try:
        clean["mobile"] = check_mobile(mobile)
    except InvalidMobile as exc:
        errors["mobile"] = exc.message
    if errors:
        raise StepErrors(errors)
    return clean


def save_study(
    application: Application,
    university: str | None,
    department: str | None,
    major: str | None,
    level: str,
    study_years: int | None,
    admission_year: int | None,
    tuition_fee: int | None,
    accommodation_fee: int | None,
) -> None:
    _editable(application)
    errors = {}
    values = {
        "university": (university or "").strip(),
        "department": (department or "").strip(),
        "major": (major or "").strip(),
    }
    if not values["university"]:
        errors["university"] = _l("Enter the university that admitted you.")
    season = application.season
    if level not in Level.values():
        errors["level"] = _l("Choose a level from the list.")
    elif message := loan_rules.level_error(season, level):
        errors["level"] = message
    numbers = {
        "study_years": (study_years, 1, 8),
        "admission_year": (admission_year, season.year - 8, season.year),
        "tuition_fee": (tuition_fee, 0, 200000),
        "accommodation_fee": (accommodation_fee, 0, 50000),
    }
    for name, (value, low, high) in numbers.items():
        if value is None or not low <= value <= high:
            errors[name] = _l("Enter a whole number from %(low)s to %(high)s.", low=low, high=high)
        values[name] = value
    if not errors:
        period = loan_rules.study_period_error(season.year, admission_year, study_years)
        if period:
            errors["admission_year"] = period
    if (
        "level" not in errors
        and application.amount_requested
        and loan_rules.amount_error(season, level, application.amount_requested)
    ):
        errors["level"] = _l(
            "You asked for %(amount)s yuan a year, above this level's cap of %(cap)s: lower the amount in the loan step first.",
            amount=application.amount_requested,
            cap=season.cap_for(level),
        )
    if errors:
        raise StepErrors(errors)
    for name, value in values.items():
        setattr(application, name, value)
    application.level = level
    application.loan_term_years = loan_term_of(application)
    _touch(application, "application.study")


def loan_term_of(application: Application) -> int | None:
    """Years of the loan: the remaining years of study (this season's included) plus the
    season's extra years, at most its maximum; None until the study details are known."""
    season = application.season
    if not (application.study_years and (application.admission_year or application.year_of_study)):
        return None
    if application.kind == Service.RENEWAL and application.year_of_study:
        remaining = application.study_years - application.year_of_study + 1
    else:
        remaining = loan_rules.remaining_years(
            season.year, application.admission_year, application.study_years
        )
    return loan_rules.loan_term(season, max(remaining, 1))


def save_loan(application: Application, amount: int | None, one_loan: bool = False) -> None:
    """The yearly amount (at least the season's minimum, at most the cap of the level) and the
    declaration of one loan this academic year."""
    _editable(application)
    if "study" not in completed_steps(application):
        raise StepErrors({"amount": _l("Fill in the study details first.")})
    errors = {}
    message = loan_rules.amount_error(application.season, application.level, amount)
    if message:
        errors["amount"] = message
    if one_loan is not True:
        errors["one_loan"] = ONE_LOAN_REQUIRED
    if errors:
        raise StepErrors(errors)
    application.amount_requested, application.one_loan_declared = amount, True
    _touch(application, "application.loan")


ONE_LOAN_REQUIRED = _l(
    "Tick the declaration: a student borrows either this loan or the campus-based loan in one academic year."
)


def save_hardship(
    application: Application,
    members: list[dict],
    special_groups: list[str],
    factors: list[str],
    details: str | None,
    pledge: bool,
    notes: dict | None = None,
) -> None:
    """The family-hardship data: the family members table, ticks, and the signed pledge.
    members is a list of dicts (name, age, relation, employer, occupation, annual_income,
    health); rows left entirely blank are ignored. Error keys name the row: members-0-age."""
    _editable(application)
    errors, rows = {}, []
    for index, member in enumerate(members[:MAX_FAMILY_MEMBERS]):
        texts = {name: (member.get(name) or "").strip() for name in MEMBER_TEXT}
        if not any(texts.values()) and member.get("age") is None and member.get("annual_income") is None:
            continue
        rows.append({**member, **texts, "position": len(rows)})
        errors.update(
            {f"members-{index}-{name}": message for name, message in _member_errors(member, texts).items()}
        )
    if not rows:
        errors["members-0-name"] = _l("List at least one family member.")
    if not (
        set(special_groups) <= set(SpecialGroup.values()) and set(factors) <= set(HardshipFactor.values())
    ):
        errors["special_groups"] = _l("Tick only the boxes offered.")
    notes = {name: ((notes or {}).get(name) or "").strip() for name in HARDSHIP_NOTES}
    for name, text in notes.items():
        if len(text) > NOTE_LIMIT:
            errors[name] = _l("At most %(n)d characters.", n=NOTE_LIMIT)
    if not pledge:
        errors["pledge"] = _l("Confirm the pledge to sign the form.")
    if errors:
        raise StepErrors(errors)
    with database.atomic():
        FamilyMember.delete().where(FamilyMember.application == application).execute()
        for row in rows:
            FamilyMember.create(
                application=application,
                position=row["position"],
                name=row["name"],
                age=row["age"],
                relation=row["relation"],
                employer=row["employer"],
                occupation=row["occupation"],
                annual_income=row["annual_income"],
                health=row["health"],
                note=(row.get("note") or "").strip()[:50],
            )
        application.special_groups = ",".join(g for g in SpecialGroup.values() if g in special_groups)
        application.hardship_factors = ",".join(f for f in HardshipFactor.values() if f in factors)
        application.hardship_details = (details or "").strip()
        for name, text in notes.items():
            setattr(application, name, text)
        application.pledge_signed_at = utcnow()
        _touch(application, "application.hardship")


def _member_errors(member, texts):
    errors = {}
    if not texts["name"]:
        errors["name"] = _l("Enter the name.")
    if member.get("age") is None or not 0 <= member["age"] <= 120:
        errors["age"] = _l("Enter a whole number from %(low)s to %(high)s.", low=0, high=120)
    if member.get("relation") not in MemberRelation.values():
        errors["relation"] = _l("Choose a relation from the list.")
    if member.get("annual_income") is None or not 0 <= member["annual_income"] <= 10_000_000:
        errors["annual_income"] = _l("Enter the yearly income in yuan; 0 when there is none.")
    if member.get("health") not in Health.values():
        errors["health"] = _l("Choose the state of health from the list.")
    return errors


def submit(application: Application) -> None:
    _editable(application)
    missing = [step for step in steps_for(application) if step not in completed_steps(application)]
    if missing:
        raise StepErrors({"_": _l("Complete every step before submitting.")})
    broken = policy_errors(application)
    if broken:
        raise StepErrors(broken)
    transitions.submit(application, refused=StepErrors)
    audit.record("application.submitted", application)


def policy_errors(application: Application, day: date | None = None) -> dict:
    """{field: message} for every loan rule a first loan as it stands breaks: the student's age
    on the day of application, the co-borrower (of the ages, and borrowing nothing themself),
    the study period, the level (postgraduates where the season takes them) and the cap. Checked again at
    submit and at acceptance, so that no later change walks around a rule."""
    season, errors = application.season, {}
    day = day or (local_date(application.submitted_at) if application.submitted_at else local_today())
    if application.kind == Service.FIRST_LOAN:
        message = loan_rules.student_age_error(season, application.student.birth_date, day)
        if message:
            errors["student"] = message
        guardian = application.co_borrower
        if guardian is not None:
            try:
                parsed = parse_id_number(guardian.id_number, today=day)
            except InvalidIdNumber as exc:
                errors["co_borrower"] = exc.args[0]
            else:
                if message := borrowers.co_borrower_error(guardian.id_number, season.year):
                    errors["co_borrower"] = message
                errors.update(
                    {
                        f"co_borrower_{k}": v
                        for k, v in loan_rules.co_borrower_errors(
                            season,
                            application.student.birth_date,
                            parsed.birth_date,
                            guardian.relation,
                            day,
                            parsed.sex,
                        ).items()
                    }
                )
        message = loan_rules.study_period_error(
            season.year, application.admission_year, application.study_years
        )
        if message:
            errors["admission_year"] = message
    if message := loan_rules.level_error(season, application.level):
        errors["level"] = message
    if application.amount_requested is not None:
        message = loan_rules.amount_error(season, application.level, application.amount_requested)
        if message:
            errors["amount_requested"] = message
    return errors


def per_capita_income(application: Application, members: list) -> int | None:
    """家庭人均年收入: the members' yearly incomes added up, per person of the family (the
    household size given, else the members listed); None without any member."""
    people = application.household_size or len(members)
    if not members or not people:
        return None
    return round(sum(member.annual_income or 0 for member in members) / people)


def _touch(application, action):
    application.updated_at = utcnow()
    application.save()
    audit.record(action, application)
