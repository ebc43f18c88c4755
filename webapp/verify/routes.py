from flask import render_template, request
from flask_babel import lazy_gettext as _l

from webapp.forms import ButtonForm
from webapp.services.casework.certificates import code_error, verify
from webapp.services.common.id_numbers import ID_NUMBER_RE, compact_id_number
from webapp.services.identity import throttle

from .blueprint import bp

FAILURES_ALLOWED = 10  # wrong number/code pairs per address before a pause
MAX_NUMBER_LENGTH = 40


@bp.route("/", methods=["GET", "POST"])
def check():
    """Certificate number and code in, a neutral answer out: valid, revoked, or not found.
    The QR code carries the certificate number and code in the address; a student's ID number
    is only taken from the form (POST), so it never lands in an address or an access log.
    Repeated wrong answers from one address pause it, so codes cannot be tried one by one."""
    values = request.form if request.method == "POST" else request.args
    number, code = values.get("number", "").strip(), values.get("code", "").strip()
    asked = bool(number and code)
    if not asked:
        return _page(number, code)
    if request.method == "GET" and ID_NUMBER_RE.match(compact_id_number(number)):
        return _page("", code, error=_l("Type the ID number into the form below; it is not sent in the address."),
                     status=400)  # fmt: skip
    error = code_error(code) or (
        _l("The certificate number is too long.") if len(number) > MAX_NUMBER_LENGTH else None
    )
    if error:
        return _page(number, code, error=error, status=422)
    limits = {f"verify:{request.remote_addr}": FAILURES_ALLOWED}
    wait, _paused = throttle.begin(limits)  # counted before the pair is checked
    certificate = verify(number, code) if not wait else None
    if certificate is not None:
        throttle.succeeded(limits, forget=[])
    return _page(number, code, asked=True, certificate=certificate, wait=wait, status=429 if wait else 200)


def _page(number, code, asked=False, certificate=None, wait=0, error=None, status=200):
    return render_template(
        "verify/check.html",
        number=number,
        code=code,
        asked=asked,
        certificate=certificate,
        wait_minutes=-(-wait // 60),
        error=error,
        form=ButtonForm(),
    ), status
