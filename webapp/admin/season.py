"""Season set-up: windows and policy numbers, daily quotas, closed days, copying last season,
and the centre's contact details."""

import re

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.clock import local_today
from webapp.forms import ButtonForm, show_errors, submit_form
from webapp.i18n import HALF_DAY_LABELS, SERVICE_LABELS
from webapp.models import ClosedDay, Season
from webapp.security import found_or_404, own_centre_or_404, roles_required
from webapp.services.booking import closed_days, quotas
from webapp.services.casework.loan_rules import AGE_DEFAULTS, policy_defaults
from webapp.services.centre import season_settings
from webapp.vocabulary import BOOKABLE_SERVICES, Role

from .blueprint import bp
from .forms import (
    AGE_LABELS,
    POLICY_LABELS,
    CentreForm,
    ClosedDayForm,
    CopyConfirmForm,
    CopySeasonForm,
    QuotaForm,
    SeasonForm,
)

NUMBER_RE = re.compile(r"^-?\d+$")


def _whole(text):
    """A whole number as typed, or None; a field the form did not send keeps the season's own
    value (an int), as WTForms fills it from the object."""
    text = str(text if text is not None else "").strip().replace(",", "")
    return int(text) if NUMBER_RE.match(text) else None


def _values(form):
    return season_settings.SeasonValues(
        name=form.name.data or "",
        year=_whole(form.year.data),
        acceptance_start=form.acceptance_start.data,
        acceptance_end=form.acceptance_end.data,
        contract_change_start=form.contract_change_start.data,
        contract_change_end=form.contract_change_end.data,
        confirmation_deadline=form.confirmation_deadline.data,
        papers_to_follow=bool(form.papers_to_follow.data),
        postgraduates_here=bool(form.postgraduates_here.data),
        relief_note=(form.relief_note.data or "").strip(),
        **{name: _whole(getattr(form, name).data) for name in season_settings.NUMBERS},
    )


def _quota_form(**kwargs):
    form = QuotaForm(**kwargs)
    form.service.choices = [(k, str(SERVICE_LABELS[k])) for k in BOOKABLE_SERVICES]
    form.half_day.choices = [(k, str(v)) for k, v in HALF_DAY_LABELS.items()]
    return form


def _page(season, form=None, quota_form=None, closed_form=None, copy_form=None, status=200):
    return render_template(
        "admin/season.html",
        season=season,
        form=form or SeasonForm(obj=season),
        quota_form=quota_form or _quota_form(),
        closed_form=closed_form or _closed_day_form(),
        copy_form=copy_form or CopySeasonForm(year=str(season.year + 1)),
        quotas=quotas.table(season),
        closed_days=list(season.closed_days.order_by(ClosedDay.day)),
        seasons=list(
            Season.select().where(Season.centre == current_user.centre).order_by(Season.year.desc())
        ),
    ), status


@bp.route("/seasons")
@roles_required(Role.ADMIN)
def seasons():
    """The current season's set-up, or the form for a first season."""
    season = (
        Season.select()
        .where(Season.centre == current_user.centre)
        .order_by(Season.is_current.desc(), Season.year.desc())
        .first()
    )
    if season is None:
        return redirect(url_for("admin.new_season"))
    return redirect(url_for("admin.season", season_id=season.id))


@bp.route("/seasons/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new_season():
    defaults = policy_defaults(local_today().year)
    form = SeasonForm(
        data={
            "year": str(local_today().year),
            "booking_cutoff_hours": "24",
            "papers_to_follow": True,
            "postgraduates_here": True,
            **{name: str(getattr(defaults, name)) for name in POLICY_LABELS},
            **{name: str(getattr(AGE_DEFAULTS, name)) for name in AGE_LABELS},
        }
    )

    def created(season):
        flash(_("Season created with 30 places per half-day and service; adjust them below."), "success")
        return redirect(url_for("admin.season", season_id=season.id))

    return submit_form(
        form,
        lambda: season_settings.save_season(
            Season(centre=current_user.centre), _values(form), current_user._get_current_object()
        ),
        lambda status: (render_template("admin/season_new.html", form=form), status),
        created,
    )


@bp.route("/seasons/<int:season_id>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def season(season_id):
    season = own_centre_or_404(Season, season_id)
    form = SeasonForm(obj=season)

    def saved(_season):
        flash(_("Season saved."), "success")
        return redirect(url_for("admin.season", season_id=season.id))

    return submit_form(
        form,
        lambda: season_settings.save_season(season, _values(form), current_user._get_current_object()),
        lambda status: _page(season, form=form, status=status),
        saved,
    )


@bp.route("/seasons/<int:season_id>/quota", methods=["POST"])
@roles_required(Role.ADMIN)
def season_quota(season_id):
    season = own_centre_or_404(Season, season_id)
    form = _quota_form()

    def saved(_result):
        flash(_("Daily places saved."), "success")
        return redirect(url_for("admin.season", season_id=season.id) + "#quotas")

    return submit_form(
        form,
        lambda: quotas.set_places(
            season,
            form.service.data,
            form.half_day.data,
            _whole(form.places.data),
            current_user._get_current_object(),
        ),
        page=lambda status: _page(season, quota_form=form, status=status),
        done=saved,
        invalid=lambda: abort(400),
    )


@bp.route("/seasons/<int:season_id>/closed-days", methods=["POST"])
@roles_required(Role.ADMIN)
def season_closed_day(season_id):
    season = own_centre_or_404(Season, season_id)
    form = _closed_day_form()

    def invalid():
        if form.day.errors or form.day.data is None:
            form.day.errors[:] = [_("Enter a date.")]
        return _page(season, closed_form=form, status=422)

    def closed(closing):
        message = _("The centre is closed on %(day)s.", day=form.day.data.isoformat())
        if closing.moved:
            message += " " + _("%(n)d bookings moved; each student is told by text message.", n=closing.moved)
        if closing.to_choose:
            message += " " + _(
                "%(n)d bookings cancelled; each student is asked to choose again.", n=closing.to_choose
            )
        flash(message, "success")
        return redirect(url_for("admin.season", season_id=season.id) + "#closed")

    return submit_form(
        form,
        lambda: closed_days.close_day(
            season,
            form.day.data,
            form.reason.data,
            current_user._get_current_object(),
            move_to=form.move_to.data if form.move.data == "move" else None,
            move_to_half_day=form.move_to_half_day.data or "",
            let_choose=form.move.data == "choose",
        ),
        page=lambda status: _page(season, closed_form=form, status=status),
        done=closed,
        invalid=invalid,
    )


def _closed_day_form():
    form = ClosedDayForm()
    form.move_to_half_day.choices = [(key, str(label)) for key, label in HALF_DAY_LABELS.items()]
    return form


@bp.route("/seasons/<int:season_id>/closed-days/<int:closed_id>/reopen", methods=["POST"])
@roles_required(Role.ADMIN)
def season_reopen_day(season_id, closed_id):
    season = own_centre_or_404(Season, season_id)
    closed = found_or_404(ClosedDay.get_or_none((ClosedDay.id == closed_id) & (ClosedDay.season == season)))
    if not ButtonForm().validate_on_submit():
        abort(400)
    season_settings.reopen_day(closed, current_user._get_current_object())
    return redirect(url_for("admin.season", season_id=season.id) + "#closed")


@bp.route("/seasons/<int:season_id>/copy", methods=["POST"])
@roles_required(Role.ADMIN)
def season_copy(season_id):
    """First step: the year. The page then shows the policy numbers the new season will carry
    (the year's defaults beside this season's values) for the admin to confirm."""
    season = own_centre_or_404(Season, season_id)
    form = CopySeasonForm()
    if not form.validate_on_submit():
        abort(400)
    year = _whole(form.year.data)
    error = season_settings.copy_year_error(season, year)
    if error:
        form.year.errors.append(error)
        return _page(season, copy_form=form, status=422)
    carried = season_settings.carried_numbers(season, year)
    confirm = CopyConfirmForm(year=str(year), **{name: str(row["proposed"]) for name, row in carried.items()})
    return _copy_page(season, year, confirm, carried)


@bp.route("/seasons/<int:season_id>/copy/confirm", methods=["POST"])
@roles_required(Role.ADMIN)
def season_copy_confirm(season_id):
    season = own_centre_or_404(Season, season_id)
    form = CopyConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    year = _whole(form.year.data)
    if year is None or not 2000 <= year <= 2100:
        abort(400)
    try:
        copied = season_settings.copy_season(
            season,
            year,
            current_user._get_current_object(),
            {name: _whole(form[name].data) for name in POLICY_LABELS},
        )
    except season_settings.SetupErrors as exc:
        show_errors(form, exc.errors)
        return _copy_page(season, year, form, season_settings.carried_numbers(season, year), exc.status)
    flash(
        _(
            "Season %(year)s created from %(from)s; make it current when it opens.",
            year=copied.year,
            **{"from": season.year},
        ),
        "success",
    )
    return redirect(url_for("admin.season", season_id=copied.id))


def _copy_page(season, year, form, carried, status=200):
    return render_template(
        "admin/season_copy.html",
        season=season,
        year=year,
        form=form,
        carried=carried,
        source=policy_defaults(year).source,
    ), status


@bp.route("/seasons/<int:season_id>/current", methods=["POST"])
@roles_required(Role.ADMIN)
def season_current(season_id):
    season = own_centre_or_404(Season, season_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    season_settings.make_current(season, current_user._get_current_object())
    flash(_("%(name)s is now the current season.", name=season.name), "success")
    return redirect(url_for("admin.season", season_id=season.id))


@bp.route("/centre", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def centre():
    centre = current_user.centre
    form = CentreForm(obj=centre)

    def saved(_centre):
        flash(_("The centre's details are saved; documents print them from now on."), "success")
        return redirect(url_for("admin.centre"))

    return submit_form(
        form,
        lambda: season_settings.save_centre(
            centre,
            form.name.data,
            form.name_en.data,
            form.address.data,
            form.phone.data,
            current_user._get_current_object(),
            patterns={
                "contract_pattern": form.contract_pattern.data,
                "receipt_code_pattern": form.receipt_code_pattern.data,
            },
        ),
        lambda status: (render_template("admin/centre.html", form=form), status),
        saved,
    )
