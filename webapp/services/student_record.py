"""Where a student stands in the season, in plain words, and the one next step."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from webapp.models import Application, Appointment, IssuedDocument, PreRegistration, Season

from .loan_rules import study_ended

STAGES = {
    "not_pre_registered": (
        _l("Not yet pre-registered"),
        _l("Start your loan application online, or ask your school about the visit of the aid centre."),
    ),
    "pre_registered": (_l("Pre-registered at your school"), _l("Complete your application online.")),
    "application_incomplete": (
        _l("Application not finished"),
        _l("Finish the remaining steps of your application."),
    ),
    "submitted": (_l("Application complete"), _l("Book a half-day at the centre's window.")),
    "booked": (
        _l("Appointment booked"),
        _l("Come to the centre on your booked half-day with the listed materials."),
    ),
    "accepted": (_l("Loan accepted"), _l("Collect your acceptance certificate at the desk.")),
    "certificate_issued": (
        _l("Certificate issued"),
        _l("Hand the certificate's verification code to your university at enrolment."),
    ),
    "renewal_due": (
        _l("Renewal due"),
        _l("File your renewal declaration online; most students need not come to the centre."),
    ),
    "renewal_sent": (
        _l("Renewal declaration sent"),
        _l("The centre checks your declaration; the answer appears here."),
    ),
    "renewal_returned": (
        _l("Renewal declaration returned"),
        _l("Correct what the centre asks and send the declaration again."),
    ),
    "renewal_approved": (
        _l("Renewal approved"),
        _l("Nothing more to do; the loan for the coming year follows."),
    ),
    "renewal_window": (
        _l("Renewal approved: come to sign"),
        _l("Book a renewal half-day and bring the listed materials."),
    ),
    "study_ended": (
        _l("Earlier loan's study period ended"),
        _l("Starting a new stage of study (专升本, a master's or a doctorate)? Apply for a new loan for it."),
    ),
}


@dataclass(frozen=True)
class StudentStatus:
    stage: str
    pre_registration: PreRegistration | None
    application: Application | None

    @property
    def label(self):
        return STAGES[self.stage][0]

    @property
    def next_step(self):
        return STAGES[self.stage][1]

    @property
    def service(self):
        """The window service the student books: the renewal's, or a first loan."""
        return self.application.kind if self.application is not None else "first_loan"

    @property
    def shows_category(self):
        """Whether the pre-approval category still matters for what the student does next."""
        return self.pre_registration is not None and self.stage in (
            "pre_registered",
            "application_incomplete",
            "submitted",
            "booked",
        )


def student_status(student, season):
    """The furthest stage reached in this season; a student with an earlier loan and no new
    first-loan application is on the renewal path."""
    prereg = school_pre_registration(student)
    application = student_application(student, season)
    if application is None and season is not None:
        renewal = student_application(student, season, "renewal")
        loan = previous_loan(student, season)
        if renewal is None and loan is not None and study_ended(loan, season.year):
            return StudentStatus("study_ended", prereg, None)
        if renewal is not None or loan is not None:
            return StudentStatus(_renewal_stage(renewal), prereg, renewal)
    stage = "pre_registered" if prereg else "not_pre_registered"
    if application is not None:
        stage = "application_incomplete" if application.status in ("draft", "returned") else "submitted"
        if application.status == "accepted":
            stage = "accepted"
            if (
                IssuedDocument.select()
                .where(
                    IssuedDocument.application == application,
                    IssuedDocument.kind == "certificate",
                    IssuedDocument.revoked_at.is_null(),
                )
                .exists()
            ):
                stage = "certificate_issued"
        elif (
            Appointment.select()
            .where(Appointment.application == application, Appointment.status == "booked")
            .exists()
        ):
            stage = "booked"
    return StudentStatus(stage, prereg, application)


def _renewal_stage(renewal):
    if renewal is None or renewal.status == "draft":
        return "renewal_due"
    if renewal.status == "returned":
        return "renewal_returned"
    if renewal.status == "submitted":
        return "renewal_sent"
    if renewal.needs_window and renewal.status == "approved":
        booked = (
            Appointment.select()
            .where(Appointment.application == renewal, Appointment.status == "booked")
            .exists()
        )
        return "booked" if booked else "renewal_window"
    return "renewal_approved"


def previous_loan(student, season):
    """The latest loan accepted for the student in an earlier season, or None."""
    return (
        Application.select()
        .join(Season)
        .where(
            (Application.student == student)
            & (Application.status == "accepted")
            & (Season.year < season.year)
        )
        .order_by(Season.year.desc())
        .first()
    )


def other_loans(application):
    """The student's other applications, newest season first: the desk sees every loan."""
    return list(
        Application.select(Application, Season)
        .join(Season)
        .where((Application.student == application.student_id) & (Application.id != application.id))
        .order_by(Season.year.desc(), Application.kind)
    )


def student_application(student, season, kind="first_loan"):
    """The student's application of that kind in the season, if any."""
    if season is None:
        return None
    return (
        Application.select()
        .where((Application.student == student) & (Application.season == season) & (Application.kind == kind))
        .first()
    )


def school_pre_registration(student):
    """The pre-registration made at school for this student, linked by ID number."""
    return (
        PreRegistration.select()
        .where(
            ((PreRegistration.student == student) | (PreRegistration.id_number == student.id_number))
            & PreRegistration.status.in_(["accepted", "merged"])
        )
        .order_by(PreRegistration.received_at.desc())
        .first()
    )
