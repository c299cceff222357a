"""Forms of My info."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

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


class ConsentsForm(SiteForm):
    """The optional consents, each on its own."""

    optional_profile = BooleanField(
        _l("Collection and use of optional information (phone, preferred region)")
    )
    marketing_email = BooleanField(_l("Advertising by e-mail"))
    marketing_sms = BooleanField(_l("Advertising by text message"))
    marketing_night = BooleanField(_l("Advertising between 21:00 and 08:00"))


class WithdrawForm(SiteForm):
    """Leaving: the password, and an explicit acknowledgement."""

    password = current_password_field(_l("Password"))
    posts = RadioField(
        _l("Your posts and comments on the boards"),
        choices=[
            SelectChoice("delete", _l("Delete them with my account")),
            SelectChoice(
                "keep", _l('Leave them up, credited to "withdrawn member" with nothing that links them to me')
            ),
        ],
        validators=[DataRequired(message=_l("Choose what happens to your posts and comments."))],
    )
    understood = BooleanField(
        _l("I understand that my personal data is deleted at once and cannot be recovered"),
        validators=[DataRequired(message=_l("Tick this box to confirm."))],
    )


class ProfileForm(PersonFieldChecks, SiteForm):
    """The profile a member can correct at any time."""

    name = name_field()
    birth_date = birth_date_field()
    language = SelectField(
        _l("Language for e-mails and pages"),
        choices=[SelectChoice("ko", "한국어"), SelectChoice("en", "English")],
        validate_choice=True,
    )
    phone = phone_field()
    preferred_region = region_field()


class PasswordChangeForm(SiteForm):
    """The current password, then the new one twice."""

    current_password = current_password_field(_l("Current password"))
    password = new_password_field(_l("New password"))
    password_confirm = confirm_field(_l("New password again"))


class FlagForm(SiteForm):
    """A one-button form: mark a field as wrong."""


class EmailChangeForm(SiteForm):
    """The new address, and the password again (ASVS 7.5.1); it is used only after it is confirmed."""

    email = email_field(_l("New e-mail address"))
    password = current_password_field(_l("Current password"))


class EndSessionsForm(SiteForm):
    """End one other session, or all of them, with the password again (ASVS 7.5.2)."""

    target = RadioField(
        _l("Which sessions to end"),
        validators=[DataRequired(message=_l("Choose which sessions to end."))],
        validate_choice=False,  # checked below, with our own words
    )
    password = current_password_field(_l("Password"))

    def validate_target(self, field) -> None:
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose which sessions to end."))


class TwoStepConfirmForm(SiteForm):
    """The first code from the newly set-up app, and the password."""

    code = two_step_code_field()
    password = current_password_field(_l("Password"))


class TwoStepOffForm(SiteForm):
    """Turning two-step off: the password and a current code (or a recovery code)."""

    code = two_step_code_field()
    password = current_password_field(_l("Password"))


class PasswordOnlyForm(SiteForm):
    """A step that needs the password again (new recovery codes)."""

    password = current_password_field(_l("Password"))


class StartTwoStepForm(SiteForm):
    """A one-button form: begin setting up two-step sign-in."""
