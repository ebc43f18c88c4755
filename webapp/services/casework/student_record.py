"""Where a student stands in the season, in plain words, and the one next step."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from webapp.models import Application, Appointment, OwedMaterial, PreRegistration, Season, Student
from webapp.services.casework.certificates import current_certificate
from webapp.services.casework.loan_rules import study_ended
from webapp.vocabulary import (
    EDITABLE_APPLICATIONS,
    ApplicationStatus,
    AppointmentStatus,
    PreregStatus,
    Service,
    StudentStage,
)

# The one next step of each stage; the stage's own label is its vocabulary's.
NEXT_STEPS = {
    StudentStage.NOT_PRE_REGISTERED: _l(
        "Start your loan application online, or ask your school about the visit of the aid centre."
    ),
    StudentStage.PRE_REGISTERED: _l("Complete your application online."),
    StudentStage.APPLICATION_INCOMPLETE: _l("Finish the remaining steps of your application."),
    StudentStage.SUBMITTED: _l("Book a half-day at the centre's window."),
    StudentStage.BOOKED: _l("Come to the centre on your booked half-day with the listed materials."),
    StudentStage.ACCEPTED: _l("Collect your acceptance certificate at the desk."),
    StudentStage.CERTIFICATE_ISSUED: _l(
        "At enrolment, give your university the contract number and the receipt verification code printed on the certificate."
    ),
    StudentStage.RENEWAL_DUE: _l(
        "File your renewal declaration online; most students need not come to the centre."
    ),
    StudentStage.RENEWAL_SENT: _l("The centre checks your declaration; the answer appears here."),
    StudentStage.RENEWAL_RETURNED: _l("Correct what the centre asks and send the declaration again."),
    StudentStage.RENEWAL_APPROVED: _l("Nothing more to do; the loan for the coming year follows."),
    StudentStage.RENEWAL_WINDOW: _l("Book a renewal half-day and bring the listed materials."),
    StudentStage.STUDY_ENDED: _l(
        "Starting a new stage of study (专升本, a master's or a doctorate)? Apply for a new loan for it."
    ),
}


OWED_FIRST = _l(
    "Bring the papers you still owe the centre by their day (listed below); at enrolment, give your university the contract number and the receipt verification code."
)


@dataclass(frozen=True)
class StudentStatus:
    stage: StudentStage
    pre_registration: PreRegistration | None
    application: Application | None

    @property
    def label(self) -> LazyString:
        return _l(self.stage.msgid)

    @property
    def next_step(self) -> LazyString:
        """The one next step; papers still owed after an acceptance come before anything else."""
        if self.stage in (StudentStage.ACCEPTED, StudentStage.CERTIFICATE_ISSUED) and self.owes_papers:
            return OWED_FIRST
        return NEXT_STEPS[self.stage]

    @property
    def owes_papers(self) -> bool:
        return (
            self.application is not None
            and OwedMaterial.select()
            .where((OwedMaterial.application == self.application) & OwedMaterial.received_at.is_null())
            .exists()
        )

    @property
    def needs_hardship_form(self) -> bool:
        """The application's own answer once there is one (the desk or a list may have changed
        it), else the school's category: one source for every line of the record."""
        if self.application is not None:
            return bool(self.application.hardship_required)
        return self.pre_registration is not None and self.pre_registration.needs_hardship_form

    @property
    def certificate(self):
        """The acceptance certificate in force, when the loan is accepted."""
        if self.application is None or self.application.status != ApplicationStatus.ACCEPTED:
            return None
        return current_certificate(self.application)

    @property
    def service(self) -> str:
        """The window service the student books: the renewal's, or a first loan."""
        return self.application.kind if self.application is not None else Service.FIRST_LOAN

    @property
    def opens_renewal(self) -> bool:
        """Whether the next step is on the renewal page (not the booking of a visit)."""
        return self.stage in (
            StudentStage.RENEWAL_DUE,
            StudentStage.RENEWAL_SENT,
            StudentStage.RENEWAL_RETURNED,
            StudentStage.RENEWAL_APPROVED,
        )

    @property
    def shows_category(self) -> bool:
        """Whether the pre-approval category still matters for what the student does next."""
        return self.pre_registration is not None and self.stage in (
            StudentStage.PRE_REGISTERED,
            StudentStage.APPLICATION_INCOMPLETE,
            StudentStage.SUBMITTED,
            StudentStage.BOOKED,
        )


def student_status(student: Student, season: Season | None) -> StudentStatus:
    """The furthest stage reached in this season; a student with an earlier loan and no new
    first-loan application is on the renewal path."""
    prereg = school_pre_registration(student)
    application = student_application(student, season)
    if application is None and season is not None:
        renewal = student_application(student, season, Service.RENEWAL)
        loan = previous_loan(student, season)
        if renewal is None and loan is not None and study_ended(loan, season.year):
            return StudentStatus(StudentStage.STUDY_ENDED, prereg, None)
        if renewal is not None or loan is not None:
            return StudentStatus(_renewal_stage(renewal), prereg, renewal)
    if application is None:
        return StudentStatus(
            StudentStage.PRE_REGISTERED if prereg else StudentStage.NOT_PRE_REGISTERED, prereg, None
        )
    if application.status in EDITABLE_APPLICATIONS:
        stage = StudentStage.APPLICATION_INCOMPLETE
    elif application.status == ApplicationStatus.ACCEPTED:
        stage = StudentStage.CERTIFICATE_ISSUED if current_certificate(application) else StudentStage.ACCEPTED
    else:
        stage = StudentStage.BOOKED if _is_booked(application) else StudentStage.SUBMITTED
    return StudentStatus(stage, prereg, application)


def _is_booked(application):
    return (
        Appointment.select()
        .where((Appointment.application == application) & (Appointment.status == AppointmentStatus.BOOKED))
        .exists()
    )


def _renewal_stage(renewal):
    if renewal is None or renewal.status == ApplicationStatus.DRAFT:
        return StudentStage.RENEWAL_DUE
    if renewal.status == ApplicationStatus.RETURNED:
        return StudentStage.RENEWAL_RETURNED
    if renewal.status == ApplicationStatus.SUBMITTED:
        return StudentStage.RENEWAL_SENT
    if renewal.needs_window and renewal.status == ApplicationStatus.APPROVED:
        return StudentStage.BOOKED if _is_booked(renewal) else StudentStage.RENEWAL_WINDOW
    return StudentStage.RENEWAL_APPROVED


def previous_loan(student: Student, season: Season) -> Application | None:
    """The latest loan accepted for the student in an earlier season, or None."""
    return (
        Application.select()
        .join(Season)
        .where(
            (Application.student == student)
            & (Application.status == ApplicationStatus.ACCEPTED)
            & (Season.year < season.year)
        )
        .order_by(Season.year.desc())
        .first()
    )


def other_loans(application: Application) -> list[Application]:
    """The student's other applications, newest season first: the desk sees every loan."""
    return list(
        Application.select(Application, Season)
        .join(Season)
        .where((Application.student == application.student_id) & (Application.id != application.id))
        .order_by(Season.year.desc(), Application.kind)
    )


def student_application(
    student: Student, season: Season | None, kind: str = Service.FIRST_LOAN
) -> Application | None:
    """The student's application of that kind in the season, if any."""
    if season is None:
        return None
    return (
        Application.select()
        .where((Application.student == student) & (Application.season == season) & (Application.kind == kind))
        .first()
    )


def school_pre_registration(student: Student) -> PreRegistration | None:
    """The pre-registration made at school for this student, linked by ID number."""
    return (
        PreRegistration.select()
        .where(
            ((PreRegistration.student == student) | (PreRegistration.id_number_index == student.id_number))
            & PreRegistration.status.in_([PreregStatus.ACCEPTED, PreregStatus.MERGED])
        )
        .order_by(PreRegistration.received_at.desc())
        .first()
    )
