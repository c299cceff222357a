"""Forms of policy drafting: the draft itself, its schedule, its deletion."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Regexp

from blueprints.forms import SiteForm
from services.policy_drafts import BODY_MAX, SUMMARY_MAX, VERSION_PATTERN, DraftText, notice_days

IMPORTANCE_LABELS = {
    "general": _l("General change (announced at least %(days)s days ahead)"),
    "important": _l(
        "Important change: it widens what is collected, how it is used or to whom it is provided "
        "(announced at least %(days)s days ahead, and every member is e-mailed)"
    ),
}


def _text(label, most: int) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            DataRequired(message=_l("This cannot be empty.")),
            Length(max=most, message=_l("Use at most %(most)d characters.", most=most)),
        ],
    )


class DraftForm(SiteForm):
    """A new version: its number, importance, change summaries and full texts in both languages."""

    version = StringField(
        _l("Version number"),
        validators=[
            DataRequired(message=_l("This cannot be empty.")),
            Regexp(
                f"^{VERSION_PATTERN}$",
                message=_l("Write the version number as digits and dots, such as 1.1 or 2.0."),
            ),
        ],
    )
    importance = RadioField(
        _l("Importance of the change"),
        choices=[SelectChoice(code, code) for code in IMPORTANCE_LABELS],
        validators=[InputRequired(message=_l("Choose from the list."))],
    )
    summary_ko = _text(_l("Summary of the changes, in Korean"), SUMMARY_MAX)
    summary_en = _text(_l("Summary of the changes, in English"), SUMMARY_MAX)
    body_ko = _text(_l("Full text, in Korean"), BODY_MAX)
    body_en = _text(_l("Full text, in English"), BODY_MAX)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The notice periods are settings, so the choices are worded per request.
        self.importance.choices = [
            SelectChoice(code, label % {"days": notice_days(code)})
            for code, label in IMPORTANCE_LABELS.items()
        ]

    def draft_text(self) -> DraftText:
        """What the officer wrote, for the drafting service."""
        return DraftText(
            version=self.version.data.strip(),
            importance=self.importance.data,
            summary_ko=self.summary_ko.data,
            summary_en=self.summary_en.data,
            body_ko=self.body_ko.data,
            body_en=self.body_en.data,
        )


class ScheduleForm(SiteForm):
    """When the draft takes effect; announcing it cannot be undone."""

    effective_on = DateField(_l("Effective date"), validators=[InputRequired(message=_l("Enter a date."))])
    confirm = BooleanField(
        _l("I have checked both texts: once announced, this version can no longer be changed or deleted."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class DeleteForm(SiteForm):
    """A one-button deletion of a draft."""
