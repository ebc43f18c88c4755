"""What to bring to the window, and the papers a student still owes after an acceptance with
papers to follow (the Shenzhen practice: sign now, bring the forgotten paper later)."""

from datetime import date

from flask_babel import lazy_gettext as _l
from peewee import ModelSelect

from webapp.clock import local_today
from webapp.models import Application, Centre, OwedMaterial, Student, User, utcnow
from webapp.services.common import audit
from webapp.vocabulary import N_, ContractChangeKind, Service

# docs/domain.md sections 2 and 3: what to bring to the window, by service; the keys are what the desk ticks.
# The words name whose paper it is, so that the student's list and the desk's checklist read alike.
MATERIALS = {
    Service.FIRST_LOAN: {
        "application_form": N_("The printed and signed application form"),
        "id_card": N_("The student's resident ID card"),
        "household_register": N_("The household register (户口本)"),
        "admission": N_(
            "The admission letter (new students), or the student card (if it is lost, the Ministry of Education's online student status report)"
        ),
        "co_borrower_id": N_("The co-borrower's resident ID card"),
        "co_borrower_present": N_(
            "The co-borrower, in person: the student and the co-borrower sign the contract together at the window"
        ),
    },
    Service.RENEWAL: {
        "attendee_id": N_("The resident ID card of whoever comes"),
        "signed_form": N_("The signed application form"),
    },
}
# A first loan of a student not pre-approved at school also brings the family-hardship form.
HARDSHIP_FORM = {
    "hardship_form": N_(
        "The family-hardship determination form (家庭经济困难学生认定申请表), signed (not needed when pre-approved at school)"
    )
}
# A contract change (合同变更), by ContractChangeKind: the signed request and the papers of the change.
CHANGE_MATERIALS = {
    ContractChangeKind.CO_BORROWER: {
        "co_borrower_change_request": N_(
            "The contract-change request, signed by the student and the old and new co-borrowers"
        ),
        "id_card": N_("The student's resident ID card"),
        "new_co_borrower_id": N_("The new co-borrower's resident ID card"),
        "household_register": N_("The household register (户口本)"),
    },
    ContractChangeKind.UNIVERSITY: {
        "change_request": N_("The contract-change request, signed by the student and the co-borrower"),
        "id_card": N_("The student's resident ID card"),
        "enrolment_proof": N_("The university's admission letter or certificate of enrolment"),
    },
    ContractChangeKind.AMOUNT: {
        "change_request": N_("The contract-change request, signed by the student and the co-borrower"),
        "id_card": N_("The student's resident ID card"),
        "fee_statement": N_("The university's statement of tuition and accommodation fees"),
    },
}
MATERIAL_LABELS = {
    key: _l(msgid)
    for items in (*MATERIALS.values(), *CHANGE_MATERIALS.values(), HARDSHIP_FORM)
    for key, msgid in items.items()
}
# Who is checked in person at the window, by service: never owed, never "to follow". A first
# loan is signed by the student and the co-borrower together, each with the ID card; at a
# renewal either may come.
IN_PERSON = {
    Service.FIRST_LOAN: ("id_card", "co_borrower_id", "co_borrower_present"),
    Service.RENEWAL: ("attendee_id",),
}
# How long the desk may give for a paper to follow.
MAX_DAYS_TO_FOLLOW = 60


def _service_of(application):
    return Service.RENEWAL if application.kind == Service.RENEWAL else Service.FIRST_LOAN


def materials_for(application: Application) -> dict[str, str]:
    """What this student brings: the service's papers, and the family-hardship form for a first
    loan the school did not pre-approve."""
    service = _service_of(application)
    if service == Service.FIRST_LOAN and application.hardship_required:
        return {**MATERIALS[service], **HARDSHIP_FORM}
    return MATERIALS[service]


def materials_to_bring() -> dict[str, dict[str, str]]:
    """Every service's list for the public policy page, the hardship form on the first loan's."""
    return {**MATERIALS, Service.FIRST_LOAN: {**MATERIALS[Service.FIRST_LOAN], **HARDSHIP_FORM}}


def materials_of_visit(service: str, application: Application | None) -> dict[str, str]:
    """The list a booking confirmation shows: the application's own when the visit is for one."""
    if application is not None and service in MATERIALS:
        return materials_for(application)
    return MATERIALS.get(service, {})


def papers_for(application: Application) -> list[str]:
    """The papers handed in, without who must be present at the signing (papers now, contract
    later: the co-borrower comes to the return visit)."""
    return [key for key in materials_for(application) if key != "co_borrower_present"]


def owed_errors(
    application: Application, missing: list[str], due_on: date | None, today: date | None = None
) -> dict:
    """{field: message} when the missing papers may not follow, as the season and rules say."""
    today = today or local_today()
    if not application.season.papers_to_follow:
        return {"materials": _l("Tick every material before accepting.")}
    in_person = set(missing) & set(IN_PERSON[_service_of(application)])
    if in_person - {"id_card", "attendee_id"}:
        return {
            "materials": _l(
                "A first loan is signed by the student and the co-borrower in person, each with the ID card; this cannot follow later."
            )
        }
    if in_person:
        return {"materials": _l("The ID card is checked in person; it cannot follow later.")}
    if not isinstance(due_on, date) or not today < due_on <= date.fromordinal(
        today.toordinal() + MAX_DAYS_TO_FOLLOW
    ):
        return {"papers_due": _l("Give the day the papers are due, within %(n)d days.", n=MAX_DAYS_TO_FOLLOW)}
    return {}


def record_owed(application: Application, missing: list[str], due_on: date, user: User) -> None:
    """One row per paper still owed; called inside the acceptance's transaction."""
    for key in missing:
        OwedMaterial.create(application=application, material=key, due_on=due_on, recorded_by=user)
    audit.record(
        "materials.owed", application, actor=user, materials=list(missing), due_on=due_on.isoformat()
    )


def outstanding(application: Application) -> list[OwedMaterial]:
    """Papers the student still owes, by due date."""
    return list(
        application.owed_materials.where(OwedMaterial.received_at.is_null()).order_by(
            OwedMaterial.due_on, OwedMaterial.id
        )
    )


def is_overdue(item: OwedMaterial) -> bool:
    """Still owed after the day it was due (the centre's day)."""
    return item.received_at is None and item.due_on < local_today()


def receive(item: OwedMaterial, user: User) -> OwedMaterial:
    """The student handed the paper in."""
    if item.received_at is not None:
        return item
    item.received_at, item.received_by = utcnow(), user
    item.save()
    audit.record("materials.received", item.application, actor=user, material=item.material)
    return item


def owed_in_centre(centre: Centre) -> ModelSelect:
    """Every paper owed in the centre with its student, the longest overdue first."""
    return (
        OwedMaterial.select(OwedMaterial, Application, Student)
        .join(Application)
        .join(Student)
        .where((Application.centre == centre) & OwedMaterial.received_at.is_null())
        .order_by(OwedMaterial.due_on, Student.name)
    )


def owing_applications(centre: Centre) -> set[int]:
    """Ids of the centre's applications that still owe a paper (for the desk's lists)."""
    return {
        row.application_id
        for row in OwedMaterial.select(OwedMaterial.application)
        .join(Application)
        .where((Application.centre == centre) & OwedMaterial.received_at.is_null())
    }
