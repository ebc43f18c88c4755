"""Where a student stands in the season, in plain words, and the one next step."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from webapp.models import Application, Appointment, IssuedDocument, PreRegistration

STAGES = {
    "not_pre_registered": (_l("Not yet pre-registered"),
                           _l("Start your loan application online, or ask your school about the visit of the aid centre.")),
    "pre_registered": (_l("Pre-registered at your school"),
                       _l("Complete your application online.")),
    "application_incomplete": (_l("Application not finished"),
                               _l("Finish the remaining steps of your application.")),
    "submitted": (_l("Application complete"),
                  _l("Book a half-day at the centre's window.")),
    "booked": (_l("Appointment booked"),
               _l("Come to the centre on your booked half-day with the listed materials.")),
    "accepted": (_l("Loan accepted"),
                 _l("Collect your acceptance certificate at the desk.")),
    "certificate_issued": (_l("Certificate issued"),
                           _l("Hand the certificate's verification code to your university at enrolment.")),
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
    def shows_category(self):
        """Whether the pre-approval category still matters for what the student does next."""
        return self.pre_registration is not None and self.stage in (
            "pre_registered", "application_incomplete", "submitted", "booked")


def student_status(student, season):
    """The furthest stage reached in this season."""
    prereg = school_pre_registration(student)
    application = student_application(student, season)
    stage = "pre_registered" if prereg else "not_pre_registered"
    if application is not None:
        stage = "application_incomplete" if application.status in ("draft", "returned") else "submitted"
        if application.status == "accepted":
            stage = "accepted"
            if IssuedDocument.select().where(IssuedDocument.application == application,
                                             IssuedDocument.kind == "certificate",
                                             IssuedDocument.revoked_at.is_null()).exists():
                stage = "certificate_issued"
        elif Appointment.select().where(Appointment.application == application,
                                        Appointment.status == "booked").exists():
            stage = "booked"
    return StudentStatus(stage, prereg, application)


def student_application(student, season, kind="first_loan"):
    """The student's application of that kind in the season, if any."""
    if season is None:
        return None
    return (Application.select()
            .where((Application.student == student) & (Application.season == season)
                   & (Application.kind == kind)).first())


def school_pre_registration(student):
    """The pre-registration made at school for this student, linked by ID number."""
    return (PreRegistration.select()
            .where(((PreRegistration.student == student)
                    | (PreRegistration.id_number == student.id_number))
                   & PreRegistration.status.in_(["accepted", "merged"]))
            .order_by(PreRegistration.received_at.desc()).first())
