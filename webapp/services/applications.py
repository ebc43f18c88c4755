"""The first-loan application, filled in by the student in steps that are saved one by one."""
from flask_babel import lazy_gettext as _l

from webapp.db import database
from webapp.models import (HARDSHIP_FACTORS, HEALTH_STATES, LEVELS, MEMBER_RELATIONS, RELATIONS,
                           SPECIAL_GROUPS, Application, FamilyMember, Guardian, utcnow)

from . import audit
from .accounts import AccountError, check_mobile
from .id_numbers import InvalidIdNumber, parse_id_number
from .student_record import school_pre_registration

STEPS = ("co_borrower", "study", "loan", "hardship")
MAX_FAMILY_MEMBERS = 8
MEMBER_TEXT = ("name", "employer", "occupation")


class StepErrors(ValueError):
    """Field messages for one step; nothing of that step was saved."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def start(student, season):
    """The student's first-loan application of the season, created as a draft when missing.
    A pre-registration at school with a category (1-4) means no family-hardship form."""
    application = Application.get_or_none((Application.student == student)
                                          & (Application.season == season)
                                          & (Application.kind == "first_loan"))
    if application is None:
        prereg = school_pre_registration(student)
        application = Application.create(centre=student.centre, season=season, student=student,
                                         kind="first_loan", status="draft",
                                         hardship_required=not (prereg and prereg.category))
    return application


def steps_for(application):
    """The family-hardship step only for students not pre-approved at school."""
    return [step for step in STEPS if step != "hardship" or application.hardship_required]


def completed_steps(application):
    done = set()
    if application.co_borrower_id:
        done.add("co_borrower")
    if application.university and application.study_years:
        done.add("study")
    if application.amount_requested:
        done.add("loan")
    if application.pledge_signed_at:
        done.add("hardship")
    return done


def _editable(application):
    if application.status not in ("draft", "returned"):
        raise StepErrors({"_": _l("The application was already submitted.")})


def save_co_borrower(application, name, relation, id_number, mobile):
    _editable(application)
    errors, clean = {}, {"name": (name or "").strip()}
    if not clean["name"]:
        errors["name"] = _l("Enter the co-borrower's name.")
    if relation not in RELATIONS:
        errors["relation"] = _l("Choose father, mother, close relative or other.")
    try:
        clean["id_number"] = parse_id_number(id_number).number
        if clean["id_number"] == application.student.id_number:
            errors["id_number"] = _l("The co-borrower is another person than the student.")
    except InvalidIdNumber as exc:
        errors["id_number"] = exc.args[0]
    try:
        clean["mobile"] = check_mobile(mobile)
    except AccountError as exc:
        errors["mobile"] = exc.message
    if errors:
        raise StepErrors(errors)
    with database.atomic():
        guardian = application.co_borrower or Guardian(student=application.student)
        guardian.name, guardian.relation = clean["name"], relation
        guardian.id_number, guardian.mobile, guardian.is_co_borrower = clean["id_number"], clean["mobile"], True
        guardian.save()
        application.co_borrower = guardian
        _touch(application, "application.co_borrower")


def save_study(application, university, department, major, level, study_years, admission_year,
               tuition_fee, accommodation_fee):
    _editable(application)
    errors = {}
    values = {"university": (university or "").strip(), "department": (department or "").strip(),
              "major": (major or "").strip()}
    if not values["university"]:
        errors["university"] = _l("Enter the university that admitted you.")
    if level not in LEVELS:
        errors["level"] = _l("Choose a level from the list.")
    numbers = {"study_years": (study_years, 1, 8), "admission_year": (admission_year, 2000, 2100),
               "tuition_fee": (tuition_fee, 0, 200000), "accommodation_fee": (accommodation_fee, 0, 50000)}
    for name, (value, low, high) in numbers.items():
        if value is None or not low <= value <= high:
            errors[name] = _l("Enter a whole number from %(low)s to %(high)s.", low=low, high=high)
        values[name] = value
    if errors:
        raise StepErrors(errors)
    for name, value in values.items():
        setattr(application, name, value)
    application.level = level
    application.loan_term_years = application.season.loan_term(values["study_years"])
    _touch(application, "application.study")


def save_loan(application, amount):
    """The yearly amount: at least the season's minimum, at most the cap of the level."""
    _editable(application)
    if "study" not in completed_steps(application):
        raise StepErrors({"amount": _l("Fill in the study details first.")})
    season = application.season
    cap = season.cap_for(application.level)
    if amount is None or not season.min_amount <= amount <= cap:
        raise StepErrors({"amount": _l("Enter an amount from %(low)s to %(high)s yuan a year.",
                                       low=season.min_amount, high=cap)})
    application.amount_requested = amount
    _touch(application, "application.loan")


def save_hardship(application, members, special_groups, factors, details, pledge):
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
        errors.update({f"members-{index}-{name}": message
                       for name, message in _member_errors(member, texts).items()})
    if not rows:
        errors["members-0-name"] = _l("List at least one family member.")
    if not (set(special_groups) <= set(SPECIAL_GROUPS) and set(factors) <= set(HARDSHIP_FACTORS)):
        errors["special_groups"] = _l("Tick only the boxes offered.")
    if not pledge:
        errors["pledge"] = _l("Confirm the pledge to sign the form.")
    if errors:
        raise StepErrors(errors)
    with database.atomic():
        FamilyMember.delete().where(FamilyMember.application == application).execute()
        for row in rows:
            FamilyMember.create(application=application, position=row["position"], name=row["name"],
                                age=row["age"], relation=row["relation"], employer=row["employer"],
                                occupation=row["occupation"], annual_income=row["annual_income"],
                                health=row["health"])
        application.special_groups = ",".join(g for g in SPECIAL_GROUPS if g in special_groups)
        application.hardship_factors = ",".join(f for f in HARDSHIP_FACTORS if f in factors)
        application.hardship_details = (details or "").strip()
        application.pledge_signed_at = utcnow()
        _touch(application, "application.hardship")


def _member_errors(member, texts):
    errors = {}
    if not texts["name"]:
        errors["name"] = _l("Enter the name.")
    if member.get("age") is None or not 0 <= member["age"] <= 120:
        errors["age"] = _l("Enter a whole number from %(low)s to %(high)s.", low=0, high=120)
    if member.get("relation") not in MEMBER_RELATIONS:
        errors["relation"] = _l("Choose a relation from the list.")
    if member.get("annual_income") is None or not 0 <= member["annual_income"] <= 10_000_000:
        errors["annual_income"] = _l("Enter the yearly income in yuan; 0 when there is none.")
    if member.get("health") not in HEALTH_STATES:
        errors["health"] = _l("Choose the state of health from the list.")
    return errors


def submit(application):
    _editable(application)
    missing = [step for step in steps_for(application) if step not in completed_steps(application)]
    if missing:
        raise StepErrors({"_": _l("Complete every step before submitting.")})
    application.status, application.submitted_at = "submitted", utcnow()
    _touch(application, "application.submitted")


def _touch(application, action):
    application.updated_at = utcnow()
    application.save()
    audit.record(action, application)
