"""Languages: Simplified Chinese by default, Traditional Chinese and English on request."""
from flask import current_app, has_request_context, request, session
from flask_babel import Babel, format_currency, format_date, format_datetime, format_decimal
from flask_babel import lazy_gettext as _l

babel = Babel()
LANGUAGE_COOKIE = "lang"
LANGUAGE_NAMES = {"zh_Hans": "简体中文", "zh_Hant": "繁體中文", "en": "English"}
HTML_LANG = {"zh_Hans": "zh-Hans", "zh_Hant": "zh-Hant", "en": "en"}


def select_locale():
    """The remembered choice (session, then a long-lived cookie), else the default."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    for choice in (session.get("locale"), request.cookies.get(LANGUAGE_COOKIE)):
        if choice in languages:
            return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def format_yuan(amount):
    """An amount in yuan as the active locale writes it, e.g. ¥16,000 or CN¥16,000."""
    if amount is None:
        return ""
    return format_currency(amount, "CNY", format="¤#,##0.##", currency_digits=False)


SEX_LABELS = {"M": _l("Male"), "F": _l("Female")}
SERVICE_LABELS = {"first_loan": _l("First loan"), "renewal": _l("Renewal"),
                  "contract_change": _l("Contract change")}
HALF_DAY_LABELS = {"morning": _l("Morning"), "afternoon": _l("Afternoon")}
SCHOOL_KIND_LABELS = {"general": _l("General high school"), "vocational": _l("Vocational school")}
RELATION_LABELS = {"father": _l("Father"), "mother": _l("Mother"), "relative": _l("Close relative"),
                   "other": _l("Other")}
LEVEL_LABELS = {"undergraduate": _l("Undergraduate or college (本专科)"),
                "postgraduate": _l("Postgraduate (研究生)")}
# design.md section 3: who skips the family-hardship determination.
CATEGORY_LABELS = {
    0: _l("None: the family-hardship form will be needed"),
    1: _l("1 · Registered poverty, subsistence allowance, extreme hardship, orphan, disability, martyr's child"),
    2: _l("2 · Sudden family hardship"),
    3: _l("3 · High-school national grant holder"),
    4: _l("4 · Other, certified by the school or county"),
}
PREREG_STATUS_LABELS = {"accepted": _l("Accepted"), "possible_duplicate": _l("Possible duplicate"),
                        "invalid": _l("Invalid"), "merged": _l("Merged"), "rejected": _l("Rejected")}


def init_app(app):
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        date=format_date, datetime=format_datetime, number=format_decimal, yuan=format_yuan)

    @app.context_processor
    def _languages():
        from flask_babel import get_locale
        code = str(get_locale())
        return {"language_names": LANGUAGE_NAMES, "current_language": code,
                "html_lang": HTML_LANG.get(code, "zh-Hans"), "sex_labels": SEX_LABELS,
                "service_labels": SERVICE_LABELS, "half_day_labels": HALF_DAY_LABELS,
                "school_kind_labels": SCHOOL_KIND_LABELS, "relation_labels": RELATION_LABELS,
                "level_labels": LEVEL_LABELS, "category_labels": CATEGORY_LABELS,
                "prereg_status_labels": PREREG_STATUS_LABELS}
