"""Acceptance certificates (受理证明): a number and a look-up code (受理证明查询码) with which anyone
checks the certificate at /verify/. The university confirms the loan in the national system with
another code, the national receipt verification code (回执校验码) of the application.

The code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), grouped
4-4 so that it is easy to read out and type: 30^8 ≈ 6.6e11 possibilities per certificate.
"""

import secrets

from flask_babel import lazy_gettext as _l

from webapp.db import database, lock_keys
from webapp.models import Application, IssuedDocument, Student, User, utcnow
from webapp.services.common import audit
from webapp.services.common.errors import RuleError
from webapp.services.common.id_numbers import ID_NUMBER_RE, compact_id_number
from webapp.vocabulary import ApplicationStatus, DocumentKind

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalise_code(value: str | None) -> str:
    """What a person typed, as stored: upper case, grouped 4-4 with one dash."""
    text = "".join((value or "").upper().split()).replace("-", "")
    return f"{text[:4]}-{text[4:]}" if len(text) == 8 else text


def code_error(value: str | None):
    """A message when what was typed cannot be a look-up code at all, else None."""
    text = normalise_code(value).replace("-", "")
    if len(text) != 8 or any(c not in CODE_ALPHABET for c in text):
        return _l(
            "The look-up code is 8 letters and digits, as printed on the certificate (for example 7KQ4-M9TX)."
        )
    return None


def current_certificate(application: Application) -> IssuedDocument | None:
    return (
        IssuedDocument.select()
        .where(
            (IssuedDocument.application == application)
            & (IssuedDocument.kind == DocumentKind.CERTIFICATE)
            & IssuedDocument.revoked_at.is_null()
        )
        .first()
    )


class CertificateRevoked(RuleError):
    """The application's certificate was revoked; only a deliberate reissue replaces it."""


def was_revoked(application: Application) -> bool:
    return (
        IssuedDocument.select()
        .where(
            (IssuedDocument.application == application)
            & (IssuedDocument.kind == DocumentKind.CERTIFICATE)
            & IssuedDocument.revoked_at.is_null(False)
        )
        .exists()
    )


def issue_certificate(application: Application, user: User, reissue: bool = False) -> IssuedDocument:
    """The application's certificate, issued now if it has none: number SL{year}-{region}-{n}.
    After a revocation a new one is issued only when reissue is asked for."""
    existing = current_certificate(application)
    if existing is not None:
        return existing
    if not reissue and was_revoked(application):
        raise CertificateRevoked(
            _l("The certificate was revoked. A leader can reissue it from the application page.")
        )
    centre, season = application.centre, application.season
    prefix = f"SL{season.year}-{centre.region_code}-"
    with database.atomic():
        lock_keys([prefix])  # numbers are counted, so one issuer at a time per centre and season
        existing = current_certificate(application)  # issued while this one waited for the lock
        if existing is not None:
            return existing
        count = (
            IssuedDocument.select()
            .where((IssuedDocument.centre == centre) & IssuedDocument.number.startswith(prefix))
            .count()
        )
        certificate = IssuedDocument.create(
            centre=centre,
            kind=DocumentKind.CERTIFICATE,
            student=application.student,
            application=application,
            number=f"{prefix}{count + 1:05d}",
            verification_code=new_verification_code(),
            issued_by=user,
            issued_at=utcnow(),
        )
        audit.record("certificate.issued", certificate, actor=user, number=certificate.number)
    return certificate


def verify(number: str | None, code: str | None) -> IssuedDocument | None:
    """The certificate for a certificate number (or the student's ID number: their newest
    certificate) and code, or None; both must match exactly."""
    number = (number or "").strip().upper()
    certificates = IssuedDocument.select().where(IssuedDocument.kind == DocumentKind.CERTIFICATE)
    if ID_NUMBER_RE.match(compact_id_number(number)):
        number = compact_id_number(number)
        certificate = (
            certificates.join(Student)
            .where(Student.id_number_index == number)
            .order_by(IssuedDocument.issued_at.desc())
            .first()
        )
    else:
        certificate = certificates.where(IssuedDocument.number == number).first()
    if certificate is None or not secrets.compare_digest(
        certificate.verification_code or "", normalise_code(code)
    ):
        return None
    return certificate


def reissue(application: Application, user: User) -> IssuedDocument:
    """A new number and code after a revocation (the old certificate stays revoked)."""
    if application.status != ApplicationStatus.ACCEPTED or current_certificate(application) is not None:
        raise ValueError(_l("Only an accepted application whose certificate was revoked can get a new one."))
    certificate = issue_certificate(application, user, reissue=True)
    audit.record("certificate.reissued", certificate, actor=user, number=certificate.number)
    return certificate


def revoke(certificate: IssuedDocument, reason: str | None, user: User) -> None:
    """Withdraw a certificate (issued in error, loan cancelled); the public check says so."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError(_l("Give the reason for revoking the certificate."))
    if certificate.revoked_at is not None:
        raise ValueError(_l("This certificate is already revoked."))
    certificate.revoked_at, certificate.revoked_reason = utcnow(), reason
    certificate.save()
    audit.record("certificate.revoked", certificate, actor=user, number=certificate.number, reason=reason)
