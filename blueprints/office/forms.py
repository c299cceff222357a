"""Forms of the privacy office console: roles, member look-ups, the audit log and its review."""

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from blueprints.fields import CheckboxesField
from blueprints.forms import SiteForm
from models.member import STAFF_ROLES
from services.member_lookup import VIEWABLE_FIELDS
from services.rules import valid_id
from services.staff_audit import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, REASON_MIN_LENGTH

ROLE_LABELS = {"moderator": _l("Moderator"), "privacy_officer": _l("Privacy officer")}
FIELD_LABELS = {
    "name": _l("Name"),
    "email": _l("E-mail"),
    "phone": _l("Mobile phone"),
    "birth_date": _l("Date of birth"),
    "preferred_region": _l("Preferred region"),
    "language": _l("Language"),
}
# The export's categories of personal data (services/personal_data.py), as an export's audit row lists them.
CATEGORY_LABELS = {
    "identity": _l("Name and date of birth"),
    "contact": _l("Contact details"),
    "profile": _l("Profile and settings"),
    "consent": _l("Consent records"),
    "activity": _l("Account activity"),
    "posts": _l("Posts and comments"),
    "reports": _l("Reports sent"),
    "moderation": _l("Moderation steps"),
    "photographer": _l("Photographer profile"),
    "shoots": _l("Shoot requests"),
    "contract": _l("Bookings and payments"),
    "provision": _l("Contact data provided"),
    "reviews": _l("Reviews written"),
    "complaints": _l("Privacy complaints"),
    "marketing": _l("Marketing messages"),
}
PURPOSE_LABELS = {
    "member_view": _l("Personal data opened in the member look-up"),
    "member_export": _l("Full export on the member's request"),
    "complaint": _l("Subject and text of a privacy complaint"),
    "complaint_contact": _l("Contact data of a privacy complaint"),
}
STATUS_LABELS = {
    "active": _l("Active member"),
    "pending": _l("Waiting for e-mail verification"),
    "dormant": _l("Dormant (data stored apart)"),
}
MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
REASON_NEEDED = _l(
    "Say why you need to open this member's data (at least %(min)d characters).", min=REASON_MIN_LENGTH
)


class GrantRoleForm(SiteForm):
    """Give an active member (named by address) a staff role."""

    email = EmailField(
        _l("The member's e-mail address"),
        validators=[
            DataRequired(message=_l("Enter the member's e-mail address.")),
            Length(max=254, message=_l("That address is too long.")),
            Email(message=_l("Enter a valid e-mail address."), check_deliverability=False),
        ],
    )
    role = SelectField(
        _l("Staff role"),
        choices=[SelectChoice(role, ROLE_LABELS[role]) for role in STAFF_ROLES],
        validators=[DataRequired(message=_l("Choose a role from the list."))],
        validate_choice=False,
    )

    def validate_role(self, field) -> None:
        """One of the staff roles (WTForms' own wording of this is not ours)."""
        if field.data not in STAFF_ROLES:
            raise ValidationError(_l("Choose a role from the list."))


class ButtonForm(SiteForm):
    """A one-button action: only the CSRF token."""


class EndMemberSessionsForm(SiteForm):
    """Sign one member out on every device (a stolen account, say)."""

    member_id = IntegerField(
        _l("Member number"),
        validators=[DataRequired(message=_l("Enter a member number."))],
    )

    def validate_member_id(self, field) -> None:
        if not valid_id(field.data):
            raise ValidationError(_l("Enter a member number."))


class EndAllSessionsForm(SiteForm):
    """Sign every member out at once (after a breach); only with the box ticked."""

    confirm = BooleanField(
        _l("I understand that every member, staff included, must sign in again"),
        validators=[DataRequired(message=_l("Tick this box to confirm."))],
    )


class MemberSearchForm(SiteForm):
    """Find one member by exact e-mail address or member number (posted, so no address lands in a URL)."""

    query = StringField(
        _l("E-mail address or member number"),
        validators=[
            DataRequired(message=_l("Enter an e-mail address or a member number.")),
            Length(max=254, message=_l("That address is too long.")),
        ],
    )


def _reason_field(label) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            DataRequired(message=REASON_NEEDED),
            Length(
                max=REASON_MAX_LENGTH, message=_l("Use at most %(max)d characters.", max=REASON_MAX_LENGTH)
            ),
        ],
    )


class OpenDataForm(SiteForm):
    """Which personal fields to open, and why."""

    fields = CheckboxesField(
        _l("Personal data to open"),
        choices=[SelectChoice(name, FIELD_LABELS[name]) for name in VIEWABLE_FIELDS],
        validators=[DataRequired(message=_l("Tick at least one item of personal data to open."))],
    )
    reason = _reason_field(_l("Why you need it (kept in the access audit)"))


class ExportForm(SiteForm):
    """Why the member's full export is needed (a request from the member)."""

    reason = _reason_field(_l("How and when the member asked (kept in the access audit)"))


class IdField(IntegerField):
    """An optional row id typed by staff: digits only, within the id range."""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip().lstrip("#")
        self.data = None
        if not raw:
            return
        if not re.fullmatch(r"[0-9]{1,10}", raw) or not valid_id(int(raw)):
            raise ValueError(_l("Enter a member number such as 12."))
        self.data = int(raw)


class DayField(StringField):
    """An optional day as YYYY-MM-DD (a date input), read on the Korean calendar."""

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw_text, self.data = raw, None
        if not raw:
            return
        try:
            day = datetime.strptime(raw, "%Y-%m-%d").date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            raise ValueError(_l("Enter a day as YYYY-MM-DD.")) from None
        # The same years the monthly review accepts; year 1 or 9999 would overflow the day's bounds.
        if not 2000 <= day.year <= 2999:
            raise ValueError(_l("Enter a day as YYYY-MM-DD."))
        self.data = day

    def _value(self) -> str:
        return self.data.isoformat() if isinstance(self.data, date) else getattr(self, "raw_text", "")


class AuditFilterForm(SiteForm):
    """The audit log's filters, read from the query string."""

    class Meta:
        csrf = False

    staff = IdField(_l("Staff member number"), validators=[Optional()])
    member = IdField(_l("Member number"), validators=[Optional()])
    purpose = SelectField(_l("Purpose of access"), choices=[], validate_choice=False)
    date_from = DayField(_l("From (day)"), render_kw={"type": "date"})
    date_to = DayField(_l("Until (day)"), render_kw={"type": "date"})

    def __init__(self, purposes: list[str], **kwargs):
        super().__init__(**kwargs)
        self.purpose.choices = [SelectChoice("", _l("Any purpose"))] + [
            SelectChoice(code, PURPOSE_LABELS.get(code, code)) for code in purposes
        ]

    def validate_purpose(self, field) -> None:
        """A purpose from the list (or none)."""
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose a purpose from the list."))

    def validate_date_to(self, field) -> None:
        """The last day cannot come before the first."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The last day cannot come before the first."))


def parse_month(raw: str | None) -> date | None:
    """A month written YYYY-MM as its first day, or None when it is not one."""
    match = MONTH.match((raw or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1) if 2000 <= year <= 2999 and 1 <= month <= 12 else None


class SignOffForm(SiteForm):
    """The privacy officer's sign-off of one month of the audit."""

    month = HiddenField(validators=[DataRequired(message=_l("Choose the month to sign off."))])
    note = TextAreaField(
        _l("Note (what you checked, anything followed up)"),
        validators=[
            Optional(),
            Length(max=NOTE_MAX_LENGTH, message=_l("Use at most %(max)d characters.", max=NOTE_MAX_LENGTH)),
        ],
    )
