from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from webapp import device_identity, input_checks
from webapp.forms import submit_form
from webapp.i18n import SYNC_RESULT_LABELS
from webapp.input_checks import InputRefused, query_id, takes_large_body
from webapp.models import School, SchoolVisit, User
from webapp.security import found_or_404, roles_required
from webapp.services.common import audit
from webapp.services.common.id_numbers import region_codes
from webapp.services.outreach import prereg_review
from webapp.services.outreach.offline_shell import reference_data
from webapp.services.outreach.sync import MAX_BATCH, BatchError, import_exported
from webapp.vocabulary import Category, PreregStatus, Role

from .blueprint import bp
from .forms import OutboxImportForm, ReviewForm

CAPTURE_ROLES = (Role.OUTREACH, Role.LEADER, Role.ADMIN)
REVIEW_ROLES = (Role.OUTREACH, Role.LEADER, Role.ADMIN)


@bp.route("/capture")
@roles_required(*CAPTURE_ROLES)
def capture():
    """The offline form: served from the service worker's cache when there is no network."""
    config = current_app.config
    return render_template(
        "outreach/capture.html",
        offline_shell=True,
        retry_ms=config["SYNC_RETRY_BASE_MS"],
        identity_cookie=device_identity.COOKIE,
        keep_days=config["OUTBOX_KEEP_DAYS"],
    )


@bp.route("/reference.json")
@roles_required(*CAPTURE_ROLES)
def reference():
    return jsonify(reference_data(current_user.centre))


@bp.route("/regions.json")
@roles_required(*CAPTURE_ROLES)
def regions():
    return jsonify(region_codes())


@bp.route("/pre-registrations")
@roles_required(*REVIEW_ROLES)
def pre_registrations():
    args = request.args
    page = query_id("page") or 1
    category = args.get("category", "")
    rows, total = prereg_review.search(
        current_user.centre,
        school=query_id("school"),
        category=category if category in [str(c) for c in Category.values()] else None,
        status=args.get("status") if args.get("status") in PreregStatus.values() else None,
        captured_by=query_id("captured_by"),
        page=max(page, 1),
    )
    return render_template(
        "outreach/list.html",
        rows=rows,
        total=total,
        page=page,
        page_size=prereg_review.PAGE_SIZE,
        statuses=PreregStatus.values(),
        categories=Category.values(),
        schools=School.select().where(School.centre == current_user.centre).order_by(School.name),
        staff=User.select()
        .where((User.centre == current_user.centre) & (User.role != Role.STUDENT))
        .order_by(User.name),
    )


@bp.route("/review")
@roles_required(*REVIEW_ROLES)
def review_queue():
    return render_template(
        "outreach/review.html", records=list(prereg_review.review_queue(current_user.centre))
    )


@bp.route("/pre-registrations/<int:record_id>", methods=["GET", "POST"])
@roles_required(*REVIEW_ROLES)
def pre_registration(record_id):
    record = found_or_404(prereg_review.get_for_centre(current_user.centre, record_id))
    audit.record_viewed(record)
    form = ReviewForm()
    allowed = prereg_review.decisions(record)
    form.action.choices = [SelectChoice("", _("Choose a decision"))] * (len(allowed) > 1) + [
        choice for choice in form.action.choices if choice.value in allowed
    ]
    actions = {"merge": prereg_review.merge, "keep": prereg_review.keep_both, "reject": prereg_review.reject}

    def decided(_result):
        flash(_("The decision was saved."), "success")
        return redirect(url_for("outreach.review_queue"))

    return submit_form(
        form,
        lambda: actions[form.action.data](record, current_user._get_current_object(), form.note.data or ""),
        lambda status: (
            render_template(
                "outreach/record.html",
                record=record,
                form=form,
                errors=prereg_review.field_errors(record),
                sent=prereg_review.sent_fields(record),
                history=list(prereg_review.history(record)),
            ),
            status,
        ),
        decided,
    )


@bp.route("/visits")
@roles_required(*REVIEW_ROLES)
def visits():
    rows = (
        SchoolVisit.select(SchoolVisit, School)
        .join(School)
        .where(SchoolVisit.centre == current_user.centre)
        .order_by(SchoolVisit.visited_on.desc(), School.name)
    )
    return render_template("outreach/visits.html", visits=list(rows))


@bp.route("/import", methods=["GET", "POST"])
@takes_large_body
@roles_required(Role.ADMIN)
def import_outbox():
    """The escape hatch: records exported from a device that could not sync."""
    form = OutboxImportForm()
    results, status = None, 200
    if form.validate_on_submit():
        try:
            payload = input_checks.loads(form.file.data.read().decode("utf-8"))
            results = import_exported(payload, current_user._get_current_object(), _owner_of(payload))
        except (UnicodeDecodeError, ValueError, InputRefused) as exc:
            reason = exc.description if isinstance(exc, InputRefused) else ""
            form.file.errors.append(_("The file is not an export of unsent records.") + f" {reason}".rstrip())
            status = 422
        except BatchError as exc:
            form.file.errors.append(str(exc.message))
            status = 422
    elif form.is_submitted():
        status = 422
    return render_template(
        "outreach/import.html",
        form=form,
        results=results,
        labels={key: str(label) for key, label in SYNC_RESULT_LABELS.items()},
        batch_size=MAX_BATCH,
    ), status


@bp.route("/import/batch", methods=["POST"])
@roles_required(Role.ADMIN)
def import_batch():
    """One batch (at most MAX_BATCH records) of an exported file, sent by the import page's
    script, so a large file shows its progress instead of holding one long request."""
    if not request.is_json:
        abort(415)
    payload = request.get_json()
    records = payload.get("records") if isinstance(payload, dict) else None
    try:
        if isinstance(records, list) and len(records) > MAX_BATCH:
            raise BatchError(_("Send at most %(n)d records at a time.", n=MAX_BATCH), status=413)
        results = import_exported(payload, current_user._get_current_object(), _owner_of(payload))
    except BatchError as exc:
        return jsonify(error="bad_batch", message=str(exc.message)), exc.status
    return jsonify(results=[r.as_dict() for r in results])


def _owner_of(payload):
    """The staff member who captured the records, when they belong to this centre."""
    owner_name = str(payload.get("owner", "")) if isinstance(payload, dict) else ""
    return User.get_or_none(
        (User.username == owner_name) & (User.centre == current_user.centre) & (User.role != Role.STUDENT)
    )
