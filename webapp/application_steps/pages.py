"""The steps of a first-loan application (co-borrower, study, loan, family hardship) as forms:
the same pages for a student on their phone and for the desk typing the application of a
student who has none (webapp/desk/acceptance.py): shared by both blueprints, so neither imports the other."""

from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _

from webapp.application_steps.forms import CoBorrowerForm, HardshipForm, LoanForm, PersonalForm, StudyForm
from webapp.forms import choices, show_errors, whole_number
from webapp.i18n import (
    ETHNICITY_LABELS,
    HARDSHIP_FACTOR_LABELS,
    HEALTH_LABELS,
    HUKOU_TYPE_LABELS,
    LEVEL_LABELS,
    MEMBER_RELATION_LABELS,
    POLITICAL_STATUS_LABELS,
    RELATION_LABELS,
    SPECIAL_GROUP_LABELS,
)
from webapp.models import Application, FamilyMember
from webapp.services.casework import applications
from webapp.vocabulary import Health, Relation

STEP_FORMS = {
    "personal": PersonalForm,
    "co_borrower": CoBorrowerForm,
    "study": StudyForm,
    "loan": LoanForm,
    "hardship": HardshipForm,
}
STEP_TEMPLATES = {"hardship": "student/application_hardship.html"}


def step_page(application: Application, step: str, back_url: str, done_url: str):
    """The page of one step, GET or POST: each step is saved on its own; done_url follows a
    save, back_url is the way back without saving."""
    if step not in applications.steps_for(application):
        abort(404)
    form = STEP_FORMS[step](obj=_step_values(application, step))
    _set_choices(form, step)
    status = 200
    if step == "hardship" and request.form.get("add_member") and form.validate_on_submit():
        if len(form.members) < applications.MAX_FAMILY_MEMBERS:
            form.members.append_entry()
            _set_choices(form, step)
    elif form.validate_on_submit():
        try:
            _save_step(application, step, form)
        except applications.StepErrors as exc:
            show_errors(form, exc.errors, {f.name: f for f in _flat_fields(form)})
            status = 422
        else:
            flash(_("Saved."), "success")
            return redirect(done_url)
    elif form.is_submitted():
        status = 422
    return render_template(
        STEP_TEMPLATES.get(step, "student/application_step.html"),
        form=form,
        step=step,
        application=application,
        back_url=back_url,
    ), status


def _set_choices(form, step):
    if step == "personal":
        form.ethnicity.choices = [("", "—")] + choices(ETHNICITY_LABELS)
        form.political_status.choices = [("", "—")] + choices(POLITICAL_STATUS_LABELS)
        form.hukou_type.choices = [("", "—")] + choices(HUKOU_TYPE_LABELS)
    elif step == "co_borrower":
        form.relation.choices = choices(RELATION_LABELS)
    elif step == "study":
        form.level.choices = choices(LEVEL_LABELS)
    elif step == "hardship":
        form.special_groups.choices = choices(SPECIAL_GROUP_LABELS)
        form.hardship_factors.choices = choices(HARDSHIP_FACTOR_LABELS)
        for entry in form.members:
            entry.relation.choices = [("", "—")] + choices(MEMBER_RELATION_LABELS)
            entry.health.choices = choices(HEALTH_LABELS)


def _flat_fields(form):
    """Every field, with the rows of a table (members-0-name …) in place of the table."""
    for f in form:
        if f.type == "FieldList":
            for entry in f:
                yield from entry
        else:
            yield f


def _step_values(application, step):
    if step == "co_borrower":
        return application.co_borrower
    if step == "loan":
        return SimpleNamespace(amount=application.amount_requested, one_loan=application.one_loan_declared)
    if step == "hardship":
        return SimpleNamespace(
            members=list(application.family_members.order_by(FamilyMember.position))
            or _members_from_co_borrower(application),
            special_groups=[g for g in application.special_groups.split(",") if g],
            hardship_factors=[f for f in application.hardship_factors.split(",") if f],
            hardship_details=application.hardship_details,
            **{name: getattr(application, name) for name in applications.HARDSHIP_NOTES},
            pledge=application.pledge_signed_at is not None,
        )
    return application


def _members_from_co_borrower(application):
    """A first row from the co-borrower when it is a parent, so the student types less."""
    guardian = application.co_borrower
    if guardian is None or guardian.relation not in (Relation.FATHER, Relation.MOTHER):
        return []
    return [
        SimpleNamespace(
            name=guardian.name,
            relation=guardian.relation,
            age=None,
            employer="",
            occupation="",
            annual_income=None,
            health=Health.HEALTHY,
            note="",
        )
    ]


def _save_step(application, step, form):
    if step == "personal":
        values = {name: form[name].data for name in ("ethnicity", "political_status", "hukou_type")}
        values.update({name: form[name].data for name in applications.PERSONAL_TEXT})
        values["household_size"] = whole_number(form.household_size.data)
        values["graduation_year"] = whole_number(form.graduation_year.data)
        applications.save_personal(application, values)
    elif step == "co_borrower":
        applications.save_co_borrower(
            application,
            form.name.data,
            form.relation.data,
            form.id_number.data,
            form.mobile.data,
            form.employer.data,
            form.address.data,
        )
    elif step == "study":
        applications.save_study(
            application,
            form.university.data,
            form.department.data,
            form.major.data,
            form.level.data,
            whole_number(form.study_years.data),
            whole_number(form.admission_year.data),
            whole_number(form.tuition_fee.data),
            whole_number(form.accommodation_fee.data),
        )
    elif step == "loan":
        applications.save_loan(application, whole_number(form.amount.data), form.one_loan.data is True)
    else:
        members = [
            {
                **entry.data,
                "age": whole_number(entry.age.data),
                "annual_income": whole_number(entry.annual_income.data),
            }
            for entry in form.members
        ]
        applications.save_hardship(
            application,
            members,
            form.special_groups.data or [],
            form.hardship_factors.data or [],
            form.hardship_details.data,
            form.pledge.data,
            {name: form[name].data for name in applications.HARDSHIP_NOTES},
        )
