"""Forms of the auth blueprint."""

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


def password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Enter a password.")),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Use %(min)d to %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH),
            ),
        ],
    )


def confirm_field(label, of: str = "password") -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Enter the password again.")),
            EqualTo(of, message=_l("The two passwords differ.")),
        ],
    )


class SignupForm(FlaskForm):
    """Required items, optional items, and one box per consent (none ticked in advance)."""

    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(max=254, message=_l("That address is too long.")),
            Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
    )
    password = password_field(_l("Password"))
    password_confirm = confirm_field(_l("Password again"))
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(max=100, message=_l("Use at most %(max)d characters.", max=100)),
        ],
    )
    birth_date = DateField(
        _l("Date of birth"),
        validators=[DataRequired(message=_l("Enter your date of birth as YYYY-MM-DD."))],
    )
    phone = StringField(_l("Mobile phone"), validators=[Optional(), Length(max=20)])
    preferred_region = SelectField(
        _l("Preferred region"),
        choices=[SelectChoice("", _l("Not chosen"))] + [SelectChoice(code, label) for code, label in REGIONS],
        validators=[Optional()],
        validate_choice=True,
    )
    privacy_notice = BooleanField(
        _l("I agree to the collection and use of the required personal information (required)"),
        validators=[DataRequired(message=_l("Joining needs this consent."))],
    )
    terms = BooleanField(
        _l("I agree to the terms of service (required)"),
        validators=[DataRequired(message=_l("Joining needs this consent."))],
    )
    optional_profile = BooleanField(
        _l("I agree to the collection and use of the optional information above (optional)")
    )
    marketing_email = BooleanField(_l("I agree to receive advertising by e-mail (optional)"))
    marketing_sms = BooleanField(_l("I agree to receive advertising by text message (optional)"))
    marketing_night = BooleanField(
        _l("I also agree to receive advertising between 21:00 and 08:00 (optional)")
    )

    def validate_birth_date(self, field) -> None:
        """A real, past date."""
        if field.data and not (date(1900, 1, 1) <= field.data <= seoul_today()):
            raise ValidationError(_l("Enter your real date of birth."))

    def validate_phone(self, field) -> None:
        """A Korean mobile number such as 010-1234-5678."""
        if field.data and not MOBILE.match(field.data.strip()):
            raise ValidationError(_l("Enter a mobile number such as 010-1234-5678."))


class SigninForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(
        _l("E-mail"),
        validators=[DataRequired(message=_l("Enter your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Enter your password.")), Length(max=MAX_LENGTH)],
    )


class ForgotPasswordForm(FlaskForm):
    """The address to send a reset link to."""

    email = EmailField(
        _l("E-mail"),
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
    )


class ResetPasswordForm(FlaskForm):
    """A new password, twice."""

    password = password_field(_l("New password"))
    password_confirm = confirm_field(_l("New password again"))


class SignoutForm(FlaskForm):
    """Sign-out is a POST with a CSRF token."""


class RestoreForm(FlaskForm):
    """Confirm bringing a dormant account back."""
