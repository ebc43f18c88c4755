"""`make screenshots`: PNGs of every printed document and of the key pages at phone and desktop
width, from the demo data, into docs/screenshots/, so that a person can review the layout
(Chinese drawn, nothing cut off) without setting anything up."""

import subprocess
import sys
import tempfile
from contextlib import contextmanager

from playwright.sync_api import sync_playwright

from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.http_helpers import csrf_token
from webapp.clock import local_today
from webapp.config import PROJECT_ROOT
from webapp.db import database
from webapp.models import Application, Appointment, IssuedDocument, PreRegistration, Student, Ticket, User
from webapp.services.desk import calling, incidents, tickets
from webapp.services.ops.demo import DEMO_PASSWORD, seed_demo

from . import environment

OUTPUT = PROJECT_ROOT / "docs" / "screenshots"
DPI = 80
STUDENT = "140623200709302845"  # 陈静: accepted, certificate issued
DRAFT = "140623200711202624"  # 王芳: application half filled in (pre-approved at school)
SIGNED_UP = "140623200803141312"  # 张伟: not pre-approved, so the family-hardship step applies
BOOKED = "140623200801091737"  # 刘洋: booked for today; checked in for the ticket page
RENEWING = "140623200606151159"  # 杨帆: loan accepted last season, renewal due
NEW_STAGE = "140623200404211379"  # 孙浩: a bachelor's loan whose course has ended
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
# (file name, who signs in, path; {placeholders} filled from facts())
PAGES = [
    ("sign-in", None, "/login"),
    ("policy", None, "/policy"),
    ("student-record", STUDENT, "/me/"),
    ("student-application", DRAFT, "/me/application"),
    ("student-application-hardship", SIGNED_UP, "/me/application/hardship"),
    ("student-application-personal", SIGNED_UP, "/me/application/personal"),
    ("student-booking", DRAFT, "/me/booking?service=first_loan"),
    ("student-booking-confirmation", BOOKED, "/me/booking/{booking}"),
    ("student-ticket", BOOKED, "/me/ticket"),
    ("student-renewal", RENEWING, "/me/renewal"),
    ("desk-today", "desk", "/desk/"),
    ("desk-window", "desk", "/desk/window"),
    ("desk-screen", "desk", "/desk/screen"),
    ("desk-application", "desk", "/desk/applications/{waiting_application}"),
    ("desk-incidents", "desk", "/desk/incidents"),
    ("desk-papers-owed", "desk", "/desk/owed-papers"),
    ("account-password", "desk", "/account/password"),
    ("province-centres", "province", "/staff/province"),
    ("student-new-stage", NEW_STAGE, "/me/application/new-stage"),
    ("admin-duty-rota", "admin", "/admin/duty"),
    ("admin-dashboard", "admin", "/admin/dashboard"),
    ("admin-season", "admin", "/admin/seasons"),
    ("admin-staff", "admin", "/admin/users"),
    ("admin-publicity", "admin", "/admin/publicity"),
    ("admin-exports", "admin", "/admin/exports"),
    ("admin-audit", "admin", "/admin/audit"),
    ("verify-certificate", None, "/verify/?number={certificate}&code={code}"),
    ("desk-renewals", "desk", "/desk/renewals"),
    ("desk-renewal-review", "desk", "/desk/renewals/{renewal}"),
    ("outreach-capture", "outreach", "/outreach/capture"),
    ("review-queue", "admin", "/outreach/review"),
    ("pre-registration-record", "admin", "/outreach/pre-registrations/{duplicate}"),
    ("print-centre", "desk", "/documents/?day={day}"),
    ("desk-find-student", "desk", "/desk/?q=陈"),
    ("desk-entrance-code", "desk", "/staff/entrance"),
    ("account-sessions", "desk", "/account/sessions"),
    ("pre-registrations", "admin", "/outreach/pre-registrations"),
    ("province-find-student", "province", "/staff/province/students?q=" + STUDENT),
    ("offline", None, "/offline"),
    ("admin-national", "admin", "/admin/national"),
    ("admin-reconciliation", "admin", "/admin/national/reconciliation"),
    ("admin-confirmations", "admin", "/admin/national/confirmations"),
    ("desk-accepted-application", "desk", "/desk/applications/{application}"),
    ("desk-contract-change", "desk", "/desk/applications/{application}/contract-change?kind=co_borrower"),
]
# (file name, PDF path, page)
DOCUMENTS = [
    ("print-certificate", "/documents/certificate/{application}.pdf", 1),
    ("print-certificate-zh-hant", "/documents/certificate/{application}.pdf?lang=zh_Hant", 1),
    ("print-application-form-p1", "/documents/application-form/{application}.pdf", 1),
    ("print-application-form-p2", "/documents/application-form/{application}.pdf", 2),
    ("print-hardship-form", "/documents/hardship-form/{application}.pdf", 1),
    ("print-hardship-form-p2", "/documents/hardship-form/{application}.pdf", 2),
    ("print-hardship-form-zh-hant", "/documents/hardship-form/{application}.pdf?lang=zh_Hant", 1),
    ("print-prereg-slip", "/documents/pre-registration/{slip}.pdf", 1),
    ("print-daily-list", "/documents/daily-list.pdf?day={day}", 1),
]
READY = {"/outreach/capture": "#capture[data-ready='1']", "/desk/screen": "#screen[data-state='live']"}


@contextmanager
def demo_app():
    """The app on a fresh, migrated SQLite file holding the demo data."""
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        app = environment.migrated_app(f"sqlite:///{tmp}/demo.sqlite3", f"{tmp}/instance")
        with app.app_context():
            seed_demo()
        try:
            yield app
        finally:
            if not database.is_closed():
                database.close()


def facts(app):
    """The ids and day the paths need, after a desk morning has begun: the booked students
    checked in (the entrance code for one, the desk for the others), a walk-in, two windows
    calling, an incident logged."""
    with app.app_context():
        student = Student.get(Student.id_number_index == STUDENT)
        booked = Student.get(Student.id_number_index == BOOKED)
        desk = User.get(User.username == "desk")
        with app.test_request_context():
            today = local_today()
            tickets.check_in(booked, tickets.entrance_token(booked.centre, today))
            for appointment in Appointment.select().where(
                (Appointment.day == today) & (Appointment.status == "booked")
            ):
                tickets.desk_check_in(appointment, desk)
            tickets.walk_in(desk.centre, "first_loan", "马小军", "140623200805050510", desk)
            for window in (1, 2):
                calling.call_next(desk.centre, today, "first_loan", window, desk)
            incidents.report(desk.centre, today, "crowding", "上午九点大厅人多，已增开 3 号窗口", desk)
        certificate = IssuedDocument.get(IssuedDocument.kind == "certificate")
        waiting = Ticket.get((Ticket.status == "waiting") & Ticket.appointment.is_null(False))
        return {
            "application": Application.get(Application.student == student).id,
            "booking": Appointment.get(Appointment.student == booked).code,
            "renewal": Application.get(Application.kind == "renewal").id,
            "waiting_application": waiting.appointment.application_id,
            "certificate": certificate.number,
            "code": certificate.verification_code,
            "slip": PreRegistration.get(
                (PreRegistration.student == student) & (PreRegistration.status == "accepted")
            ).id,
            "duplicate": PreRegistration.get(PreRegistration.status == "possible_duplicate").id,
            "day": today.isoformat(),
        }


def write(name, png):
    path = OUTPUT / f"{name}.png"
    path.write_bytes(png)
    print(f"  {path.relative_to(PROJECT_ROOT)} ({len(png) // 1024} KB)")


def print_documents(app, values):
    """Each document's PDF fetched as the desk, one page rasterised with pdftoppm."""
    client = app.test_client()
    response = client.post(
        "/login",
        data={"identifier": "desk", "password": DEMO_PASSWORD, "csrf_token": csrf_token(client, "/login")},
    )
    if response.status_code != 302:
        raise RuntimeError(f"desk sign-in failed with {response.status_code}")
    for name, path, page in DOCUMENTS:
        response = client.get(path.format(**values))
        if response.mimetype != "application/pdf":
            raise RuntimeError(f"{path} answered {response.status_code} {response.mimetype}")
        write(
            name,
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-"],
                input=response.data,
                capture_output=True,
                check=True,
            ).stdout,
        )


def sit_at_window(page, base_url, number):
    """The desk clerk works at window 1, where facts() called a ticket."""
    page.goto(base_url + "/desk/window")
    page.select_option("#window", str(number))
    with page.expect_navigation():
        page.click("form.inline-form button[type=submit]")


def browse_pages(base_url, values, only=()):
    """Each page at each width, in a browser context per account and width (its own cookies);
    phones get the whole scrolling page, desktops the first screen. only: names of the pages to
    take (all when empty)."""
    pages = [p for p in PAGES if not only or p[0] in only]
    accounts = list(dict.fromkeys(account for _name, account, _path in pages))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for width, viewport in VIEWPORTS.items():
                for account in accounts:
                    context = browser.new_context(
                        viewport=viewport,
                        locale="zh-CN",
                        timezone_id="Asia/Shanghai",
                        is_mobile=width == "phone",
                        has_touch=width == "phone",
                    )
                    page = context.new_page()
                    if account:
                        environment.browser_sign_in(page, base_url, account, DEMO_PASSWORD)
                    if account == "desk":
                        sit_at_window(page, base_url, 1)
                    for name, _account, path in (p for p in pages if p[1] == account):
                        page.goto(base_url + path.format(**values), wait_until="networkidle")
                        if path in READY:
                            page.wait_for_selector(READY[path])
                        write(f"page-{name}-{width}", page.screenshot(full_page=width == "phone"))
                    context.close()
        finally:
            browser.close()


def main(only=()):
    """Every document and page; with names of pages, only those pages (a quick look)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with demo_app() as app:
        values = facts(app)
        if not only:
            print("screenshots: printed documents")
            print_documents(app, values)
        print("screenshots: pages")
        with environment.LiveServer(app) as server:
            browse_pages(server.url, values, only)


if __name__ == "__main__":
    main(sys.argv[1:])
