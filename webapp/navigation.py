"""Which pages each role reaches from the navigation bar, and where each lands after sign-in."""

from flask_babel import lazy_gettext as _l

from webapp.vocabulary import Role

HOME_ENDPOINTS = {
    Role.ADMIN: "staff.admin_home",
    Role.LEADER: "staff.leader_home",
    Role.OUTREACH: "outreach.capture",
    Role.DESK: "desk.today",
    Role.PROVINCE: "staff.province_home",
    Role.STUDENT: "student.my_record",
}

NAVIGATION = {
    Role.ADMIN: [
        ("admin.dashboard_page", _l("Dashboard")),
        ("admin.seasons", _l("Season")),
        ("admin.users", _l("Staff")),
        ("admin.schools", _l("Schools")),
        ("admin.rosters", _l("Rosters")),
        ("outreach.pre_registrations", _l("Pre-registrations")),
        ("outreach.review_queue", _l("Review")),
        ("admin.duty_rota", _l("Duty rota")),
        ("admin.publicity_page", _l("Publicity")),
        ("admin.national_page", _l("National system")),
        ("admin.exports_page", _l("Exports")),
        ("admin.audit_page", _l("Audit log")),
        ("admin.messages_page", _l("Text messages")),
        ("desk.incident_log", _l("Incidents")),
    ],
    Role.LEADER: [
        ("staff.leader_home", _l("Overview")),
        ("admin.dashboard_page", _l("Dashboard")),
        ("admin.reconciliation_page", _l("National system")),
        ("desk.today", _l("Today")),
        ("desk.window", _l("Window")),
        ("desk.incident_log", _l("Incidents")),
        ("desk.owed_papers", _l("Papers owed")),
        ("desk.identity_checks", _l("Identity checks")),
        ("documents.print_centre", _l("Printing")),
        ("desk.renewal_queue", _l("Renewals")),
        ("outreach.pre_registrations", _l("Pre-registrations")),
        ("outreach.review_queue", _l("Review")),
    ],
    Role.OUTREACH: [
        ("outreach.capture", _l("Pre-register")),
        ("outreach.pre_registrations", _l("Pre-registrations")),
        ("outreach.visits", _l("Visits")),
        ("staff.outreach_home", _l("Schools")),
    ],
    Role.DESK: [
        ("desk.today", _l("Today")),
        ("desk.window", _l("Window")),
        ("desk.renewal_queue", _l("Renewals")),
        ("documents.print_centre", _l("Printing")),
        ("desk.incident_log", _l("Incidents")),
        ("desk.owed_papers", _l("Papers owed")),
        ("desk.identity_checks", _l("Identity checks")),
        ("desk.screen", _l("Screen")),
        ("staff.entrance_code", _l("Entrance code")),
    ],
    Role.PROVINCE: [
        ("staff.province_home", _l("Centres")),
        ("staff.province_students", _l("Find a student")),
    ],
    Role.STUDENT: [
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
