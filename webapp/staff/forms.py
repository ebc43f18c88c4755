from flask_babel import lazy_gettext as _l
from wtforms import StringField

from webapp.forms import Form


class NewCentreForm(Form):
    """A province adds a county centre (services/province/centres.py)."""

    region_code = StringField(_l("Region code"))
    name = StringField(_l("Centre name"))
    admin_username = StringField(_l("Its administrator's username"))
    admin_name = StringField(_l("Its administrator's name"))
