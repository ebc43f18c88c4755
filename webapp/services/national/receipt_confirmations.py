"""University confirmation of receipts (回执确认): after a loan is made, the student's
university confirms its receipt in the national system. The centre follows up the receipts not
yet confirmed, by university, before the season's confirmation deadline."""

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from flask_babel import lazy_gettext as _l
from peewee import JOIN, chunked

from webapp.clock import local_today
from webapp.db import database
from webapp.id_crypto import blind_index
from webapp.models import Application, ReceiptConfirmation, Season, Student, User
from webapp.services.casework.season_loans import is_loan
from webapp.services.common import audit
from webapp.services.common.errors import RuleError
from webapp.vocabulary import AuditAction, ConfirmedVia


@dataclass
class UniversityReceipts:
    university: str
    applications: list[Application]


def _unconfirmed(season: Season):
    return (
        Application.select(Application, Student)
        .join(Student)
        .switch(Application)
        .join(ReceiptConfirmation, JOIN.LEFT_OUTER)
        .where((Application.season == season) & is_loan() & ReceiptConfirmation.id.is_null())
    )


def unconfirmed_loans(season: Season):
    """The season's loans whose receipt no university confirmed yet, with their students."""
    return _unconfirmed(season)


def unconfirmed_count(season: Season, loans: int) -> int:
    """Receipts not confirmed yet, from the season's number of loans the dashboard's grouped pass
    already counted: only the confirmations are counted (a small table), not every loan."""
    return max(loans - confirmed_count(season), 0)


def unconfirmed_by_university(season: Season) -> list[UniversityReceipts]:
    """Loans whose receipt no university confirmed yet, grouped by university (most first)."""
    query = _unconfirmed(season).order_by(Application.university, Student.name)
    groups = [
        UniversityReceipts(university, list(items))
        for university, items in groupby(query, key=lambda application: application.university)
    ]
    return sorted(groups, key=lambda group: -len(group.applications))


def confirmed_count(season: Season) -> int:
    return ReceiptConfirmation.select().join(Application).where(Application.season == season).count()


def days_left(season: Season, today: date | None = None) -> int | None:
    """Days until the confirmation deadline (negative once it passed), None without one."""
    if season.confirmation_deadline is None:
        return None
    return (season.confirmation_deadline - (today or local_today())).days


class ConfirmationError(RuleError):
    status = 409


def confirm_by_hand(application: Application, confirmed_on: date, user: User) -> ReceiptConfirmation:
    """The university told the centre it confirmed the receipt (or the clerk saw it in the
    national system)."""
    if not Application.select().where((Application.id == application.id) & is_loan()).exists():
        raise ConfirmationError(_l("Only a loan's receipt can be confirmed."))
    if confirmed_on > local_today():
        raise ConfirmationError(_l("The confirmation date cannot be in the future."))
    with database.atomic():
        confirmation, created = ReceiptConfirmation.get_or_create(
            application=application,
            defaults={"confirmed_on": confirmed_on, "via": ConfirmedVia.HAND, "recorded_by": user},
        )
        if created:
            audit.record(
                AuditAction.RECEIPT_CONFIRMED, application, on=confirmed_on.isoformat(), via=ConfirmedVia.HAND
            )
    return confirmation


def loans_by_contract(season: Season, rows: list[dict]) -> dict[int, Application]:
    """{row number: loan} for confirmation rows, matched by contract number, else by the
    student's ID number."""
    by_number, by_id = {}, {}
    loans = (
        Application.select(Application, Student)
        .join(Student)
        .where((Application.season == season) & is_loan())
    )
    for batch in chunked(rows, 500):
        numbers = [row["contract_number"] for row in batch]
        ids = [row["id_number"] for row in batch if row["id_number"]]
        for application in loans.where(
            Application.contract_number.in_(numbers) | Student.id_number_index.in_(ids or [""])
        ):
            by_number[application.contract_number] = application
            by_id[application.student.id_number_index] = application
    found = {}
    for row in rows:
        application = by_number.get(row["contract_number"])
        if application is None and row["id_number"]:
            application = by_id.get(blind_index(row["id_number"]))
        if application is not None:
            found[row["row"]] = application
    return found
