"""Forms of complaints: the public form, and the privacy officer's reveal, answer and close."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from blueprints.fields import email_field
from blueprints.forms import SiteForm
from services.complaints import ANSWER_MAX, BODY_MAX, SUBJECT_MAX
from services.staff_audit import REASON_MAX_LENGTH

KIND_LABELS = {
    "complaint": _l("A complaint about how my personal data is handled"),
    "question": _l("A question about my personal data or the privacy policy"),
}


def _text(label, most: int, area: bool = True):
    field = TextAreaField if area else StringField
    return field(
        label,
        validators=[
            DataRequired(message=_l("This cannot be empty.")),
            Length(max=most, message=_l("Use at most %(most)d characters.", most=most)),
        ],
    )


class ComplaintForm(SiteForm):
    """A complaint or question; visitors also give the address to answer (members' forms drop it)."""

    kind = RadioField(
        _l("What are you sending?"),
        choices=[SelectChoice(code, label) for code, label in KIND_LABELS.items()],
        validators=[DataRequired(message=_l("Choose from the list."))],
    )
    subject = _text(_l("Subject of your message"), SUBJECT_MAX, area=False)
    body = _text(_l("Your message"), BODY_MAX)
    email = email_field(_l("E-mail address for the answer"))


class RevealForm(SiteForm):
    """Why the officer needs the complainant's address (written to the access audit)."""

    reason = StringField(
        _l("Why do you need the contact address?"),
        validators=[
            DataRequired(message=_l("Say why you need to see the contact address.")),
            Length(
                max=REASON_MAX_LENGTH, message=_l("Use at most %(max)d characters.", max=REASON_MAX_LENGTH)
            ),
        ],
    )


class AnswerForm(SiteForm):
    """The officer's answer, e-mailed to the complainant."""

    answer = _text(_l("Answer to the complainant"), ANSWER_MAX)


class CloseForm(SiteForm):
    """A one-button form: close the complaint."""
