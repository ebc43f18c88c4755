"""Online renewal (续贷): a student with a loan accepted in an earlier season declares how the
studies go, the coming year's amount and any new contact data; desk staff approve it (asking
the student to come to the window only when the case needs a signature) or return it."""

from flask_babel import lazy_gettext as _l
from peewee import ModelSelect

from webapp.db import database
from webapp.models import Application, Centre, Season, Student, User, utcnow
from webapp.services.casework import loan_rules, transitions
from webapp.services.casework.applications import ONE_LOAN_REQUIRED, StepErrors, loan_term_of
from webapp.services.casework.student_record import previous_loan, student_application
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors, RuleError
from webapp.services.common.mobile_numbers import InvalidMobile, check_mobile
from webapp.services.identity.one_time_codes import check_code
from webapp.services.messaging import messages
from webapp.vocabulary import (
    ApplicationStatus,
    CodePurpose,
    MessageTemplate,
    Service,
    StudyProgress,
)


class RenewalError(RuleError):
    pass


def start_renewal(student: Student, season: Season) -> Application:
    """This season's renewal, created from the earlier loan (study details, co-borrower,
    amount) so the student only says what changed. Not its contract: each academic year's loan
    has its own contract number and receipt code, from this year's national contract list or
    the window (services/national/renewal_contracts.py)."""
    existing = student_application(student, season, Service.RENEWAL)
    if existing is not None:
        return existing
    loan = previous_loan(student, season)
    if loan is None:
        raise RenewalError(
            _l("Renewal is for students with a loan accepted in an earlier season."), status=404
        )
    if loan_rules.study_ended(loan, season.year):
        raise RenewalError(
            _l(
                "The study period of your earlier loan has ended, so it cannot be renewed. Starting a new stage of study? Apply for a new loan."
            )
        )
    copied = {
        name: getattr(loan, name)
        for name in (
            "university",
            "department",
            "major",
            "level",
            "study_years",
            "admission_year",
            "tuition_fee",
            "accommodation_fee",
            "amount_requested",
        )
    }
    renewal = Application(
        centre=student.centre,
        season=season,
        student=student,
        kind=Service.RENEWAL,
        status=ApplicationStatus.DRAFT,
        co_borrower=loan.co_borrower_id,
        hardship_required=False,
        year_of_study=_expected_year(loan, season),
        **copied,
    )
    renewal.loan_term_years = loan_term_of(renewal)
    renewal.save()
    return renewal


def _expected_year(loan, season):
    """The year of study the student should be in now, as a suggestion they can correct."""
    if not (loan.admission_year and loan.study_years):
        return None
    return max(1, min(season.year - loan.admission_year + 1, loan.study_years))


def declare(
    application: Application,
    year_of_study: int | None,
    study_progress: str,
    amount: int | None,
    mobile: str | None = "",
    co_borrower_mobile: str | None = "",
    contact_note: str | None = "",
    mobile_code: str | None = "",
    one_loan: bool = False,
) -> None:
    """File (or file again, after a return) the renewal declaration, with the declaration of one
    loan this academic year (applications.ONE_LOAN_DECLARATION). A new mobile number of the
    student's is proven with the one-time code sent to it, as at sign-up: it becomes the number
    the student signs in with."""
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
        raise StepErrors({"_": _l("The declaration was already sent; wait for the centre's answer.")})
    season, errors, clean = application.season, {}, {}
    if year_of_study is None or not 1 <= year_of_study <= (application.study_years or 8):
        errors["year_of_study"] = _l(
            "Enter a whole number from %(low)s to %(high)s.", low=1, high=application.study_years or 8
        )
    if study_progress not in StudyProgress.values():
        errors["study_progress"] = _l("Choose how your studies are going.")
    if one_loan is not True:
        errors["one_loan"] = ONE_LOAN_REQUIRED
    message = loan_rules.amount_error(season, application.level, amount)
    if message:
        errors["amount"] = message
    if loan_rules.study_ended(application, season.year):
        errors["_"] = _l(
            "The study period of your earlier loan has ended, so it cannot be renewed. Starting a new stage of study? Apply for a new loan."
        )
    for name, value in (("mobile", mobile), ("co_borrower_mobile", co_borrower_mobile)):
        try:
            clean[name] = check_mobile(value) if (value or "").strip() else ""
        except InvalidMobile as exc:
            errors[name] = exc.message
    if errors:
        raise StepErrors(errors)
    new_mobile = clean["mobile"]
    if new_mobile and new_mobile != application.student.mobile:
        if User.select().where((User.mobile == new_mobile) & (User.student != application.student)).exists():
            raise StepErrors({"mobile": _l("This mobile number is already used by another account.")})
        try:
            check_code(new_mobile, CodePurpose.CHANGE_MOBILE, mobile_code)
        except FieldErrors as exc:
            raise StepErrors({"mobile_code": exc.message}) from None
    application.year_of_study, application.study_progress = year_of_study, study_progress
    application.amount_requested, application.one_loan_declared = amount, True
    application.loan_term_years = loan_term_of(application)
    application.declared_mobile, application.declared_co_borrower_mobile = (
        clean["mobile"],
        clean["co_borrower_mobile"],
    )
    application.contact_note = (contact_note or "").strip()
    with database.atomic():
        application.save()
        transitions.submit(application, refused=StepErrors)
        audit.record("renewal.declared", application)


def pending(centre: Centre) -> ModelSelect:
    """Declarations waiting for the desk, oldest first."""
    return (
        Application.select()
        .where(
            (Application.centre == centre)
            & (Application.kind == Service.RENEWAL)
            & (Application.status == ApplicationStatus.SUBMITTED)
        )
        .order_by(Application.submitted_at)
    )


def approve(application: Application, user: User, needs_window: bool = False) -> None:
    """Approve the declaration and apply the new contact data (the old values go to the audit
    log). needs_window asks the student to book a renewal half-day to sign at the window."""
    _check_submitted(application)
    with database.atomic():
        student, guardian = application.student, application.co_borrower
        changes = {}
        if application.declared_mobile and application.declared_mobile != student.mobile:
            changes["mobile"] = [student.mobile, application.declared_mobile]
            _update_sign_in_mobile(student, student.mobile, application.declared_mobile)
            student.mobile = application.declared_mobile
            student.save()
        new_co_mobile = application.declared_co_borrower_mobile
        if guardian is not None and new_co_mobile and new_co_mobile != guardian.mobile:
            changes["co_borrower_mobile"] = [guardian.mobile, new_co_mobile]
            guardian.mobile = new_co_mobile
            guardian.save()
        transitions.move(
            application,
            [ApplicationStatus.SUBMITTED],
            ApplicationStatus.APPROVED,
            refused=RenewalError,
            needs_window=bool(needs_window),
            reviewed_by=user,
            reviewed_at=utcnow(),
            return_reason="",
        )
        audit.record(
            "renewal.approved", application, actor=user, needs_window=bool(needs_window), changes=changes
        )
    template = MessageTemplate.RENEWAL_WINDOW if needs_window else MessageTemplate.RENEWAL_APPROVED
    messages.notify(
        application.student, template, {"name": application.student.name, "year": application.season.year}
    )


def return_declaration(application: Application, user: User, reason: str | None) -> None:
    """Send the declaration back with the reason the student reads."""
    _check_submitted(application)
    reason = (reason or "").strip()
    if not reason:
        raise StepErrors({"reason": _l("Say what the student should correct.")})
    transitions.move(
        application,
        [ApplicationStatus.SUBMITTED],
        ApplicationStatus.RETURNED,
        refused=RenewalError,
        return_reason=reason,
        reviewed_by=user,
        reviewed_at=utcnow(),
    )
    audit.record("renewal.returned", application, actor=user, reason=reason)
    messages.notify(application.student, MessageTemplate.RENEWAL_RETURNED, {"reason": reason})


def _check_submitted(application):
    if application.kind != Service.RENEWAL or application.status != ApplicationStatus.SUBMITTED:
        raise RenewalError(_l("This declaration was already answered."))


def _update_sign_in_mobile(student, old, new):
    """The student signs in with the new (proven) number, unless another account took it
    meanwhile; both numbers are told, so a change nobody asked for does not go unnoticed."""
    if User.select().where((User.mobile == new) & (User.student != student)).exists():
        return
    User.update(mobile=new).where(User.student == student).execute()
    for number in filter(None, {old, new}):
        messages.send(number, MessageTemplate.MOBILE_CHANGED, {"last4": new[-4:]}, student.centre)
