"""Personal data kept out of logs, and who looked at it kept in the audit log."""

import logging
import unicodedata
import urllib.request

from tests.factories import (
    PASSWORD,
    make_application,
    make_centre,
    make_season,
    make_student,
    make_user,
    valid_id_number,
)
from webapp.log_privacy import mask_personal_numbers
from webapp.models import AuditEvent


def test_id_numbers_are_masked_in_every_log_line(app, live_server, caplog):
    number = valid_id_number()
    caplog.set_level(logging.INFO)
    app.logger.warning("looked up %s for a student", number)
    try:
        urllib.request.urlopen(f"{live_server.url}/verify/?number={number}&code=ABCD-EFGH", timeout=10)
    except urllib.error.HTTPError:
        pass  # the page refuses an ID number in the address; the access log still has the line
    assert number not in caplog.text
    assert f"{number[:6]}********{number[14:]}" in caplog.text
    assert "/verify/?number=" in caplog.text  # the request itself was logged


def test_the_mask_hides_id_and_mobile_numbers_and_keeps_other_numbers():
    assert mask_personal_numbers("contract 2026140623000001 and mobile 13800000001") == (
        "contract 2026140623000001 and mobile 138****0001"
    )
    assert mask_personal_numbers("id=14062320080314131X.") == "id=140623********131X."
    assert mask_personal_numbers('{"path": "/x?m=+8613912345678"}') == '{"path": "/x?m=+86139****5678"}'
    assert (
        mask_personal_numbers("ticket 12345678901234 at 2026-12-04") == "ticket 12345678901234 at 2026-12-04"
    )


def test_opening_a_full_record_printing_and_exporting_are_in_the_audit_log(app, client, auth):
    centre = make_centre()
    season = make_season(centre, year=2026)
    student = make_student(centre, name="欧阳娜")
    application = make_application(student, season, status="submitted")
    make_user(centre, role="admin", username="boss")
    make_user(centre, role="desk", username="window")
    auth.login("window", PASSWORD)
    assert client.get(f"/desk/applications/{application.id}").status_code == 200
    assert client.get(f"/documents/application-form/{application.id}.pdf").status_code == 200
    auth.logout()
    auth.login("boss", PASSWORD)
    client.get(f"/admin/exports/loans.csv?season={season.id}")
    viewed = AuditEvent.get(AuditEvent.action == "record.viewed")
    assert (viewed.object_type, viewed.object_id, viewed.actor.username) == (
        "Application",
        str(application.id),
        "window",
    )
    actions = {e.action for e in AuditEvent.select()}
    assert {"record.viewed", "documents.printed", "export.loans"} <= actions
    printed = AuditEvent.get(AuditEvent.action == "documents.printed")
    assert printed.object_id == str(application.id) and f"[{student.id}]" in printed.details
    page = client.get("/admin/audit?action=access").get_data(as_text=True)
    assert (
        "record.viewed" in page and "export.loans" in page and "account.login" not in page.split("<tbody>")[1]
    )


def _every_way_of_typing(number):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    groups = (
        (number[:6], number[6:14], number[14:])
        if len(number) == 18
        else (number[:3], number[3:7], number[7:])
    )
    return [
        number,
        number.lower(),
        " ".join(groups),
        "-".join(groups),
        full_width,
        "\u3000".join("".join(chr(ord(c) + 0xFEE0) for c in g) for g in groups),
        " " + "-".join(groups) + " ",
    ]


def test_a_number_typed_any_way_the_search_takes_is_masked_in_the_log(app, client, auth, caplog):
    """The desk's search finds a student by ID number or mobile however typed; the request log
    holds none of those ways in clear (nor percent-encoded in the address)."""
    from urllib.parse import quote_plus, unquote_plus

    centre = make_centre()
    student = make_student(centre, name="欧阳娜", mobile="13912345678")
    make_user(centre, role="desk", username="window")
    auth.login("window", PASSWORD)
    caplog.set_level(logging.INFO, logger="studentloan.requests")
    for number in (student.id_number, student.mobile):
        for typed in _every_way_of_typing(number):
            caplog.clear()
            page = client.get("/desk/?q=" + quote_plus(typed)).get_data(as_text=True)
            assert "欧阳娜" in page, typed  # the search takes it
            logged = caplog.text
            assert "/desk/?q=" in logged
            plain = "".join(
                c for c in unicodedata.normalize("NFKC", unquote_plus(logged)).upper() if c.isalnum()
            )
            assert number.upper() not in plain, (typed, logged)
