"""Forms of the boards."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from blueprints.forms import SiteForm
from services.posts import BODY_MAX, COMMENT_MAX, TITLE_MAX
from services.reports import DETAILS_MAX

REPORT_REASON_LABELS = {
    "spam": _l("Spam: chain letters, advertising, links to other sites"),
    "defamation": _l("False information or defamation of me"),
    "privacy": _l("It exposes my private information"),
    "impersonation": _l("Someone is using another person's identity"),
    "rights": _l("It infringes copyright or other rights"),
    "off_topic": _l("Off-topic for this board"),
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


class PostForm(SiteForm):
    """A post: a title and plain text."""

    title = _text(_l("Title"), TITLE_MAX, area=False)
    body = _text(_l("Text"), BODY_MAX)


class CommentForm(SiteForm):
    """A comment: plain text."""

    body = _text(_l("Comment"), COMMENT_MAX)


class ReportForm(SiteForm):
    """Why a post or comment should be looked at."""

    reason = RadioField(
        _l("Reason"),
        choices=[SelectChoice(code, label) for code, label in REPORT_REASON_LABELS.items()],
        validators=[DataRequired(message=_l("Choose a reason from the list."))],
    )
    details = TextAreaField(
        _l("Details"),
        validators=[
            Optional(),
            Length(max=DETAILS_MAX, message=_l("Use at most %(most)d characters.", most=DETAILS_MAX)),
        ],
    )


class ObjectionForm(SiteForm):
    """The author's objection to a temporary measure."""

    objection = _text(_l("Why the post should be shown again"), DETAILS_MAX)


class DeleteForm(SiteForm):
    """A one-button form: delete my post or comment."""
