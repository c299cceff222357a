"""Form fields shared by the feature forms: one definition of each rule and message."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from services.clock import seoul_today
from services.passwords import MAX_LENGTH, MIN_LENGTH
from services.regions import REGIONS

MOBILE = re.compile(r"^01[016789]-?\d{3,4}-?\d{4}$")


def email_field(label) -> EmailField:
    """An e-mail address, checked for form only (no DNS look-up)."""
    return EmailField(
        label,
        validators=[
            DataRequired(message=_l("Enter your e-mail address.")),
            Length(max=254, message=_l("That address is too long.")),
            Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
    )


def new_password_field(label) -> PasswordField:
    """A new password: the length rule of services/passwords.py."""
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
    """The new password again."""
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Enter the password again.")),
            EqualTo(of, message=_l("The two passwords differ.")),
        ],
    )


def current_password_field(label) -> PasswordField:
    """A password being checked (no length rule beyond a sane maximum)."""
    return PasswordField(
        label, validators=[DataRequired(message=_l("Enter your password.")), Length(max=MAX_LENGTH)]
    )


def two_step_code_field() -> StringField:
    """A 6-digit code from the authenticator app, or a recovery code (checked by services/two_step.py)."""
    return StringField(
        _l("Code"),
        validators=[
            DataRequired(message=_l("Enter the code from your authenticator app.")),
            Length(max=40, message=_l("That code is not right.")),
        ],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"},
    )


def name_field() -> StringField:
    """A person's name."""
    return StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(max=100, message=_l("Use at most %(max)d characters.", max=100)),
        ],
    )


def birth_date_field() -> DateField:
    """A date of birth as YYYY-MM-DD (the form checks it with validate_real_birth_date)."""
    return DateField(
        _l("Date of birth"), validators=[DataRequired(message=_l("Enter your date of birth as YYYY-MM-DD."))]
    )


def phone_field() -> StringField:
    """An optional Korean mobile number (the form checks it with validate_mobile)."""
    return StringField(_l("Mobile phone"), validators=[Optional(), Length(max=20)])


def region_field() -> SelectField:
    """An optional preferred region from the fixed list."""
    return SelectField(
        _l("Preferred region"),
        choices=[SelectChoice("", _l("Not chosen"))] + [SelectChoice(code, label) for code, label in REGIONS],
        validators=[Optional()],
        validate_choice=True,
    )


def validate_real_birth_date(field) -> None:
    """A real, past date."""
    if field.data and not (date(1900, 1, 1) <= field.data <= seoul_today()):
        raise ValidationError(_l("Enter your real date of birth."))


def validate_mobile(field) -> None:
    """A Korean mobile number such as 010-1234-5678."""
    if field.data and not MOBILE.match(field.data.strip()):
        raise ValidationError(_l("Enter a mobile number such as 010-1234-5678."))


class PersonFieldChecks:
    """Form mixin: the checks of the birth_date and phone fields (WTForms finds validate_<field>)."""

    def validate_birth_date(self, field) -> None:
        """A real, past date."""
        validate_real_birth_date(field)

    def validate_phone(self, field) -> None:
        """A Korean mobile number."""
        validate_mobile(field)


class CheckboxesField(SelectMultipleField):
    """Several choices, shown as a list of checkboxes; unknown values are refused by the service."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, validate_choice=False, **kwargs)


class WonField(IntegerField):
    """An amount in won: digits, with or without thousands separators."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].replace(",", "").strip())
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a price in won, digits only.")) from None
