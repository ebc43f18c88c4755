"""Chinese and English side by side on printed documents, from the same catalogues as the
screens (services/printing/print_jobs.py renders with it)."""

from functools import lru_cache

from babel.dates import format_date as babel_format_date
from babel.support import Translations
from flask import current_app
from markupsafe import Markup

from webapp.i18n import (
    APPOINTMENT_MSGIDS,
    CATEGORY_MSGIDS,
    ETHNICITY_MSGIDS,
    HALF_DAY_MSGIDS,
    HARDSHIP_FACTOR_MSGIDS,
    HEALTH_MSGIDS,
    HUKOU_TYPE_MSGIDS,
    LEVEL_MSGIDS,
    MEMBER_RELATION_MSGIDS,
    POLITICAL_STATUS_MSGIDS,
    RELATION_MSGIDS,
    SERVICE_MSGIDS,
)
from webapp.services.printing.chinese_script import to_traditional

DOCUMENT_MSGIDS = {
    "relation_msgids": RELATION_MSGIDS,
    "level_msgids": LEVEL_MSGIDS,
    "category_msgids": CATEGORY_MSGIDS,
    "half_day_msgids": HALF_DAY_MSGIDS,
    "service_msgids": SERVICE_MSGIDS,
    "appointment_msgids": APPOINTMENT_MSGIDS,
    "hardship_factor_msgids": HARDSHIP_FACTOR_MSGIDS,
    "member_relation_msgids": MEMBER_RELATION_MSGIDS,
    "health_msgids": HEALTH_MSGIDS,
    "ethnicity_msgids": ETHNICITY_MSGIDS,
    "political_status_msgids": POLITICAL_STATUS_MSGIDS,
    "hukou_type_msgids": HUKOU_TYPE_MSGIDS,
}


CHINESE_LOCALES = ("zh_Hans", "zh_Hant")


@lru_cache(maxsize=8)
def _translations(directory, locale):
    return Translations.load(directory, [locale])


class Bilingual:
    """Chinese and English side by side for printed documents, from the same catalogues as
    the screens: bi("Name") gives 姓名 with "Name" under it."""

    def __init__(self, chinese_locale):
        directory = current_app.config["BABEL_TRANSLATION_DIRECTORIES"]
        self.locale = chinese_locale
        self.zh = _translations(directory, chinese_locale)
        self.en = _translations(directory, "en")

    def __call__(self, msgid, **values):
        zh = self.zh.gettext(msgid) % values if values else self.zh.gettext(msgid)
        en = self.en.gettext(msgid) % values if values else self.en.gettext(msgid)
        return Markup('<span class="zh">{}</span><span class="en">{}</span>').format(zh, en)

    def script(self, text):
        """Chinese text of the data (a centre's name, its address) in the document's script:
        Traditional characters on a zh_Hant document. People's names are never converted."""
        return to_traditional(text) if text and self.locale == "zh_Hant" else text

    def zh_text(self, msgid, **values):
        text = self.zh.gettext(msgid)
        return text % values if values else text

    def date(self, value):
        """2026年7月17日 / July 17, 2026"""
        if value is None:
            return ""
        return Markup('<span class="zh">{}</span><span class="en">{}</span>').format(
            babel_format_date(value, "long", locale=self.locale),
            babel_format_date(value, "long", locale="en"),
        )
