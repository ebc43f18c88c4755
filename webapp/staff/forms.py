from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField


class NewCentreForm(FlaskForm):
    """A province adds a county centre (services/province/centres.py)."""

    region_code = StringField(_l("Region code"))
    name = StringField(_l("Centre name"))
