"""Contract changes (合同变更) at the desk: a new co-borrower, another university or length of
study, or a new amount when the cap is raised mid-season. Each needs its papers ticked, is made
in the national system by the clerk, and is kept here with the values before and after."""

import json

from flask_babel import lazy_gettext as _l

from webapp.db import database
from webapp.models import Application, ContractChange, Guardian, User
from webapp.services.casework import loan_rules
from webapp.services.casework.applications import StepErrors, checked_co_borrower
from webapp.services.casework.materials import CHANGE_MATERIALS
from webapp.services.casework.season_loans import is_loan
from webapp.services.common import audit
from webapp.vocabulary import AuditAction, ContractChangeKind

MAX_TEXT = 100
MAX_NOTE = 500


def changeable(application: Application) -> bool:
    """Only a loan (accepted, or a renewal approved online) has a contract to change."""
    return Application.select().where((Application.id == application.id) & is_loan()).exists()


def _check_materials(kind, ticked):
    missing = [key for key in CHANGE_MATERIALS[kind] if key not in (ticked or [])]
    return {"materials": _l("Tick every paper of this change; the change needs them all.")} if missing else {}


def _co_borrower(application, values):
    clean = checked_co_borrower(
        application,
        values.get("name"),
        values.get("relation", ""),
        values.get("id_number"),
        values.get("mobile"),
    )
    old = application.co_borrower
    if old is not None and old.id_number == clean["id_number"]:
        raise StepErrors({"id_number": _l("This is the co-borrower already on the contract.")})
    before = {"co_borrower": old.name if old else "", "relation": old.relation if old else ""}
    after = {"co_borrower": clean["name"], "relation": values["relation"]}

    def apply():
        if old is not None:
            old.is_co_borrower = False
            old.save()
        guardian = Guardian.create(
            student=application.student,
            name=clean["name"],
            relation=values["relation"],
            id_number=clean["id_number"],
            mobile=clean["mobile"],
            is_co_borrower=True,
        )
        application.co_borrower = guardian

    return before, after, apply


def _university(application, values):
    university = (values.get("university") or "").strip()
    study_years = values.get("study_years")
    errors = {}
    if not university:
        errors["university"] = _l("Enter the university.")
    elif len(university) > MAX_TEXT:
        errors["university"] = _l("At most %(n)d characters.", n=MAX_TEXT)
    if not isinstance(study_years, int) or not 1 <= study_years <= 8:
        errors["study_years"] = _l("Enter a whole number from %(low)s to %(high)s.", low=1, high=8)
    elif message := loan_rules.study_period_error(
        application.season.year, application.admission_year, study_years
    ):
        errors["study_years"] = message
    if errors:
        raise StepErrors(errors)
    if university == application.university and study_years == application.study_years:
        raise StepErrors({"university": _l("Nothing changes: give the new university or length of study.")})
    term = application.loan_term_years
    if application.admission_year:
        remaining = loan_rules.remaining_years(
            application.season.year, application.admission_year, study_years
        )
        term = loan_rules.loan_term(application.season, remaining)
    fields = ("university", "study_years", "loan_term_years")
    before = {name: getattr(application, name) for name in fields}
    after = {"university": university, "study_years": study_years, "loan_term_years": term}

    def apply():
        for name, value in after.items():
            setattr(application, name, value)

    return before, after, apply


def _amount(application, values):
    amount = values.get("amount")
    message = loan_rules.amount_error(
        application.season, application.level, amount if isinstance(amount, int) else None
    )
    if message:
        raise StepErrors({"amount": message})
    if amount == application.amount_requested:
        raise StepErrors({"amount": _l("This is the amount already on the contract.")})
    before, after = {"amount": application.amount_requested}, {"amount": amount}

    def apply():
        application.amount_requested = amount

    return before, after, apply


CHANGES = {
    ContractChangeKind.CO_BORROWER: _co_borrower,
    ContractChangeKind.UNIVERSITY: _university,
    ContractChangeKind.AMOUNT: _amount,
}


def change_contract(
    application: Application, kind: str, values: dict, materials: list[str], note: str, user: User
) -> ContractChange:
    """Record a change made to the loan's contract, or StepErrors saying what to correct."""
    if kind not in CHANGES:
        raise StepErrors({"kind": _l("Choose what changes.")})
    if not changeable(application):
        raise StepErrors({"_": _l("Only an accepted loan has a contract to change.")}, status=409)
    note = (note or "").strip()
    errors = _check_materials(kind, materials)
    if len(note) > MAX_NOTE:
        errors["note"] = _l("At most %(n)d characters.", n=MAX_NOTE)
    try:
        before, after, apply = CHANGES[kind](application, values)
    except StepErrors as exc:
        errors = {**exc.errors, **errors}
    if errors:
        raise StepErrors(errors)
    with database.atomic():
        apply()
        application.save()
        change = ContractChange.create(
            centre=application.centre,
            application=application,
            kind=kind,
            old_values=json.dumps(before, ensure_ascii=False),
            new_values=json.dumps(after, ensure_ascii=False),
            materials_checked=",".join(sorted(materials)),
            note=note,
            made_by=user,
        )
        audit.record(
            AuditAction.CONTRACT_CHANGED, application, actor=user, kind=kind, old=before, new=after, note=note
        )
    return change


def history(application: Application) -> list[ContractChange]:
    return list(application.contract_changes.order_by(ContractChange.made_at.desc()))
