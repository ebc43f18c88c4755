"""The printed documents (docs/domain.md section 4): what each one shows, rendered as one PDF per
request (a batch is one document, so its fonts are embedded once), and recorded."""

import functools
import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import cn2an
import segno
from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone

from webapp import metrics
from webapp.clock import local_today
from webapp.models import (
    Application,
    Appointment,
    Centre,
    FamilyMember,
    PreRegistration,
    PrintedDocument,
    Student,
    User,
    utcnow,
)
from webapp.public_address import public_url
from webapp.services.casework import applications, loan_rules
from webapp.services.casework.certificates import CertificateRevoked, current_certificate, was_revoked
from webapp.services.common import audit
from webapp.services.common.errors import RuleError
from webapp.services.common.id_numbers import InvalidIdNumber, mask_id_number, parse_id_number
from webapp.services.printing.bilingual import CHINESE_LOCALES, DOCUMENT_MSGIDS, Bilingual
from webapp.services.printing.fonts import font_stack, font_status
from webapp.services.printing.pdf import PdfRenderer
from webapp.vocabulary import (
    N_,
    ApplicationStatus,
    AppointmentStatus,
    DocumentKind,
    HalfDay,
    Service,
    special_group_msgids,
)

TEMPLATES = {
    DocumentKind.PREREG_SLIP: "print/prereg_slip.html",
    DocumentKind.APPLICATION_FORM: "print/application_form.html",
    DocumentKind.HARDSHIP_FORM: "print/hardship_form.html",
    DocumentKind.CERTIFICATE: "print/certificate.html",
    DocumentKind.DAILY_LIST: "print/daily_list.html",
}

TITLES = {
    DocumentKind.PREREG_SLIP: N_("Pre-registration slip"),
    DocumentKind.APPLICATION_FORM: N_("Application form for a credit student loan at the place of origin"),
    DocumentKind.HARDSHIP_FORM: N_(
        "Application for recognition as a student from a family in financial difficulty"
    ),
    DocumentKind.CERTIFICATE: N_("Acceptance certificate"),
    DocumentKind.DAILY_LIST: N_("Appointments of the day"),
}
TRADITIONAL_CAPITALS = str.maketrans("万亿贰叁陆圆", "萬億貳參陸圓")
FAMILY_ROWS = 8  # the national form's table
PARALLEL_FROM = 12  # documents; smaller jobs are faster in one piece


@dataclass
class Document:
    """One document of a print job and the records it belongs to."""

    kind: str
    context: dict
    student: object = None
    application: object = None
    pre_registration: object = None
    certificate: object = None
    links: dict = field(default_factory=dict)


def init_app(app: Flask) -> None:
    """Say at start-up when documents cannot print Chinese, or will print slowly."""
    status = font_status(app.config["FONT_DIR"])
    if not status.ok:
        app.logger.warning(
            "No CJK font (%s): printing is disabled until fonts-noto-cjk is installed.",
            ", ".join(status.missing_families),
        )
    elif len(status.slim_faces) < 2:
        app.logger.warning(
            "Slim print fonts missing in %s: run `flask fonts build` (make does).", app.config["FONT_DIR"]
        )


def renderer() -> PdfRenderer:
    """The app's PdfRenderer, created on first use."""
    app = current_app._get_current_object()
    if "pdf_renderer" not in app.extensions:
        settings = (
            app.config["FONT_DIR"],
            str(Path(app.static_folder) / "css" / "print.css"),
            app.static_folder,
        )
        app.extensions["pdf_renderer"] = _shared_renderer(*settings, font_status(settings[0]))
    return app.extensions["pdf_renderer"]


@functools.lru_cache(maxsize=4)
def _shared_renderer(font_dir, stylesheet, base_url, _status) -> PdfRenderer:
    """One renderer per process for the same fonts and stylesheet: its font configuration and
    parsed stylesheet cost more than most documents, and every app of the process (a test suite
    makes thousands) prints the same way. The fonts' status is part of the key, so a machine
    whose fonts change gets a renderer that knows."""
    return PdfRenderer(font_dir, stylesheet, base_url=base_url)


def amount_in_capitals(amount: int | None, locale: str = "zh_Hans") -> str:
    """16000 → 壹万陆仟元整 (壹萬陸仟元整 in Traditional Chinese)."""
    if amount is None:
        return ""
    text = cn2an.an2cn(int(amount), "rmb")
    return text.translate(TRADITIONAL_CAPITALS) if locale == "zh_Hant" else text


def qr_data_uri(url: str) -> str:
    """A PNG: WeasyPrint places a bitmap much faster than it parses an SVG path per module."""
    return segno.make(url, error="m").png_data_uri(scale=8, border=2)


def render(documents: list[Document], locale: str, user: User) -> bytes:
    """The PDF of documents in order; every document is recorded with the PDF's checksum."""
    locale = locale if locale in CHINESE_LOCALES else "zh_Hans"
    script = "TC" if locale == "zh_Hant" else "SC"
    bi = Bilingual(locale)

    def html_of(part):
        return render_template(
            "print/job.html",
            documents=part,
            templates=TEMPLATES,
            titles=TITLES,
            bi=bi,
            zh=bi.zh_text,
            capitals=amount_in_capitals,
            locale=locale,
            **DOCUMENT_MSGIDS,
            font_stack=font_stack(script),
            html_lang=locale.replace("_", "-"),
            printed_on=local_today(),
        )

    with metrics.pdf_timer(documents[0].kind if documents else "none"):
        if len(documents) < PARALLEL_FROM:
            pdf, pages = renderer().render(html_of(documents))
        else:
            workers = os.cpu_count() or 2
            size = -(-len(documents) // workers)
            pdf, pages = renderer().render_parts(
                [html_of(documents[start : start + size]) for start in range(0, len(documents), size)]
            )
    checksum = hashlib.sha256(pdf).hexdigest()
    PrintedDocument.insert_many(
        [
            {
                "centre": user.centre_id,
                "kind": d.kind,
                "student": d.student,
                "application": d.application,
                "pre_registration": d.pre_registration,
                "certificate": d.certificate,
                "locale": locale,
                "pages": pages,
                "checksum": checksum,
                "printed_by": user.id,
                "printed_at": utcnow(),
            }
            for d in documents
        ]
    ).execute()
    audit.record(
        "documents.printed",
        documents[0].application if len(documents) == 1 else None,
        actor=user,
        centre=user.centre,
        count=len(documents),
        kinds=sorted({str(d.kind) for d in documents}),
        students=[getattr(d.student, "id", d.student) for d in documents[:100]],
    )
    return pdf


# -- what each document shows -------------------------------------------------------------------


def _age(id_number):
    """Age today from an ID number, or None when it does not parse."""
    try:
        return loan_rules.age_on(parse_id_number(id_number).birth_date, local_today())
    except InvalidIdNumber:
        return None


def _student_facts(student, mask):
    return {"student": student, "id_number": mask_id_number(student.id_number) if mask else student.id_number}


def prereg_slip(record: PreRegistration) -> Document:
    return Document(
        DocumentKind.PREREG_SLIP,
        {"record": record, **_student_facts(record, mask=True)},
        student=record.student,
        pre_registration=record,
    )


# The assessment block of the family-hardship form, filled by hand at the school or centre.
ASSESSMENT_LEVELS = (
    N_("Especially in hardship"),
    N_("In hardship"),
    N_("In some hardship"),
    N_("Not in hardship"),
)


def application_form(application: Application) -> Document:
    student = application.student
    co_borrower = application.co_borrower
    return Document(
        DocumentKind.APPLICATION_FORM,
        {
            "application": application,
            "co_borrower": co_borrower,
            "co_borrower_age": _age(co_borrower.id_number) if co_borrower else None,
            "season": application.season,
            "one_loan_declaration": applications.ONE_LOAN_DECLARATION,
            **_student_facts(student, mask=False),
        },
        student=student,
        application=application,
    )


def hardship_form(application: Application) -> Document:
    """Filled from what the student entered online; blank rows and boxes to fill by hand."""
    student = application.student
    members = list(application.family_members.order_by(FamilyMember.position))
    return Document(
        DocumentKind.HARDSHIP_FORM,
        {
            "application": application,
            "members": members,
            "blank_rows": range(max(0, FAMILY_ROWS - len(members))),
            "per_capita_income": applications.per_capita_income(application, members),
            "assessment_levels": ASSESSMENT_LEVELS,
            "special_groups": special_group_msgids(application.season.year),
            "ticked": set(application.special_groups.split(",") + application.hardship_factors.split(",")),
            **_student_facts(student, mask=False),
        },
        student=student,
        application=application,
    )


def certificate(application: Application, user: User) -> Document:
    """The acceptance certificate as issued at acceptance (services/desk/acceptance.py); printing
    only reads it. A revoked one is printed again only after a leader reissues it."""
    issued = current_certificate(application)
    if issued is None:
        if was_revoked(application):
            raise CertificateRevoked(
                _l("The certificate was revoked. A leader can reissue it from the application page.")
            )
        raise RuleError(_l("A certificate is printed once the application is accepted."))
    url = public_url("verify.check", number=issued.number, code=issued.verification_code)
    accepted = application.accepted_at or issued.issued_at
    return Document(
        DocumentKind.CERTIFICATE,
        {
            "application": application,
            "issued": issued,
            "verify_url": url,
            "accepted_on": to_user_timezone(accepted).date(),
            # 2026—2027, never broken at the dash (word joiners around it)
            "academic_year": f"{application.season.year}\u2060—\u2060{application.season.year + 1}",
            "new_entrant": is_new_entrant(application),
            "verify_page": public_url("verify.check"),
            "qr": qr_data_uri(url),
            "centre": application.centre,
            **_student_facts(application.student, mask=True),
        },
        student=application.student,
        application=application,
        certificate=issued,
    )


def is_new_entrant(application: Application) -> bool:
    """Admitted this year (a first loan whose studies begin in the season's year), rather than
    studying already (a renewal, or a first loan taken in a later year of study)."""
    if application.kind != Service.FIRST_LOAN:
        return False
    return application.admission_year is None or application.admission_year >= application.season.year


def daily_list(centre: Centre, day: date) -> Document:
    appointments = (
        Appointment.not_cancelled(Appointment, Student)
        .join(Student)
        .where((Appointment.centre == centre) & (Appointment.day == day))
        .order_by(Appointment.half_day.desc(), Appointment.service, Student.name)
    )
    groups = {}
    for appointment in appointments:
        groups.setdefault((appointment.half_day, appointment.service), []).append(appointment)
    return Document(
        DocumentKind.DAILY_LIST,
        {
            "day": day,
            "centre": centre,
            "groups": groups,
            "mask": mask_id_number,
            "status_msgid": _list_status,
        },
    )


def _list_status(appointment: Appointment) -> str:
    """What the daily list says of a booking: an accepted loan, else where the visit stands."""
    application = appointment.application
    if application is not None and application.status == ApplicationStatus.ACCEPTED:
        return ApplicationStatus.ACCEPTED.msgid
    return AppointmentStatus(appointment.status).msgid


def batch_counts(centre: Centre, day: date) -> dict[tuple[str, str], int]:
    """How many documents each batch button of the print centre would print, by (kind, half-day,
    "" for the whole day): a button with none is not offered."""
    counts = {}
    for half_day in ("", HalfDay.MORNING, HalfDay.AFTERNOON):
        booked = applications_of_the_day(centre, day, half_day or None)
        counts[(DocumentKind.APPLICATION_FORM, half_day)] = len(booked)
        counts[(DocumentKind.CERTIFICATE, half_day)] = sum(
            1 for a in booked if a.status == ApplicationStatus.ACCEPTED and current_certificate(a)
        )
    return counts


def applications_of_the_day(
    centre: Centre, day: date, half_day: str | None = None, accepted_only: bool = False
) -> list[Application]:
    """Applications booked at the window for a day (and half-day), in list order."""
    query = (
        Application.select(Application)
        .join(Appointment, on=(Appointment.application == Application.id))
        .switch(Application)
        .join(Student)
        .where(
            (Appointment.centre == centre)
            & (Appointment.day == day)
            & (Appointment.status != AppointmentStatus.CANCELLED)
        )
    )
    if half_day:
        query = query.where(Appointment.half_day == half_day)
    if accepted_only:
        query = query.where(Application.status == ApplicationStatus.ACCEPTED)
    applications = query.order_by(Appointment.half_day.desc(), Student.name)
    return list({a.id: a for a in applications}.values())
