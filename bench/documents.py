"""Printed documents: a bilingual certificate alone and a day's batch of 60, through our renderer
(one font configuration, slim CJK faces, a batch as one PDF) against a naive WeasyPrint baseline
measured in the same run, plus size and whether the text can still be searched."""

import statistics
import subprocess
import time
from datetime import date, datetime
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from tests.factories import make_application, make_co_borrower, make_season, make_student, make_user
from webapp.models import Appointment, Centre, School
from webapp.services.casework.certificates import issue_certificate
from webapp.services.printing import print_jobs
from webapp.services.printing.fonts import font_status

from . import environment
from .report import Check, Section

STUDENTS = 60
WARM_RUNS = 10
BATCH_RUNS = 3
NAIVE_RUNS = 5
DAY = date(2023, 7, 20)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙"
GIVEN_NAMES = ("子涵", "欣怡", "浩然", "雨桐", "俊杰")
TARGET_SINGLE = 0.3  # seconds, warm, median
TARGET_BATCH = 5.0  # seconds for 60 certificates
TARGET_SIZE = 200_000  # bytes, one certificate
NAIVE_FONT = 'html { font-family: "Noto Sans CJK SC" !important; }'  # beats the page's own <style>


class NaiveRenderer:
    """What a first implementation would do: the system CJK font, a new font configuration and
    stylesheets per document. Same interface as PdfRenderer, so print_jobs.render uses it as is."""

    def __init__(self, stylesheet):
        self.stylesheet = stylesheet

    def render(self, html):
        font_config = FontConfiguration()
        document = HTML(string=html).render(
            stylesheets=[
                CSS(filename=self.stylesheet, font_config=font_config),
                CSS(string=NAIVE_FONT, font_config=font_config),
            ],
            font_config=font_config,
        )
        return document.write_pdf(), len(document.pages)


def seed(site):
    """A desk user and 60 students with accepted applications booked on DAY; returns them."""
    centre = Centre.get()
    centre.name_en, centre.address, centre.phone = (
        "Youyu County Student Aid Centre",
        "右玉县新城镇",
        "0349-8000000",
    )
    centre.save()
    season = make_season(centre)
    school = School.get_by_id(site.school_ids[0])
    applications = []
    for i in range(STUDENTS):
        surname = SURNAMES[i % len(SURNAMES)]
        student = make_student(
            centre,
            name=surname + GIVEN_NAMES[i // len(SURNAMES)],
            with_account=False,
            school=school,
            class_name=f"高三({i % 8 + 1})班",
        )
        father = make_co_borrower(student, name=surname + "建国", mobile=f"139{i:08d}")
        application = make_application(
            student,
            season,
            co_borrower=father,
            university="山西大学",
            major="数学与应用数学",
            amount_requested=16000,
            loan_term_years=19,
            status="accepted",
            accepted_at=datetime(2023, 7, 20, 2, 30),
            contract_number=f"2023140623{i + 1:06d}",
        )
        Appointment.create(
            centre=centre,
            season=season,
            student=student,
            application=application,
            service="first_loan",
            day=DAY,
            half_day="morning",
            code=f"B{i:05d}",
        )
        applications.append(application)
    desk = make_user(centre, role="desk")
    for application in applications:  # accepted at the desk: the certificate exists to print
        issue_certificate(application, desk)
    return desk, applications


def timed(work):
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def text_of(pdf):
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")


def measure():
    """({case: (seconds, pdf), or a list of them}, the first student's name). Every time covers
    what a print request does after sign-in (documents built, template, HTML to PDF, print
    record); only HTML to PDF differs between ours and the naive baseline."""
    with environment.seeded_app("sqlite") as site, site.app.app_context():
        user, applications = seed(site)
        app = site.app
        if len(font_status(app.config["FONT_DIR"]).slim_faces) < 2:
            raise RuntimeError("slim print fonts missing: run `flask fonts build` (make does)")

        def certificate(application=applications[0]):
            return print_jobs.render([print_jobs.certificate(application, user)], "zh_Hans", user)

        def certificates_one_pdf():
            return print_jobs.render([print_jobs.certificate(a, user) for a in applications], "zh_Hans", user)

        def certificates_one_pdf_each():
            return [certificate(a) for a in applications]

        with app.test_request_context():
            results = {"cold": timed(certificate)}
            results["warm"] = [timed(certificate) for _run in range(WARM_RUNS)]
            results["batch"] = [timed(certificates_one_pdf) for _run in range(BATCH_RUNS)]
            results["forms"] = timed(
                lambda: print_jobs.render(
                    [print_jobs.application_form(a) for a in applications], "zh_Hans", user
                )
            )
            # print_jobs.renderer() hands out this entry: from here on, print_jobs.render is naive
            app.extensions["pdf_renderer"] = NaiveRenderer(Path(app.static_folder) / "css" / "print.css")
            results["naive"] = [timed(certificate) for _run in range(NAIVE_RUNS)]
            results["naive_batch"] = timed(certificates_one_pdf_each)
        return results, applications[0].student.name


def run():
    results, name = measure()
    cold, cold_pdf = results["cold"]
    warm = statistics.median(seconds for seconds, _pdf in results["warm"])
    pdf = results["warm"][-1][1]
    batch = statistics.median(seconds for seconds, _pdf in results["batch"])
    batch_pdf = results["batch"][-1][1]
    forms, forms_pdf = results["forms"]
    naive = statistics.median(seconds for seconds, _pdf in results["naive"])
    naive_pdf = results["naive"][-1][1]
    naive_batch, naive_pdfs = results["naive_batch"]
    naive_batch_size = sum(len(one) for one in naive_pdfs)
    text = text_of(pdf)
    searchable = name in text and "受理证明" in text
    rows = [
        ("Certificate, first render (creates the renderer)", f"{cold:.3f}", f"{len(cold_pdf):,}", "", "", ""),
        (
            f"Certificate, warm (median: ours of {WARM_RUNS}, naive of {NAIVE_RUNS})",
            f"{warm:.3f}",
            f"{len(pdf):,}",
            f"{naive:.3f}",
            f"{len(naive_pdf):,}",
            f"{naive / warm:.1f}× time, {len(naive_pdf) / len(pdf):.1f}× size",
        ),
        (
            f"{STUDENTS} certificates (ours: one PDF, median of {BATCH_RUNS}; naive: {STUDENTS} PDFs, once)",
            f"{batch:.2f}",
            f"{len(batch_pdf):,}",
            f"{naive_batch:.2f}",
            f"{naive_batch_size:,}",
            f"{naive_batch / batch:.1f}× time, {naive_batch_size / len(batch_pdf):.1f}× size",
        ),
        (f"{STUDENTS} application forms, one PDF (once)", f"{forms:.2f}", f"{len(forms_pdf):,}", "", "", ""),
    ]
    checks = [
        Check(
            "Certificate, single warm render (median)",
            f"{warm:.3f} s",
            f"< {TARGET_SINGLE} s",
            warm < TARGET_SINGLE,
        ),
        Check(
            f"Certificates, batch of {STUDENTS} (median)",
            f"{batch:.2f} s",
            f"< {TARGET_BATCH:.0f} s",
            batch < TARGET_BATCH,
        ),
        Check(
            "Certificate PDF size", f"{len(pdf):,} bytes", f"< {TARGET_SIZE:,} bytes", len(pdf) < TARGET_SIZE
        ),
        Check(
            "Certificate text searchable (pdftotext)",
            "name and 受理证明 found" if searchable else "not found",
            "student's name and 受理证明 found",
            searchable,
        ),
    ]
    method = (
        f"{STUDENTS} students with accepted applications booked on one day, SQLite, "
        f"Simplified Chinese. Each time covers what a print request does after sign-in: "
        f"the documents built (certificate issued or looked up, QR code), "
        f"`print/job.html`, HTML to PDF, the print record. Ours: "
        f"`print_jobs.render` with the process's `PdfRenderer` (one font configuration and "
        f"stylesheet, slim CJK faces; a batch is one PDF). Naive baseline, same run and "
        f"same HTML: `HTML(string=html).render(stylesheets=[print.css, html "
        f'{{font-family: "Noto Sans CJK SC" !important}}])` (`!important` beats the '
        f"page's own `<style>`) with a new `FontConfiguration` per "
        f"document, the system font, and a batch as {STUDENTS} separate PDFs. Ratios: "
        f"naive over ours. Text: `pdftotext` on our certificate finds the student's name "
        f"({name}) and 受理证明."
    )
    headers = ["Case", "Ours (s)", "Ours (bytes)", "Naive (s)", "Naive (bytes)", "Naive / ours"]
    return Section("Printed documents", method, headers, rows, checks)
