"""Forms of the campaign console."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from blueprints.forms import SiteForm
from services.marketing import BODY_MAX, SUBJECT_MAX, CampaignText

_REQUIRED = _l("This cannot be empty.")


def _bounded(most: int) -> list:
    too_long = _l("Use at most %(most)d characters.", most=most)
    return [DataRequired(message=_REQUIRED), Length(max=most, message=too_long)]


class CampaignForm(SiteForm):
    """A campaign's subject and plain-text body, in Korean and in English."""

    subject_ko = StringField(_l("Subject in Korean"), validators=_bounded(SUBJECT_MAX))
    body_ko = TextAreaField(_l("Message in Korean (plain text)"), validators=_bounded(BODY_MAX))
    subject_en = StringField(_l("Subject in English"), validators=_bounded(SUBJECT_MAX))
    body_en = TextAreaField(_l("Message in English (plain text)"), validators=_bounded(BODY_MAX))

    def text(self) -> CampaignText:
        """What was written, for the campaign service."""
        return CampaignText(
            subject_ko=self.subject_ko.data,
            subject_en=self.subject_en.data,
            body_ko=self.body_ko.data,
            body_en=self.body_en.data,
        )


class SendForm(SiteForm):
    """The confirmed second step of sending (the button carries only the CSRF token)."""
