"""Member-facing wording of every rule's refusals, and the one way views show them on a form."""

from datetime import date, datetime

from flask import flash
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from services.breach import BreachError
from services.complaints import ComplaintError
from services.marketing_delivery import MarketingError
from services.member_lookup import MemberDataError
from services.members import MembershipError
from services.photographers import ProfileError
from services.policy_drafts import PolicyDraftError
from services.posts import PostingError
from services.rules import RuleError
from services.shoots import ShootError
from services.staff import StaffError
from services.staff_audit import AuditError, ReviewError

MESSAGES = {
    "under_age": _l("Only people aged %(age)d or older can join USNAPER."),
    "consent_required": _l("Joining needs both required consents."),
    "too_short": _l("Use at least 10 characters."),
    "too_long": _l("Use at most 256 characters."),
    "too_common": _l("This password is too common. Choose a longer phrase only you would think of."),
    "invalid": _l("The e-mail address or password is not right."),
    "throttled": _l("Too many failed attempts. Please wait 15 minutes and try again."),
    "unverified": _l("Please verify your e-mail address first: open the link we sent you."),
    "token_expired": _l("This link has expired. Please ask for a new one."),
    "token_invalid": _l("This link is not valid. Please check that you copied all of it."),
    "token_used": _l("This link has already been used."),
    "wrong_password": _l("That password is not right."),
    "wrong_code": _l("That code is not right. Enter the 6 digits your app shows now, or a recovery code."),
    "code_throttled": _l("Too many wrong codes. Please wait 15 minutes, then sign in again."),
    "two_step_expired": _l("That sign-in took too long. Please enter your e-mail and password again."),
    "two_step_required": _l("Staff accounts must keep two-step sign-in on."),
    "two_step_on": _l("Two-step sign-in is already on."),
    "two_step_off": _l("Two-step sign-in is not on."),
    "two_step_not_pending": _l("Start the set-up again: scan a new code with your app."),
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

AUDIT_MESSAGES = {
    "reason_required": _l("Say why you need to open this member's data (at least %(min)d characters)."),
    "reason_too_long": _l("Use at most %(max)d characters."),
}

BREACH_MESSAGES = {
    "required": _l("Fill this in, in both languages."),
    "too_long": _l("Use at most %(max)d characters."),
    "bad_ids": _l("Write member ids as numbers separated by commas, spaces or lines."),
    "too_many_ids": _l("Name at most %(max)d members, or leave the list empty to notify everyone."),
    "no_recipients": _l("None of those ids is an active member."),
}

# The privacy office's refusals: staff roles, member look-ups and the monthly review.
OFFICE_MESSAGES = {
    "bad_role": _l("Choose a role from the list."),
    "no_member": _l("There is no active member with that e-mail address."),
    "not_staff": _l("That member holds no staff role."),
    "no_change": _l("That member already holds this role: nothing changed."),
    "last_officer": _l(
        "This is the only active privacy officer. Make another member privacy officer first: "
        "the site must never be left without one."
    ),
    "choose_fields": _l("Tick at least one item of personal data to open."),
    "dormant": _l(
        "This account is dormant: its personal data is stored apart and cannot be opened "
        "until the member signs in again."
    ),
    "month_not_over": _l("A month can be signed off once it has ended."),
    "note_too_long": _l("Use at most %(max)d characters."),
    "already_signed": _l("This month has already been signed off."),
}

# Privacy complaints and questions (SPEC §12): the public form and the officer's console.
COMPLAINT_MESSAGES = {
    "empty": _l("This cannot be empty."),
    "too_long": _l("Use at most %(most)d characters."),
    "bad_choice": _l("Choose from the list."),
    "email_needed": _l("Enter a valid e-mail address."),
    "rate_limited": _l(
        "You can send at most %(limit)d messages to the privacy office an hour. Please try again later."
    ),
    "closed": _l("This complaint is closed: it can be read but no longer changed."),
    "no_address": _l(
        "There is no address to show: the member has marked it as wrong, is dormant, or has left."
    ),
}

# Marketing campaigns and the one-click unsubscribe link (SPEC §10).
MARKETING_MESSAGES = {
    "empty": _l("This cannot be empty."),
    "too_long": _l("Use at most %(most)d characters."),
    "not_draft": _l("This campaign is being sent or has been sent: it cannot be changed or sent again."),
    "token_invalid": _l(
        "This unsubscribe link is not valid. Please check that you copied all of it, "
        "or change your consents in My info."
    ),
    "token_expired": _l("This unsubscribe link has expired. Please change your consents in My info."),
}

# Drafting and scheduling policy versions (SPEC §12).
POLICY_MESSAGES = {
    "bad_kind": _l("Choose the privacy policy or the terms of service."),
    "bad_version": _l("Write the version number as digits and dots, such as 1.1 or 2.0."),
    "bad_importance": _l("Choose from the list."),
    "empty": _l("This cannot be empty."),
    "too_long": _l("Use at most %(most)d characters."),
    "version_taken": _l("That version number is already used."),
    "version_not_newer": _l("Use a version number higher than %(newest)s."),
    "announced": _l("This version has been announced: it can no longer be changed or deleted."),
    "notice_too_short": _l(
        "This change must be announced at least %(days)d days ahead: "
        "the earliest effective date is %(earliest)s."
    ),
    "too_far": _l("Choose an effective date at most %(days)d days ahead."),
    "pending": _l(
        "Version %(version)s is already scheduled to take effect on %(date)s. "
        "Schedule this one after that date has passed."
    ),
    "not_after_current": _l(
        "Choose an effective date after %(date)s, when the version in force took effect."
    ),
}

# Each feature's refusals, worded once; the error's class says which table to read.
_TABLES = (
    (PostingError, POSTING_MESSAGES),
    (ProfileError, PROFILE_MESSAGES),
    (ShootError, SHOOT_MESSAGES),
    (AuditError, AUDIT_MESSAGES),
    ((StaffError, MemberDataError, ReviewError), OFFICE_MESSAGES),
    (BreachError, BREACH_MESSAGES),
    (PolicyDraftError, POLICY_MESSAGES),
    (ComplaintError, COMPLAINT_MESSAGES),
    (MarketingError, MARKETING_MESSAGES),
)


def refusal_message(error: RuleError) -> str:
    """The member-facing message for a refused post, moderation step, profile change or booking step."""
    table = next(messages for kind, messages in _TABLES if isinstance(error, kind))
    values = {}
    for key, value in error.values.items():
        if isinstance(value, datetime):
            value = format_datetime(value, "short")
        elif isinstance(value, date):
            value = format_date(value, "long")
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
