"""Forms of the auth blueprint."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from blueprints.fields import (
    PersonFieldChecks,
    birth_date_field,
    confirm_field,
    current_password_field,
    email_field,
    name_field,
    new_password_field,
    phone_field,
    region_field,
    two_step_code_field,
)
from blueprints.forms import SiteForm


class SignupForm(PersonFieldChecks, SiteForm):
    """Required items, optional items, and one box per consent (none ticked in advance)."""

    email = email_field(_l("E-mail"))
    password = new_password_field(_l("Password"))
    password_confirm = confirm_field(_l("Password again"))
    name = name_field()
    birth_date = birth_date_field()
    phone = phone_field()
    preferred_region = region_field()
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


class SigninForm(SiteForm):
    """E-mail and password."""

    email = email_field(_l("E-mail"))
    password = current_password_field(_l("Password"))


class ForgotPasswordForm(SiteForm):
    """The address to send a reset link to."""

    email = email_field(_l("E-mail"))


class ResetPasswordForm(SiteForm):
    """A new password, twice."""

    password = new_password_field(_l("New password"))
    password_confirm = confirm_field(_l("New password again"))


class TwoStepCodeForm(SiteForm):
    """The code from the authenticator app (or a recovery code), after the password."""

    code = two_step_code_field()


class SignoutForm(SiteForm):
    """Sign-out is a POST with a CSRF token."""


class RestoreForm(SiteForm):
    """Confirm bringing a dormant account back."""
