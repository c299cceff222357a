"""Forms of the moderators' console."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from blueprints.forms import SiteForm
from services.moderation import MASKS_MAX, MODERATION_REASONS, NOTE_MAX, SUSPENSION_DAYS

REASON_LABELS = {
    "spam": _l("Spam or advertising"),
    "defamation": _l("False information or defamation"),
    "privacy": _l("Exposes someone's private information"),
    "impersonation": _l("Uses another person's identity"),
    "rights": _l("Infringes copyright or other rights"),
    "off_topic": _l("Off-topic"),
    "other": _l("Other (see the note)"),
}
TARGET = re.compile(r"^(post|comment):([1-9][0-9]{0,17})$")


class ReasonForm(SiteForm):
    """Why a moderator acts: a reason from the list (told to the author) and a note."""

    reason = SelectField(
        _l("Reason"),
        choices=[SelectChoice(code, REASON_LABELS[code]) for code in MODERATION_REASONS],
        validators=[DataRequired(message=_l("Choose a reason from the list."))],
    )
    note = TextAreaField(
        _l("Note for the author and the log"),
        validators=[
            Optional(),
            Length(max=NOTE_MAX, message=_l("Use at most %(most)d characters.", most=NOTE_MAX)),
        ],
    )


class MaskForm(ReasonForm):
    """The words to replace with symbols, one per line."""

    spans = TextAreaField(
        _l("Words to mask, one per line, exactly as written"),
        validators=[DataRequired(message=_l("Write at least one word to mask."))],
    )

    def validate_spans(self, field) -> None:
        """At most MASKS_MAX lines."""
        if len([line for line in field.data.splitlines() if line.strip()]) > MASKS_MAX:
            raise ValidationError(_l("Mask at most %(most)d words at a time.", most=MASKS_MAX))


class SuspendForm(ReasonForm):
    """How long the author may not post or comment."""

    days = SelectField(
        _l("Suspend posting for"),
        choices=[SelectChoice(str(days), _l("%(num)d days", num=days)) for days in SUSPENSION_DAYS],
        validators=[DataRequired(message=_l("Choose a period from the list."))],
    )


class BulkDeleteForm(ReasonForm):
    """Many posts or comments at once; the second step confirms."""

    confirm = BooleanField(_l("Yes, delete all of them"))


def parse_targets(values: list[str]) -> list[tuple[str, int]]:
    """The (kind, id) pairs of the ticked boxes; malformed values are dropped."""
    found = []
    for value in values:
        match = TARGET.match(value)
        if match:
            found.append((match.group(1), int(match.group(2))))
    return found
