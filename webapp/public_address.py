"""The address people outside the centre reach the app at (PUBLIC_URL), for every link that is
printed or sent: a certificate's QR code, the entrance check-in code, a text message. The
address a desk PC's browser used (often localhost or a LAN address) means nothing to a
university checking a certificate."""

from urllib.parse import urlsplit

from flask import current_app, url_for


def init_app(app):
    app.jinja_env.globals["public_url_is_set"] = is_set
    base = app.config.get("PUBLIC_URL", "")
    if base and urlsplit(base).scheme not in ("http", "https"):
        raise ValueError(f"PUBLIC_URL must start with https:// (or http://), not {base!r}")
    if not base:
        app.logger.warning(
            "PUBLIC_URL is not set: printed and sent links (certificate QR codes, the check-in "
            "code) will carry the address each browser used, which people outside may not reach."
        )


def is_set() -> bool:
    return bool(current_app.config.get("PUBLIC_URL"))


def public_url(endpoint: str, **values) -> str:
    """The full address of endpoint as people outside reach it."""
    base = current_app.config.get("PUBLIC_URL", "")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
