"""Desks at once: confirming two claims of one student, typing one receipt code for two loans,
twenty accepts of one loan, a declaration approved and returned together. Each race ends in one success and a clear refusal that names nothing of the other student."""

from tests.concurrency import at_once
from tests.factories import (
    make_application,
    make_centre,
    make_co_borrower,
    make_season,
    make_student,
    make_user,
)
from webapp.models import Application, AuditEvent, IssuedDocument, User
from webapp.services.casework import renewals
from webapp.services.casework.materials import HARDSHIP_FORM, MATERIALS
from webapp.services.common.errors import RuleError
from webapp.services.desk import acceptance
from webapp.services.identity import accounts
from webapp.vocabulary import Service


def test_two_claims_of_one_student_confirmed_at_once(app):
    centre = make_centre()
    student = make_student(centre, name="吴同学", with_account=False)
    claims = [
        make_user(centre, role="student", name="吴同学", mobile=f"1396666000{n}", claimed_student=student)
        for n in (1, 2)
    ]
    clerks = [make_user(centre, role="desk") for _ in claims]
    results = at_once(
        app,
        *[
            lambda c=c, k=k: accounts.confirm_claim(User.get_by_id(c.id), k)
            for c, k in zip(claims, clerks, strict=True)
        ],
    )
    confirmed = [r for r in results if isinstance(r, User)]
    refused = [r for r in results if isinstance(r, RuleError)]
    assert len(confirmed) == 1 and len(refused) == 1, results
    assert refused[0].status == 409 and "already has an account" in str(refused[0].message)
    assert User.select().where(User.student == student).count() == 1


def test_one_receipt_code_typed_for_two_loans_at_once(app):
    centre = make_centre()
    season = make_season(centre)
    loans = []
    for name in ("王一", "李二"):
        student = make_student(centre, name=name)
        loans.append(
            make_application(
                student,
                season,
                co_borrower=make_co_borrower(student),
                status="submitted",
                materials_checked=",".join([*MATERIALS[Service.FIRST_LOAN], *HARDSHIP_FORM]),
            )
        )
    clerks = [make_user(centre, role="desk") for _ in loans]
    numbers = ["2026140623000011", "2026140623000012"]
    results = at_once(
        app,
        *[
            lambda a=a, n=n, k=k: acceptance.accept(
                Application.get_by_id(a.id), n, k, receipt_code="K7Q2M9XP"
            )
            for a, n, k in zip(loans, numbers, clerks, strict=True)
        ],
    )
    refused = [r for r in results if isinstance(r, acceptance.AcceptanceErrors)]
    assert IssuedDocument.select().count() == 1 and len(refused) == 1, results
    errors = {key: str(message) for key, message in refused[0].errors.items()}
    assert list(errors) == ["receipt_code"], errors
    assert not any(number in text for number in numbers for text in errors.values())
    assert Application.select().where(Application.status == "accepted").count() == 1


def test_twenty_accepts_of_one_application_at_once_make_one_acceptance(app):
    """Each request loads the row, saves its ticks and accepts with its own contract number:
    exactly one is accepted, every other is refused, and the stored numbers are the winner's."""
    centre = make_centre()
    season = make_season(centre)
    student = make_student(centre, name="赵同学")
    ticks = [*MATERIALS[Service.FIRST_LOAN], *HARDSHIP_FORM]
    loan = make_application(student, season, co_borrower=make_co_borrower(student), status="submitted")
    clerks = [make_user(centre, role="desk") for _ in range(20)]

    def attempt(n, clerk):
        application = Application.get_by_id(loan.id)  # what the request loaded
        acceptance.save_desk_check(application, ticks, "", "", clerk)
        return acceptance.accept(application, f"HT-2026-{n:04d}", clerk, receipt_code=f"RC{n:04d}")

    results = at_once(app, *[lambda n=n, k=k: attempt(n, k) for n, k in enumerate(clerks)])
    issued = [r for r in results if isinstance(r, IssuedDocument)]
    refused = [r for r in results if isinstance(r, acceptance.AcceptanceErrors)]
    assert len(issued) == 1 and len(refused) == 19, results
    assert all(r.status == 409 for r in refused)
    stored = Application.get_by_id(loan.id)
    winner = issued[0].issued_by
    n = clerks.index(next(k for k in clerks if k.id == winner.id))
    assert (stored.status, stored.contract_number, stored.receipt_code) == (
        "accepted",
        f"HT-2026-{n:04d}",
        f"RC{n:04d}",
    )
    assert AuditEvent.select().where(AuditEvent.action == "application.accepted").count() == 1
    assert IssuedDocument.select().count() == 1


def test_a_declaration_approved_and_returned_at_once_is_one_or_the_other(app):
    centre = make_centre()
    season = make_season(centre)
    student = make_student(centre, name="钱同学")
    renewal = make_application(student, season, kind="renewal", status="submitted")
    first, second = make_user(centre, role="desk"), make_user(centre, role="desk")
    results = at_once(
        app,
        lambda: renewals.approve(Application.get_by_id(renewal.id), first),
        lambda: renewals.return_declaration(Application.get_by_id(renewal.id), second, "请补充学年"),
    )
    refused = [r for r in results if isinstance(r, renewals.RenewalError)]
    assert len(refused) == 1 and refused[0].status == 409, results
    stored = Application.get_by_id(renewal.id)
    done = "approved" if results[0] is None else "returned"
    assert stored.status == done
    assert AuditEvent.select().where(AuditEvent.action.startswith("renewal.")).count() == 1
