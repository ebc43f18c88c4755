"""A borrower is nobody's co-borrower: a person who borrows (an application of this year sent,
approved or accepted in any centre, or an earlier loan whose term still runs) cannot stand
beside another student's loan. Every path that sets a co-borrower asks here, by the ID number's
blind index: the student's step, the desk, a contract change, offline capture and acceptance."""

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from peewee import fn

from webapp import id_crypto
from webapp.models import Application, Season, Student
from webapp.models.fields import Digest
from webapp.vocabulary import ApplicationStatus

BORROWS_ALREADY = _l(
    "This person has a student loan of their own and so cannot be a co-borrower. Choose another adult of the family."
)
SENT = (ApplicationStatus.SUBMITTED, ApplicationStatus.APPROVED, ApplicationStatus.ACCEPTED)


def borrowers_among(id_numbers: Iterable[str], year: int) -> set[str]:
    """The ID numbers, of those given, whose holder borrows in the season of that year."""
    by_digest = {Digest(id_crypto.blind_index(number)): number for number in id_numbers if number}
    if not by_digest:
        return set()
    term_end = Season.year + fn.COALESCE(Application.loan_term_years, Season.term_max_years)
    query = (
        Student.select(Student.id_number_index)
        .join(Application)
        .join(Season)
        .where(
            Student.id_number_index.in_(list(by_digest))
            & (
                ((Season.year == year) & Application.status.in_(SENT))
                | (
                    (Application.status == ApplicationStatus.ACCEPTED)
                    & (Season.year < year)
                    & (term_end > year)
                )
            )
        )
        .distinct()
        .tuples()
    )
    return {by_digest[Digest(digest)] for (digest,) in query}


def co_borrower_error(id_number: str, year: int):
    """The message when the co-borrower borrows, else None."""
    return BORROWS_ALREADY if borrowers_among([id_number], year) else None
