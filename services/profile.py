"""Correcting my data: edits, flagging a field as wrong, password and language (SPEC §4)."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app

from extensions import db
from models.member import Member
from services.addresses import email_key
from services.age import is_old_enough
from services.bookings import tell_of_corrections
from services.dormancy import find_dormant
from services.field_crypto import decrypt_field, encrypt_field
from services.link_tokens import LinkTokenError, make_token, member_from_token
from services.members import MembershipError, find_member_by_email
from services.my_info import current_consents
from services.outbox import queue_email
from services.passwords import check_password, hash_password, password_problem
from services.regions import REGION_CODES
from services.security_log import security_event
from services.sessions import drop_sessions

# The fields a member can flag as wrong, and how each is read.
CORRECTABLE = ("email", "name", "birth_date", "phone", "preferred_region")


def flag_as_wrong(member: Member, field: str) -> None:
    """Freeze a field until the member corrects it."""
    if field not in CORRECTABLE:
        raise ValueError(f"{field!r} cannot be flagged")
    flagged = list(member.corrections_requested or [])
    if field not in flagged:
        member.corrections_requested = [*flagged, field]
        db.session.commit()


def _corrected(member: Member, *fields: str) -> None:
    member.corrections_requested = [f for f in (member.corrections_requested or []) if f not in fields]


@dataclass
class ProfileChange:
    """What the profile form sends."""

    name: str
    birth_date: date
    language: str
    phone: str | None
    preferred_region: str | None


def update_profile(member: Member, change: ProfileChange) -> None:
    """Save profile edits; optional items need their consent; edited fields are no longer frozen."""
    if not is_old_enough(change.birth_date):
        raise MembershipError("under_age", "birth_date")
    if change.language not in current_app.config["LANGUAGES"]:
        raise MembershipError("bad_language", "language")
    optional_given = current_consents(member)["optional_profile"]
    if (change.phone or change.preferred_region) and not optional_given:
        raise MembershipError("optional_consent_needed")
    if change.preferred_region and change.preferred_region not in REGION_CODES:
        raise MembershipError("bad_region", "preferred_region")
    before = {
        "name": member.name,
        "phone": member.phone_encrypted and decrypt_field(member.phone_encrypted, "member.phone"),
    }
    member.name = change.name.strip()
    member.birth_date = change.birth_date
    member.language = change.language
    member.phone_encrypted = encrypt_field(change.phone, "member.phone") if change.phone else None
    member.preferred_region = change.preferred_region or None
    _corrected(member, "name", "birth_date", "phone", "preferred_region")
    after = {"name": member.name, "phone": change.phone or None}
    tell_of_corrections(member, {field for field in before if before[field] != after[field]})
    db.session.commit()


def change_password(member: Member, current: str, new: str, keep_key: str | None = None) -> None:
    """Replace the password after checking the current one; every other session ends.

    keep_key names the session that asked: it goes on (under the new session version).
    """
    if not check_password(current, member.password_hash):
        security_event("password_change", "wrong_password", member.id, logging.WARNING)
        raise MembershipError("wrong_password", "current_password")
    problem = password_problem(new)
    if problem:
        raise MembershipError(problem, "password")
    member.password_hash = hash_password(new)
    member.session_version += 1
    drop_sessions(member.id, keep_key)
    db.session.commit()
    security_event("password_change", "ok", member.id)


EMAIL_CHANGE_SALT = "email-change"
EMAIL_CHANGE_MAX_AGE = timedelta(hours=24)


def request_email_change(member: Member, new_email: str, password: str) -> None:
    """Send a confirmation link to the new address; an address already in use gets nothing.

    The password is asked again first: the address is how a password is reset, so a
    borrowed session must not be able to move it (ASVS 7.5.1). The member sees the same
    answer for a free and a taken address, so the form reveals no one's address.
    """
    if not check_password(password, member.password_hash):
        security_event("email_change", "wrong_password", member.id, logging.WARNING)
        raise MembershipError("wrong_password", "password")
    if find_member_by_email(new_email) is not None or find_dormant(new_email) is not None:
        return
    token = make_token(
        EMAIL_CHANGE_SALT, {"m": member.id, "e": email_key(new_email), "was": member.email_key}
    )
    queue_email(new_email.strip(), "email_change", member.language, {"token": token}, member_id=member.id)
    db.session.commit()


def confirm_email_change(token: str) -> Member:
    """Switch to the new address a confirmation link names (once, within a day)."""
    try:
        member, data = member_from_token(EMAIL_CHANGE_SALT, token, EMAIL_CHANGE_MAX_AGE)
    except LinkTokenError as error:
        raise MembershipError(error.code) from None
    if member.email_key != data.get("was"):
        raise MembershipError("token_used")
    if find_member_by_email(data["e"]) is not None or find_dormant(data["e"]) is not None:
        raise MembershipError("token_used")
    tell_of_corrections(member, {"email"})
    member.email = member.email_key = data["e"]
    _corrected(member, "email")
    db.session.commit()
    security_event("email_change", "ok", member.id)
    return member
