"""Forms of My info."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from services.clock import seoul_today
from services.passwords import MAX_LENGTH, MIN_LENGTH
from services.regions import REGIONS

MOBILE = re.compile(r"^01[016789]-?\d{3,4}-?\d{4}$")


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


class ProfileForm(FlaskForm):
    """The profile a member can correct at any time."""

    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(max=100, message=_l("Use at most %(max)d characters.", max=100)),
        ],
    )
    birth_date = DateField(
        _l("Date of birth"), validators=[DataRequired(message=_l("Enter your date of birth as YYYY-MM-DD."))]
    )
    language = SelectField(
        _l("Language for e-mails and pages"),
        choices=[SelectChoice("ko", "한국어"), SelectChoice("en", "English")],
        validate_choice=True,
    )
    phone = StringField(_l("Mobile phone"), validators=[Optional(), Length(max=20)])
    preferred_region = SelectField(
        _l("Preferred region"),
        choices=[SelectChoice("", _l("Not chosen"))] + [SelectChoice(code, label) for code, label in REGIONS],
        validators=[Optional()],
        validate_choice=True,
    )

    def validate_birth_date(self, field) -> None:
        """A real, past date."""
        if field.data and not (date(1900, 1, 1) <= field.data <= seoul_today()):
            raise ValidationError(_l("Enter your real date of birth."))

    def validate_phone(self, field) -> None:
        """A Korean mobile number such as 010-1234-5678."""
        if field.data and not MOBILE.match(field.data.strip()):
            raise ValidationError(_l("Enter a mobile number such as 010-1234-5678."))


class PasswordChangeForm(FlaskForm):
    """The current password, then the new one twice."""

    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(message=_l("Enter your password.")), Length(max=256)]
    )
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(message=_l("Enter a password.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Use %(min)d to %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH),
            ),
        ],
    )
    password_confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(message=_l("Enter the password again.")),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )


class FlagForm(FlaskForm):
    """A one-button form: mark a field as wrong."""


class EmailChangeForm(FlaskForm):
    """The new address; it is used only after it is confirmed."""

    email = EmailField(
        _l("New e-mail address"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(max=254, message=_l("That address is too long.")),
            Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
    )
