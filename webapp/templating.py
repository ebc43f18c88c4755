"""Template helpers that are not about language: navigation, masking of personal data, and
the vocabulary (webapp/vocabulary.py), so that templates name statuses as the code does."""

from flask_babel import get_locale
from flask_login import current_user

from webapp.navigation import home_endpoint, navigation_for
from webapp.services.common.id_numbers import mask_id_number
from webapp.services.printing.chinese_script import to_traditional
from webapp.vocabulary import ALL_VOCABULARIES, OFFLINE_ROLES


def mask_mobile(value):
    return value[:3] + "****" + value[-4:] if value and len(value) == 11 else value


def mask_name(value):
    """张* / 欧阳** : what a university may see of a name."""
    return value[:1] + "*" * (len(value) - 1) if value else value


def in_script(text):
    """Data typed in Simplified (a university's name) as a Traditional-script reader reads it."""
    return to_traditional(text) if text and str(get_locale()) == "zh_Hant" else text


def init_app(app):
    app.jinja_env.filters.update(
        mask_id=mask_id_number, mask_mobile=mask_mobile, mask_name=mask_name, script=in_script
    )
    app.jinja_env.globals.update({vocabulary.__name__: vocabulary for vocabulary in ALL_VOCABULARIES})

    @app.context_processor
    def _navigation():
        user = current_user
        return {
            "nav_items": navigation_for(user),
            "offline_enabled": user.is_authenticated and user.role in OFFLINE_ROLES,
            "home_url_endpoint": home_endpoint(user) if user.is_authenticated else "auth.login",
        }
