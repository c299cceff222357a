"""Visitor-facing wording of the membership rules' refusals, shared by the auth and My info pages."""

from flask_babel import lazy_gettext as _l

from services.members import MembershipError

MESSAGES = {
    "under_age": _l("Only people aged %(age)d or older can join USNAPER."),
    "consent_required": _l("Joining needs both required consents."),
    "too_short": _l("Use at least 10 characters."),
    "too_long": _l("Use at most 256 characters."),
    "invalid": _l("The e-mail address or password is not right."),
    "throttled": _l("Too many failed attempts. Please wait 15 minutes and try again."),
    "unverified": _l("Please verify your e-mail address first: open the link we sent you."),
    "token_expired": _l("This link has expired. Please ask for a new one."),
    "token_invalid": _l("This link is not valid. Please check that you copied all of it."),
    "token_used": _l("This link has already been used."),
    "rejoin_refused": _l(
        "This address has left and joined again too often recently, so it cannot join now. "
        "Please contact the privacy officer if you think this is a mistake."
    ),
}


def message_for(error: MembershipError, **values) -> str:
    """The visitor-facing message for a refused request."""
    return str(MESSAGES[error.code]) % values if values else str(MESSAGES[error.code])
