"""Acceptance at the window: the materials ticked, fields corrected (the old value kept in the
audit log), the contract number recorded, and the acceptance certificate issued once."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from peewee import IntegrityError

from webapp.db import database, lock_keys
from webapp.models import Application, Appointment, IssuedDocument, Student, Ticket, User, utcnow
from webapp.services.casework import loan_rules, materials, transitions
from webapp.services.casework.applications import loan_term_of, policy_errors
from webapp.services.casework.certificates import current_certificate, issue_certificate
from webapp.services.casework.student_record import other_loans, school_pre_registration
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors
from webapp.services.common.mobile_numbers import InvalidMobile, check_mobile
from webapp.services.national import national_codes
from webapp.vocabulary import ApplicationStatus, Level, Service

ACCEPTABLE = (ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED)


class AcceptanceErrors(FieldErrors):
    pass


@dataclass
class DeskCase:
    """Everything the desk looks at before accepting."""

    application: Application
    pre_registration: object
    materials: dict
    checked: set
    certificate: object
    owed: list  # papers still to follow after an acceptance
    other_loans: list  # the student's other applications (earlier loans, a new stage)
    policy_errors: dict  # loan rules the application breaks as it stands

    @property
    def all_checked(self) -> bool:
        return set(self.materials) <= self.checked

    @property
    def missing(self) -> list[str]:
        return [key for key in self.materials if key not in self.checked]


def desk_case(application: Application) -> DeskCase:
    return DeskCase(
        application,
        school_pre_registration(application.student),
        materials.materials_for(application),
        {key for key in application.materials_checked.split(",") if key},
        current_certificate(application),
        materials.outstanding(application),
        other_loans(application),
        policy_errors(application) if application.status != ApplicationStatus.ACCEPTED else {},
    )


def _text(value, message):
    value = (value or "").strip()
    if not value:
        raise ValueError(message)
    return value


def _amount(application, value):
    amount = int(value) if (value or "").strip().isdigit() else None
    message = loan_rules.amount_error(application.season, application.level, amount)
    if message:
        raise ValueError(message)
    return amount


def _study_years(application, value):
    if not (value or "").strip().isdigit() or not 1 <= int(value) <= 8:
        raise ValueError(_l("Enter a whole number from %(low)s to %(high)s.", low=1, high=8))
    message = loan_rules.study_period_error(application.season.year, application.admission_year, int(value))
    if message and application.kind == Service.FIRST_LOAN:
        raise ValueError(message)
    return int(value)


def _level(application, value):
    if value not in Level.values():
        raise ValueError(_l("Choose a level from the list."))
    if application.amount_requested and loan_rules.amount_error(
        application.season, value, application.amount_requested
    ):
        raise ValueError(
            _l(
                "The amount of %(amount)s yuan a year is above this level's cap of %(cap)s: correct the amount first.",
                amount=application.amount_requested,
                cap=application.season.cap_for(value),
            )
        )
    return value


def _mobile(_application, value):
    try:
        return check_mobile(value)
    except InvalidMobile as exc:
        raise ValueError(exc.message) from None


# field → (where it lives, how the new value is checked)
CORRECTABLE = {
    "university": ("application", lambda a, v: _text(v, _l("Enter the university."))),
    "department": ("application", lambda a, v: (v or "").strip()),
    "major": ("application", lambda a, v: (v or "").strip()),
    "level": ("application", _level),
    "study_years": ("application", _study_years),
    "amount_requested": ("application", _amount),
    "co_borrower_name": ("co_borrower", lambda a, v: _text(v, _l("Enter the co-borrower's name."))),
    "co_borrower_mobile": ("co_borrower", _mobile),
}


CORRECTABLE_LABELS = {  # the words of CORRECTABLE's fields
    "university": _l("University"),
    "department": _l("Department"),
    "major": _l("Major"),
    "level": _l("Level"),
    "study_years": _l("Length of study (years)"),
    "amount_requested": _l("Loan amount per year (yuan)"),
    "co_borrower_name": _l("Co-borrower's name"),
    "co_borrower_mobile": _l("Co-borrower's mobile number"),
}


def correct(application: Application, field: str, value: str | None, user: User) -> None:
    """Change one field; the old and new values go to the audit log."""
    if application.status == ApplicationStatus.ACCEPTED:
        raise AcceptanceErrors({"value": _l("An accepted application cannot be changed here.")}, 409)
    if field not in CORRECTABLE:
        raise AcceptanceErrors({"field": _l("Choose a field from the list.")})
    where, check = CORRECTABLE[field]
    try:
        new = check(application, value)
    except ValueError as exc:
        raise AcceptanceErrors({"value": exc.args[0]}) from None
    target, attribute = application, field
    if where == "co_borrower":
        target, attribute = application.co_borrower, field.removeprefix("co_borrower_")
        if target is None:
            raise AcceptanceErrors({"field": _l("The application has no co-borrower yet.")})
    old = getattr(target, attribute)
    with database.atomic():
        setattr(target, attribute, new)
        if field == "study_years":
            application.loan_term_years = loan_term_of(application)
        target.save()
        application.updated_at = utcnow()
        application.save()
        audit.record("application.corrected", application, actor=user, field=field, old=old, new=new)


def tick_materials(application: Application, keys: list[str], user: User) -> None:
    case = desk_case(application)
    checked = [key for key in case.materials if key in set(keys)]
    if ",".join(checked) == (application.materials_checked or ""):
        return
    ticked = (
        Application.update(materials_checked=",".join(checked))
        .where((Application.id == application.id) & (Application.status != ApplicationStatus.ACCEPTED))
        .execute()
    )
    if not ticked:
        raise AcceptanceErrors({"_": transitions.ALREADY[ApplicationStatus.ACCEPTED]}, 409)
    application.materials_checked = ",".join(checked)
    audit.record("application.materials", application, actor=user, checked=checked)


def save_desk_check(
    application: Application, keys: list[str], field: str, value: str | None, user: User
) -> bool:
    """The ticks, and the correction when a value is typed, saved together (the desk's one
    form); True when a correction was made."""
    tick_materials(application, keys, user)
    if not (value or "").strip():
        return False
    correct(application, field, value, user)
    return True


def _desk_minutes(application):
    """Minutes since the student took the ticket for this visit, if they did."""
    ticket = (
        Ticket.select(Ticket.issued_at)
        .join(Appointment)
        .where(Appointment.application == application)
        .order_by(Ticket.issued_at.desc())
        .first()
    )
    if ticket is None:
        return None
    return max(0, round((application.accepted_at - ticket.issued_at).total_seconds() / 60))


def accept(
    application: Application,
    contract_number: str | None,
    user: User,
    papers_follow: bool = False,
    papers_due: date | None = None,
    receipt_code: str | None = None,
) -> IssuedDocument:
    """Accept the loan and issue its certificate; a second accept changes nothing. Every loan
    rule is checked again here, whatever was changed before. With papers_follow (a season
    setting), the unticked papers are recorded as owed by papers_due."""
    contract_number = (contract_number or "").strip()
    receipt_code = (receipt_code or "").strip().upper()
    case = desk_case(application)
    errors = dict(case.policy_errors)
    errors.update(national_codes.errors(application, contract_number, receipt_code))
    missing = case.missing
    if missing and not papers_follow:
        errors["materials"] = _l("Tick every material before accepting, or accept with the papers to follow.")
    elif missing:
        errors.update(materials.owed_errors(application, missing, papers_due))
    if errors:
        raise AcceptanceErrors(errors)
    try:
        with database.atomic():
            certificate = _accept_once(application, contract_number, receipt_code, user, missing, papers_due)
    except IntegrityError:
        # another desk recorded one of the codes meanwhile: say which of the clerk's own two it
        # was, nothing of the other student
        taken = national_codes.errors(application, contract_number, receipt_code) or {
            "contract_number": _l("One of these codes was just recorded for another loan; check both.")
        }
        raise AcceptanceErrors(taken, 409) from None
    return certificate


def _accept_once(application, contract_number, receipt_code, user, missing, papers_due):
    lock_keys([f"application:{application.id}"])
    application = Application.get_by_id(application.id)
    if application.status not in ACCEPTABLE and application.status != ApplicationStatus.ACCEPTED:
        raise AcceptanceErrors({"_": _l("Only a submitted or approved application can be accepted.")}, 409)
    application.accepted_at = utcnow()  # the minutes at the desk count up to now
    try:
        transitions.move(
            application,
            ACCEPTABLE,
            ApplicationStatus.ACCEPTED,
            contract_number=contract_number,
            receipt_code=receipt_code,
            accepted_at=application.accepted_at,
            accepted_by=user,
            desk_minutes=_desk_minutes(application),
        )
    except transitions.TransitionRefused as exc:
        raise AcceptanceErrors({"_": exc.message}, 409) from None
    if missing:
        materials.record_owed(application, missing, papers_due, user)
    if "household_register" in application.materials_checked.split(","):
        _household_checked(application.student, user)
    certificate = issue_certificate(application, user)
    audit.record(
        "application.accepted",
        application,
        actor=user,
        contract_number=contract_number,
        certificate=certificate.number,
    )
    return certificate


def _household_checked(student, user):
    """The household register was seen at the window: the chosen centre is confirmed."""
    if student.household_to_check:
        Student.update(household_to_check=False).where(Student.id == student.id).execute()
        audit.record("student.household_checked", student, actor=user)
