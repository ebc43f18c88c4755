"""Which pages each role reaches from the navigation bar, and where each lands after sign-in."""

from flask_babel import lazy_gettext as _l

HOME_ENDPOINTS = {
    "admin": "staff.admin_home",
    "leader": "staff.leader_home",
    "outreach": "outreach.capture",
    "desk": "desk.today",
    "province": "staff.province_home",
    "student": "student.my_record",
}

NAVIGATION = {
    "admin": [
        ("admin.dashboard_page", _l("Dashboard")),
        ("admin.seasons", _l("Season")),
        ("admin.users", _l("Staff")),
        ("admin.schools", _l("Schools")),
        ("admin.rosters", _l("Rosters")),
        ("outreach.pre_registrations", _l("Pre-registrations")),
        ("outreach.review_queue", _l("Review")),
        ("admin.duty_rota", _l("Duty rota")),
        ("admin.publicity_page", _l("Publicity")),
        ("admin.exports_page", _l("Exports")),
        ("admin.audit_page", _l("Audit log")),
        ("desk.incident_log", _l("Incidents")),
    ],
    "leader": [
        ("staff.leader_home", _l("Overview")),
        ("admin.dashboard_page", _l("Dashboard")),
        ("desk.today", _l("Today")),
        ("desk.window", _l("Window")),
        ("desk.incident_log", _l("Incidents")),
        ("desk.owed_papers", _l("Papers owed")),
        ("documents.print_centre", _l("Printing")),
        ("desk.renewal_queue", _l("Renewals")),
        ("outreach.pre_registrations", _l("Pre-registrations")),
        ("outreach.review_queue", _l("Review")),
    ],
    "outreach": [
        ("outreach.capture", _l("Pre-register")),
        ("outreach.pre_registrations", _l("Pre-registrations")),
        ("outreach.visits", _l("Visits")),
        ("staff.outreach_home", _l("Schools")),
    ],
    "desk": [
        ("desk.today", _l("Today")),
        ("desk.window", _l("Window")),
        ("desk.renewal_queue", _l("Renewals")),
        ("documents.print_centre", _l("Printing")),
        ("desk.incident_log", _l("Incidents")),
        ("desk.owed_papers", _l("Papers owed")),
        ("desk.screen", _l("Screen")),
        ("staff.entrance_code", _l("Entrance code")),
    ],
    "province": [("staff.province_home", _l("Centres"))],
    "student": [
        ("student.my_record", _l("My record")),
        ("student.application_overview", _l("My application")),
        ("student.book", _l("Book a half-day")),
        ("student.ticket", _l("My ticket")),
    ],
}


def home_endpoint(user):
    return HOME_ENDPOINTS.get(user.role, "auth.login")


def navigation_for(user):
    if not user.is_authenticated:
        return []
    return NAVIGATION.get(user.role, [])
