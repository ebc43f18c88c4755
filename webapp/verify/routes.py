from flask import render_template, request

from webapp.services import throttle
from webapp.services.certificates import verify

from . import bp

FAILURES_ALLOWED = 10  # wrong number/code pairs per address before a pause


@bp.route("/")
def check():
    """Certificate number and code in, a neutral answer out: valid, revoked, or not found.
    Repeated wrong answers from one address pause it, so codes cannot be tried one by one."""
    number, code = request.args.get("number", "").strip(), request.args.get("code", "").strip()
    asked = bool(number and code)
    keys = [f"verify:{request.remote_addr}"]
    wait = throttle.locked_for(keys) if asked else 0
    certificate = verify(number, code) if asked and not wait else None
    if asked and not wait and certificate is None:
        throttle.record_failure(keys, {keys[0]: FAILURES_ALLOWED})
    status = 429 if wait else 200
    return render_template(
        "verify/check.html",
        number=number,
        code=code,
        asked=asked,
        certificate=certificate,
        wait_minutes=-(-wait // 60),
    ), status
