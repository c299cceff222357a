"""Forms of My info."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class ConsentsForm(FlaskForm):
    """The optional consents, each on its own."""

    optional_profile = BooleanField(
        _l("Collection and use of optional information (phone, preferred region)")
    )
    marketing_email = BooleanField(_l("Advertising by e-mail"))
    marketing_sms = BooleanField(_l("Advertising by text message"))
    marketing_night = BooleanField(_l("Advertising between 21:00 and 08:00"))
