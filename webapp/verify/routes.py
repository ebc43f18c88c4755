from flask import render_template, request

from webapp.services.certificates import verify

from . import bp


@bp.route("/")
def check():
    """Certificate number and code in, a neutral answer out: valid, revoked, or not found."""
    number, code = request.args.get("number", "").strip(), request.args.get("code", "").strip()
    certificate = verify(number, code) if number and code else None
    return render_template("verify/check.html", number=number, code=code,
                           asked=bool(number and code), certificate=certificate)
