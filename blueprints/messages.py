"""Member-facing wording of every rule's refusals, and the one way views show them on a form."""

from datetime import datetime

from flask import flash
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from services.members import MembershipError
from services.photographers import ProfileError
from services.posts import PostingError
from services.rules import RuleError
from services.shoots import ShootError

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


POSTING_MESSAGES = {
    "suspended": _l("You cannot post or comment until %(until)s. Reading and booking are still open to you."),
    "rate_limited": _l("You can write at most %(limit)d of these an hour. Please try again later."),
    "empty": _l("This cannot be empty."),
    "too_long": _l("Use at most %(most)d characters."),
    "closed": _l("Comments are closed while this post is under review."),
    "not_yours": _l("Only the author can do that."),
    "bad_reason": _l("Choose a reason from the list."),
    "own_content": _l("You cannot report your own writing."),
    "already_reported": _l("You have already reported this. A moderator will look at it."),
    "no_measure": _l("There is no temporary measure on this to object to."),
    "already_objected": _l("Your objection is already with the moderators."),
    "mask_not_found": _l("None of those words appear in the text: copy them exactly as written."),
    "bad_days": _l("Choose a period from the list."),
    "staff_member": _l("Staff accounts cannot be suspended here."),
}


PROFILE_MESSAGES = {
    "empty": _l("This cannot be empty."),
    "too_long": _l("Use at most %(most)d characters."),
    "price_range": _l("Enter a price from %(low)s to %(high)s won."),
    "choose_one": _l("Choose at least one."),
    "bad_choice": _l("Choose from the list."),
    "past_day": _l("That day has passed."),
    "far_day": _l("Block days at most %(days)d days ahead."),
    "portfolio_full": _l("A portfolio holds at most %(most)d photos: delete one first."),
    "not_image": _l("That file is not a JPEG, PNG or WebP photo we can read."),
    "too_large": _l("Photos can be at most %(most)d MB."),
    "too_many_pixels": _l("That photo has too many pixels. Please send a smaller one."),
}


SHOOT_MESSAGES = {
    "bad_choice": _l("Choose from the list."),
    "future_day": _l("Choose a day after today."),
    "far_day": _l("Choose a day at most %(days)d days ahead."),
    "people_range": _l("Enter from 1 to %(most)d people."),
    "budget_range": _l("Enter an amount from 1 to %(high)s won."),
    "too_long": _l("Use at most %(most)d characters."),
    "not_yours": _l("Only the customer can do that."),
    "request_closed": _l("This request is already booked or closed."),
    "choose_one": _l("Choose at least one photographer."),
    "ask_closed": _l("This ask has been answered, has expired, or its request is closed."),
    "consent_needed": _l(
        "Tick the consent to exchange contact details: a booking cannot be made without it."
    ),
    "date_taken": _l("The photographer has just been booked for that day by someone else."),
    "not_found": _l("Not found."),
    "illegal_step": _l("This booking has already ended, so that cannot be done."),
    "reason_needed": _l("This cannot be empty."),
    "too_early": _l("A shoot can be marked as done from its day on."),
    "not_completed": _l("A shoot can be reviewed once it is done."),
    "already_reviewed": _l("You have already reviewed this shoot."),
    "stars_range": _l("Choose from 1 to 5 stars."),
    "already_replied": _l("You have already replied to this review."),
}

# Each feature's refusals, worded once; the error's class says which table to read.
_TABLES = ((PostingError, POSTING_MESSAGES), (ProfileError, PROFILE_MESSAGES), (ShootError, SHOOT_MESSAGES))


def refusal_message(error: RuleError) -> str:
    """The member-facing message for a refused post, moderation step, profile change or booking step."""
    table = next(messages for kind, messages in _TABLES if isinstance(error, kind))
    values = {}
    for key, value in error.values.items():
        if isinstance(value, datetime):
            value = format_datetime(value, "short")
        elif isinstance(value, int) and key in ("low", "high"):
            value = f"{value:,}"
        values[key] = value
    message = str(table[error.code])
    return message % values if "%(" in message else message


def show_refusal(form, error: RuleError) -> None:
    """Show a refusal on the form field it concerns, or above the form."""
    target = getattr(form, error.field, None) if error.field else None
    if target is not None:
        target.errors = [*target.errors, refusal_message(error)]
    else:
        form.form_errors.append(refusal_message(error))


def flash_form_errors(form) -> None:
    """Flash the first problem of each field, for forms posted from a page that does not show them."""
    for errors in form.errors.values():
        flash(errors[0], "error")
