"""Staff accounts and schools of the centre."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.forms import ButtonForm, submit_form
from webapp.i18n import ROLE_LABELS, SCHOOL_KIND_LABELS
from webapp.models import School, User
from webapp.security import own_centre_or_404, roles_required
from webapp.services.centre import people_admin
from webapp.vocabulary import Role

from .blueprint import bp
from .forms import SchoolForm, StaffForm


def _staff_form(**kwargs):
    form = StaffForm(**kwargs)
    form.role.choices = [(role, str(ROLE_LABELS[role])) for role in people_admin.ADMIN_ROLES]
    return form


def _school_form(**kwargs):
    form = SchoolForm(**kwargs)
    form.kind.choices = [(k, str(v)) for k, v in SCHOOL_KIND_LABELS.items()]
    return form


def _users_page(form=None, new_password=None, status=200):
    return render_template(
        "admin/users.html",
        users=list(people_admin.staff(current_user.centre)),
        form=form or _staff_form(),
        new_password=new_password,
    ), status


@bp.route("/users", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def users():
    form = _staff_form()
    return submit_form(
        form,
        lambda: people_admin.create_staff(
            current_user.centre,
            form.username.data,
            form.name.data,
            form.role.data,
            current_user._get_current_object(),
        ),
        lambda status: _users_page(form, status=status),
        lambda created: _users_page(new_password=created),
    )


def _user(user_id):
    user = own_centre_or_404(User, user_id, User.role != Role.STUDENT)
    if not ButtonForm().validate_on_submit():
        abort(400)
    return user


@bp.route("/users/<int:user_id>/<any(deactivate, activate):action>", methods=["POST"])
@roles_required(Role.ADMIN)
def user_active(user_id, action):
    user = _user(user_id)
    try:
        people_admin.set_active(user, action == "activate", current_user._get_current_object())
    except people_admin.PeopleErrors as exc:
        flash(str(next(iter(exc.errors.values()))), "warning")
        return _users_page(status=exc.status)
    flash(
        _("%(name)s can sign in again.", name=user.name)
        if action == "activate"
        else _("%(name)s can no longer sign in; their records stay.", name=user.name),
        "success",
    )
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
@roles_required(Role.ADMIN)
def user_reset_password(user_id):
    user = _user(user_id)
    password = people_admin.reset_password(user, current_user._get_current_object())
    return _users_page(new_password=(user, password))


def _schools_page(form=None, status=200):
    schools = (
        School.select()
        .where(School.centre == current_user.centre)
        .order_by(School.active.desc(), School.name)
    )
    return render_template("admin/schools.html", schools=list(schools), form=form or _school_form()), status


@bp.route("/schools", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def schools():
    form = _school_form()

    def added(school):
        flash(_("%(name)s added.", name=school.name), "success")
        return redirect(url_for("admin.schools"))

    return submit_form(
        form,
        lambda: _save_school(School(centre=current_user.centre), form),
        lambda status: _schools_page(form, status),
        added,
    )


@bp.route("/schools/<int:school_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def school(school_id):
    school = own_centre_or_404(School, school_id)
    form = _school_form(obj=school)

    def saved(_school):
        flash(_("%(name)s saved.", name=school.name), "success")
        return redirect(url_for("admin.schools"))

    return submit_form(
        form,
        lambda: _save_school(school, form),
        lambda status: (render_template("admin/school.html", school=school, form=form), status),
        saved,
    )


def _save_school(school, form):
    return people_admin.save_school(
        school,
        form.name.data,
        form.kind.data,
        form.code.data,
        form.address.data,
        form.contact.data,
        current_user._get_current_object(),
    )


@bp.route("/schools/<int:school_id>/<any(deactivate, activate):action>", methods=["POST"])
@roles_required(Role.ADMIN)
def school_active(school_id, action):
    school = own_centre_or_404(School, school_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    people_admin.set_school_active(school, action == "activate", current_user._get_current_object())
    return redirect(url_for("admin.schools"))
