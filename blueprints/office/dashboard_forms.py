"""Forms of the privacy office's dashboards: retrying mail, breach notices."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from blueprints.forms import SiteForm
from services.breach import BODY_MAX, SUBJECT_MAX


class RetryForm(SiteForm):
    """One button: send failed mail again (all of it, or the message named in the URL)."""


def _text(label, limit: int, area: bool = False):
    field = TextAreaField if area else StringField
    return field(
        label,
        validators=[
            DataRequired(message=_l("Fill this in, in both languages.")),
            Length(max=limit, message=_l("Use at most %(most)d characters.", most=limit)),
        ],
    )


class BreachForm(SiteForm):
    """A breach notice in Korean and English, and who is affected."""

    subject_ko = _text(_l("Subject in Korean"), SUBJECT_MAX)
    subject_en = _text(_l("Subject in English"), SUBJECT_MAX)
    body_ko = _text(_l("Notice in Korean"), BODY_MAX, area=True)
    body_en = _text(_l("Notice in English"), BODY_MAX, area=True)
    member_ids = TextAreaField(
        _l("Affected member ids"),
        validators=[Optional(), Length(max=200_000, message=_l("That list is too long."))],
    )
    confirm = BooleanField(
        _l("I have checked the text and the recipients: send it now."),
        validators=[DataRequired(message=_l("Tick the box to confirm the notice goes out now."))],
    )
