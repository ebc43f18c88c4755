"""What admins and leaders read: the dashboard, publicity at schools, exports, the audit log."""

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from webapp import downloads
from webapp.clock import local_today
from webapp.forms import ButtonForm
from webapp.i18n import MESSAGE_KIND_LABELS
from webapp.input_checks import query_date, query_id
from webapp.models import Message, School, Season
from webapp.security import found_or_404, own_centre_or_404, roles_required, viewed_centre
from webapp.services.centre.seasons import current_season
from webapp.services.messaging import messages
from webapp.services.national import receipt_confirmations
from webapp.services.outreach import publicity
from webapp.services.province import cross_centre
from webapp.services.reports import audit_trail, charts, dashboard, exports
from webapp.vocabulary import Role

from .blueprint import bp

EXPORT_KINDS = {"loans": exports.LOAN_COLUMNS, "pre_registrations": exports.PREREG_COLUMNS}


def _chosen_season(centre=None):
    """The season asked for (?season=id) or the current one, of the centre in view."""
    centre = centre or current_user.centre
    season_id = query_id("season")
    if season_id:
        season = found_or_404(Season.get_or_none((Season.id == season_id) & (Season.centre == centre)))
        return season
    return current_season(centre)


@bp.route("/dashboard")
@roles_required(Role.ADMIN, Role.LEADER, Role.PROVINCE)
def dashboard_page():
    """A centre's figures; the province reads any centre's (?centre=id)."""
    centre = viewed_centre()
    season = _chosen_season(centre)
    today = local_today()
    context = {
        "centre": centre,
        "centre_param": centre.id if current_user.role == Role.PROVINCE else None,
        "season": season,
        "today": today,
        "seasons": Season.select().where(Season.centre == centre).order_by(Season.year.desc()),
        "today_figures": dashboard.today_figures(centre, today),
    }
    if season is not None:
        previous = dashboard.previous_season(season)
        numbers = dashboard.season_numbers(season)
        daily = numbers.days_until(today)
        context.update(
            previous=previous,
            figures={
                f.key: f
                for f in dashboard.season_figures(numbers, dashboard.season_numbers(previous, by_day=False))
            },
            daily=daily,
            booked_ahead=numbers.booked_after(today),
            acceptances_chart=charts.columns((day[5:], row["accepted"]) for day, row in daily.items()),
            bookings_chart=charts.columns(
                ((day[5:], row["bookings"]) for day, row in daily.items()),
                (row["no_shows"] for row in daily.values()),
            ),
            amount_chart=charts.rows(
                (name or "—", amount or 0) for name, amount, _n in dashboard.amount_per_school(season)
            ),
            waiting_chart=charts.columns(
                (f"{hour}:00", minutes) for hour, minutes in dashboard.waiting_by_hour(season).items()
            ),
            pre_registrations=dashboard.pre_registrations_per_school(season),
            unconfirmed_receipts=receipt_confirmations.unconfirmed_count(season, numbers.counts["loans"]),
            message_counts=messages.counts_by_kind(centre),
            message_kinds=MESSAGE_KIND_LABELS,
            confirmation_days_left=receipt_confirmations.days_left(season, today),
        )
    return render_template("admin/dashboard.html", **context)


@bp.route("/publicity")
@roles_required(Role.ADMIN, Role.LEADER)
def publicity_page():
    return render_template("admin/publicity.html", rows=publicity.reach(current_user.centre))


@bp.route("/exports")
@roles_required(Role.ADMIN)
def exports_page():
    season = _chosen_season()
    schools = School.select().where(School.centre == current_user.centre).order_by(School.name)
    return render_template(
        "admin/exports.html",
        season=season,
        schools=schools,
        seasons=Season.select().where(Season.centre == current_user.centre).order_by(Season.year.desc()),
    )


@bp.route("/exports/<any(loans, pre_registrations):kind>.<any(csv, xlsx):fmt>")
@roles_required(Role.ADMIN)
def export(kind, fmt):
    """A streamed CSV or a write-only XLSX; the export is written to the audit log first."""
    school_id = query_id("school")
    season = school = None
    if kind == "loans":
        season = found_or_404(_chosen_season())
        rows, filters = exports.accepted_loans(season), {"season": season.year}
    else:
        school = (
            School.get_or_none((School.id == school_id) & (School.centre == current_user.centre))
            if school_id
            else None
        )
        if school_id and school is None:
            abort(404)
        rows, filters = exports.pre_registrations(current_user.centre, school_id), {"school": school_id}
    exports.record(current_user._get_current_object(), kind, fmt, **filters)
    name = exports.file_name(kind, fmt, season=season, school=school).rsplit(".", 1)[0]
    return downloads.spreadsheet(EXPORT_KINDS[kind], rows, name, fmt, title=kind)


@bp.route("/exports/statistics.xlsx")
@roles_required(Role.ADMIN)
def export_statistics():
    """The season's figures of this centre in the shape the province asks for."""
    season = found_or_404(_chosen_season())
    rows = cross_centre.statistics(season.year, [current_user.centre])
    exports.record(current_user._get_current_object(), "statistics", "xlsx", season=season.year)
    name = f"loan-statistics-{season.year}-season-{local_today().isoformat()}"
    return downloads.spreadsheet(
        cross_centre.STATISTICS_COLUMNS, rows, name, "xlsx", title=f"statistics {season.year}"
    )


@bp.route("/audit")
@roles_required(Role.ADMIN)
def audit_page():
    args = request.args
    filters = audit_trail.Filters(
        actor=query_id("actor"),
        action=args.get("action", ""),
        object_type=args.get("object_type", ""),
        object_id=args.get("object_id", "").strip(),
        day_from=query_date("from"),
        day_to=query_date("to"),
    )
    events, more = audit_trail.search(current_user.centre, filters, query_id("before"))
    actions, types, people = audit_trail.choices(current_user.centre)
    older_url = url_for("admin.audit_page", **{**args.to_dict(), "before": more}) if more else None
    return render_template(
        "admin/audit.html",
        events=events,
        older_url=older_url,
        filters=filters,
        actions=actions,
        types=types,
        people=people,
        details=audit_trail.details,
        described=audit_trail.describe(events),
        action_label=audit_trail.action_label,
        object_types=audit_trail.OBJECT_TYPES,
    )


@bp.route("/messages")
@roles_required(Role.ADMIN, Role.LEADER)
def messages_page():
    """短信记录: the centre's text messages, newest first (with the log backend, the only place
    where they can be read)."""
    rows = [(message, messages.text_of(message)) for message in messages.recent(centre=current_user.centre)]
    return render_template(
        "admin/messages.html",
        rows=rows,
        counts=messages.daily_counts(current_user.centre),
        template_names=MESSAGE_KIND_LABELS,
        backend=current_app.config["SMS_BACKEND"],
    )


@bp.route("/messages/<int:message_id>/resend", methods=["POST"])
@roles_required(Role.ADMIN, Role.LEADER)
def resend_message(message_id):
    """Send a message about a student again (a failed one, or one the student lost)."""
    message = own_centre_or_404(Message, message_id)
    if message.student_id is None or not ButtonForm().validate_on_submit():
        abort(400)
    messages.resend(message, current_user._get_current_object())
    flash(_("The message is queued to be sent again."), "success")
    return redirect(url_for("admin.messages_page"))
