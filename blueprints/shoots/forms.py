"""Forms of shoot requests, answers and bookings."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from blueprints.fields import WonField
from blueprints.forms import SiteForm
from services.booking_states import REASON_MAX, REVIEW_MAX
from services.regions import REGIONS
from services.shoots import MESSAGE_MAX, NOTES_MAX
from services.specialties import SPECIALTIES

TIME_WINDOW_LABELS = {
    "morning": _l("Morning"),
    "afternoon": _l("Afternoon"),
    "evening": _l("Evening"),
    "flexible": _l("Any time"),
}


class RequestForm(SiteForm):
    """What the customer wants shot."""

    region = SelectField(_l("Region"), choices=[SelectChoice(code, label) for code, label in REGIONS])
    shoot_date = DateField(_l("Day of the shoot"), validators=[InputRequired(message=_l("Enter a date."))])
    time_window = SelectField(
        _l("Time of day"), choices=[SelectChoice(code, label) for code, label in TIME_WINDOW_LABELS.items()]
    )
    shoot_type = SelectField(
        _l("Kind of shoot"), choices=[SelectChoice(code, label) for code, label in SPECIALTIES]
    )
    people = IntegerField(_l("Number of people"), validators=[InputRequired(message=_l("Enter a number."))])
    budget = WonField(
        _l("Budget (KRW)"), validators=[DataRequired(message=_l("Enter a price in won, digits only."))]
    )
    notes = TextAreaField(
        _l("Notes for the photographer"),
        validators=[
            Optional(),
            Length(max=NOTES_MAX, message=_l("Use at most %(most)d characters.", most=NOTES_MAX)),
        ],
    )


class AskForm(SiteForm):
    """Which ranked photographers to ask (checkbox values are profile ids, read by the view)."""


class AnswerForm(SiteForm):
    """The photographer's answer to an ask."""

    decision = RadioField(
        _l("Your answer"),
        choices=[SelectChoice("accept", _l("Accept")), SelectChoice("decline", _l("Decline"))],
        validators=[DataRequired(message=_l("Choose to accept or decline."))],
    )
    price = WonField(_l("Your price (KRW), if not your starting price"), validators=[Optional()])
    message = TextAreaField(
        _l("Message to the customer"),
        validators=[
            Optional(),
            Length(max=MESSAGE_MAX, message=_l("Use at most %(most)d characters.", most=MESSAGE_MAX)),
        ],
    )
    consent = BooleanField(
        _l(
            "If the customer confirms, I agree that my name and contact details "
            "are given to them for this shoot"
        )
    )


class ConfirmForm(SiteForm):
    """The customer's confirmation of an accepted ask."""

    consent = BooleanField(
        _l("I agree that my name and contact details are given to this photographer for this shoot")
    )


class CancelForm(SiteForm):
    """Why the booking is cancelled (the other side reads it)."""

    reason = TextAreaField(
        _l("Why you cancel"),
        validators=[
            DataRequired(message=_l("Say why you cancel.")),
            Length(max=REASON_MAX, message=_l("Use at most %(most)d characters.", most=REASON_MAX)),
        ],
    )


class ButtonForm(SiteForm):
    """A one-button form (the shoot is done)."""


class ReviewForm(SiteForm):
    """The customer's stars and words."""

    stars = SelectField(
        _l("Stars"),
        choices=[SelectChoice(str(n), "★" * n) for n in range(5, 0, -1)],
        validators=[DataRequired(message=_l("Choose from 1 to 5 stars."))],
    )
    text = TextAreaField(
        _l("Your review"),
        validators=[
            Optional(),
            Length(max=REVIEW_MAX, message=_l("Use at most %(most)d characters.", most=REVIEW_MAX)),
        ],
    )


class ReplyForm(SiteForm):
    """The photographer's one reply to a review."""

    text = TextAreaField(
        _l("Your reply"),
        validators=[
            DataRequired(message=_l("This cannot be empty.")),
            Length(max=REVIEW_MAX, message=_l("Use at most %(most)d characters.", most=REVIEW_MAX)),
        ],
    )
