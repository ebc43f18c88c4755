"""The national loan system's lists: upload (mapping the columns the first time), the
reconciliation of loans here against the contract list, and the receipts universities have not
yet confirmed."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp import downloads
from webapp.clock import local_today
from webapp.forms import show_errors
from webapp.i18n import DISCREPANCY_LABELS, NATIONAL_FIELD_LABELS, NATIONAL_LIST_LABELS
from webapp.input_checks import query_date, takes_large_body
from webapp.models import Application, Season
from webapp.security import found_or_404, own_centre_or_404, roles_required
from webapp.services.common import table_files
from webapp.services.common.errors import RuleError
from webapp.services.national import national_lists, receipt_confirmations, reconciliation
from webapp.services.reports import exports
from webapp.vocabulary import NationalList, Role

from .blueprint import bp
from .forms import ColumnMappingForm, ConfirmReceiptForm, NationalUploadForm, ResolveForm
from .reports import _chosen_season

REPORTED_PROBLEMS = 200  # a report lists at most this many bad rows


def _seasons():
    return Season.select().where(Season.centre == current_user.centre).order_by(Season.year.desc())


def _finish(result, kind):
    """Flash what an import wrote and go to where it is used."""
    if kind == NationalList.CONTRACTS:
        flash(
            _(
                "National contract list imported: %(rows)d rows; %(renewals)d renewals took their own contract from it.",
                rows=result.rows,
                renewals=result.matched,
            ),
            "success",
        )
        return redirect(url_for("admin.reconciliation_page", season=result.national_import.season_id))
    message = _(
        "Receipt confirmations imported: %(rows)d rows, %(matched)d of loans accepted here.",
        rows=result.rows,
        matched=result.matched,
    )
    if result.unknown:
        shown = ", ".join(str(row) for row in result.unknown[:20])
        message += " " + _("Rows naming no loan here (see the reconciliation): %(rows)s.", rows=shown)
    flash(message, "warning" if result.unknown else "success")
    return redirect(url_for("admin.confirmations_page", season=result.national_import.season_id))


@bp.route("/national", methods=["GET", "POST"])
@takes_large_body
@roles_required(Role.ADMIN)
def national_page():
    """Upload a list; with a saved mapping that fits, it is checked and imported at once."""
    form = NationalUploadForm()
    form.kind.choices = [(kind.value, str(NATIONAL_LIST_LABELS[kind])) for kind in NationalList]
    seasons = list(_seasons())
    form.season.choices = [(season.id, season.name) for season in seasons]
    current = _chosen_season()
    if not form.is_submitted() and current is not None:
        form.season.data = current.id
    status, report = 200, None
    if form.validate_on_submit():
        season = next((s for s in seasons if s.id == form.season.data), None)
        if season is None or form.kind.data not in NationalList.values():
            abort(400)
        upload = form.file.data
        try:
            held = national_lists.hold_upload(
                current_user.centre,
                season,
                form.kind.data,
                upload.filename,
                upload.stream,
                current_user._get_current_object(),
            )
        except table_files.TableFileError as exc:
            form.file.errors.append(exc.message)
            status = 422
        else:
            preview = national_lists.preview(held)
            if not preview.saved:
                return redirect(url_for("admin.column_mapping", token=held.token))
            result = national_lists.import_upload(held, preview.columns, current_user._get_current_object())
            if result.ok:
                return _finish(result, held.kind)
            report, status = result.errors, 422
    elif form.is_submitted():
        status = 422
    return render_template(
        "admin/national.html",
        form=form,
        report=report,
        shown=REPORTED_PROBLEMS,
        season=current,
        imports=list(national_lists.last_imports(current_user.centre, current)) if current else [],
        list_labels=NATIONAL_LIST_LABELS,
    ), status


@bp.route("/national/uploads/<token>", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def column_mapping(token):
    """Say which column holds which field, seeing the file's first rows; then import."""
    held = national_lists.pending_upload(current_user.centre, token)
    if held is None:
        flash(_("That upload has expired or was already imported. Upload the file again."), "warning")
        return redirect(url_for("admin.national_page"))
    preview = national_lists.preview(held)
    fields = national_lists.FIELDS[held.kind]
    form = ColumnMappingForm()
    for name in [name for name in form._fields if name not in ("remember", "csrf_token")]:
        if name not in fields:
            del form[name]
    choices = [("", _("— not in this file —"))] + [
        (str(index), f"{_column_letter(index)}: {title or '—'}") for index, title in enumerate(preview.titles)
    ]
    for key in fields:
        form[key].choices = choices
        if not form.is_submitted():
            index = preview.columns.get(key)
            form[key].data = "" if index is None else str(index)
    status, report = 200, None
    if form.validate_on_submit():
        columns = {key: _index(form[key].data) for key in fields}
        errors = national_lists.mapping_errors(held.kind, columns, preview.titles)
        if errors:
            show_errors(form, errors)
            status = 422
        else:
            user = current_user._get_current_object()
            if form.remember.data:
                national_lists.save_mapping(current_user.centre, held.kind, columns, preview.titles, user)
            result = national_lists.import_upload(held, columns, user)
            if result.ok:
                return _finish(result, held.kind)
            report, status = result.errors, 422
    elif form.is_submitted():
        status = 422
    return render_template(
        "admin/column_mapping.html",
        form=form,
        held=held,
        preview=preview,
        fields=fields,
        required=national_lists.REQUIRED[held.kind],
        report=report,
        shown=REPORTED_PROBLEMS,
        list_labels=NATIONAL_LIST_LABELS,
        field_labels=NATIONAL_FIELD_LABELS,
        letter=_column_letter,
    ), status


def _index(value):
    return int(value) if value and value.isdigit() else None


def _column_letter(index):
    """A, B, … Z, AA: the column as a spreadsheet program names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _range_args():
    """The date range of the query, to carry over to the next link."""
    return {name: request.args[name] for name in ("from", "to") if request.args.get(name)}


def _range():
    start, end = query_date("from"), query_date("to")
    if start and end and end < start:
        start, end = end, start
    return start, end


@bp.route("/national/reconciliation")
@roles_required(Role.ADMIN, Role.LEADER)
def reconciliation_page():
    season = _chosen_season()
    start, end = _range()
    comparison = reconciliation.compare(season, start, end) if season else None
    return render_template(
        "admin/reconciliation.html",
        season=season,
        seasons=_seasons(),
        comparison=comparison,
        start=start,
        end=end,
        range_args=_range_args(),
        discrepancy_labels=DISCREPANCY_LABELS,
        field_labels=NATIONAL_FIELD_LABELS,
    )


@bp.route("/national/reconciliation/resolve", methods=["POST"])
@roles_required(Role.ADMIN)
def resolve_difference():
    season = _chosen_season()
    form = ResolveForm()
    if season is None or not form.validate_on_submit():
        abort(400)
    try:
        reconciliation.resolve(season, form.key.data, form.note.data, current_user._get_current_object())
    except RuleError as exc:
        flash(exc.message, "error")
    else:
        flash(_("Marked resolved; the note is kept in the audit log."), "success")
    return redirect(url_for("admin.reconciliation_page", season=season.id, **_range_args()) + "#differences")


@bp.route("/national/reconciliation/differences.xlsx")
@roles_required(Role.ADMIN)
def export_differences():
    season = found_or_404(_chosen_season())
    start, end = _range()
    comparison = reconciliation.compare(season, start, end)
    exports.record(
        current_user._get_current_object(),
        "differences",
        "xlsx",
        season=season.year,
        start=start.isoformat() if start else "",
        end=end.isoformat() if end else "",
    )
    name = f"national-list-differences-{season.year}-{local_today().isoformat()}"
    return downloads.spreadsheet(
        reconciliation.DIFFERENCE_COLUMNS,
        reconciliation.difference_rows(comparison),
        name,
        "xlsx",
        title="differences",
    )


@bp.route("/national/confirmations")
@roles_required(Role.ADMIN, Role.LEADER)
def confirmations_page():
    season = _chosen_season()
    groups = receipt_confirmations.unconfirmed_by_university(season) if season else []
    return render_template(
        "admin/confirmations.html",
        season=season,
        seasons=_seasons(),
        groups=groups,
        waiting=sum(len(group.applications) for group in groups),
        confirmed=receipt_confirmations.confirmed_count(season) if season else 0,
        days_left=receipt_confirmations.days_left(season) if season else None,
        form=ConfirmReceiptForm(confirmed_on=local_today()),
    )


@bp.route("/national/confirmations/<int:application_id>", methods=["POST"])
@roles_required(Role.ADMIN, Role.LEADER)
def confirm_receipt(application_id):
    """Mark one receipt confirmed by hand (the university said so, or the clerk saw it)."""
    application = own_centre_or_404(Application, application_id)
    form = ConfirmReceiptForm()
    if not form.validate_on_submit():
        flash(
            " ".join(str(e) for e in form.confirmed_on.errors) or _("Enter the day of the confirmation."),
            "error",
        )
    else:
        try:
            receipt_confirmations.confirm_by_hand(
                application, form.confirmed_on.data, current_user._get_current_object()
            )
        except RuleError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Receipt of %(name)s marked confirmed.", name=application.student.name), "success")
    return redirect(url_for("admin.confirmations_page", season=application.season_id))
