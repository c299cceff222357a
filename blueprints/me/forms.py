"""Forms of My info."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import DataRequired, Length


class ConsentsForm(FlaskForm):
    """The optional consents, each on its own."""

    optional_profile = BooleanField(
        _l("Collection and use of optional information (phone, preferred region)")
    )
    marketing_email = BooleanField(_l("Advertising by e-mail"))
    marketing_sms = BooleanField(_l("Advertising by text message"))
    marketing_night = BooleanField(_l("Advertising between 21:00 and 08:00"))


class WithdrawForm(FlaskForm):
    """Leaving: the password, and an explicit acknowledgement."""

    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=256)],
    )
    understood = BooleanField(
        _l("I understand that my personal data is deleted at once and cannot be recovered"),
        validators=[DataRequired(message=_l("Tick this box to confirm."))],
    )
