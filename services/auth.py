"""Signing in and resetting a password: no enumeration, throttled guessing (SPEC §13)."""

import logging
import secrets
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import bindparam, select

from extensions import db
from models.member import Member
from models.sign_in import MemberSession, SignInEvent
from services import reads, throttle
from services.clock import now_utc
from services.dormancy import find_dormant, restore
from services.keys import keyed_hash
from services.link_tokens import LinkTokenError, make_token, member_from_token
from services.members import MembershipError, email_key, find_member_by_email, usable_address
from services.outbox import queue_email
from services.passwords import check_password, hash_password, needs_rehash, password_problem
from services.rules import valid_id
from services.security_log import security_event
from services.sessions import end_all_sessions, key_hash, open_session

RESET_SALT = "password-reset"
RESET_MAX_AGE = timedelta(hours=1)
THROTTLE_WINDOW = timedelta(minutes=15)


@lru_cache(maxsize=4)
def _unknown_member_hash(cost: int) -> str:
    """Checked when the address is unknown, so both paths cost one bcrypt check at the same cost."""
    return hash_password(secrets.token_urlsafe(16))


def authenticate(email: str, password: str, address: str) -> Member:
    """The member these credentials belong to, or MembershipError('invalid' | 'throttled' | 'unverified').

    On success nothing is committed yet: begin_session counts the sign-in and opens its
    session in the same transaction. A member with two-step sign-in gets
    MembershipError('second_step') carrying their id (and 'dormant' after it, for a
    dormant account): the sign-in is finished by check_second_step, then begin_session.
    """
    cfg = current_app.config
    account = email_key(email)
    if throttle.any_blocked(
        [
            ("account", account, cfg["SIGNIN_MAX_FAILURES_PER_ACCOUNT"]),
            ("address", address, cfg["SIGNIN_MAX_FAILURES_PER_ADDRESS"]),
        ]
    ):
        security_event("signin_failure", "throttled", level=logging.WARNING)
        raise MembershipError("throttled")
    member = find_member_by_email(email) or find_dormant(email)
    stored = member.password_hash if member else _unknown_member_hash(cfg["BCRYPT_COST"])
    matches = check_password(password, stored)
    if member is None or not matches:
        throttle.record_failure("account", account, THROTTLE_WINDOW)
        throttle.record_failure("address", address, THROTTLE_WINDOW)
        db.session.commit()
        security_event("signin_failure", "invalid", member.id if member else None, logging.WARNING)
        raise MembershipError("invalid")
    if member.status == "pending":
        security_event("signin_failure", "unverified", member.id, logging.WARNING)
        raise MembershipError("unverified")
    throttle.clear("account", account)
    if needs_rehash(member.password_hash):
        member.password_hash = hash_password(password)
    if member.uses_two_step:
        db.session.commit()
        security_event("signin_pending", "second_step", member.id)
        error = MembershipError("second_step")
        error.member_id, error.then = member.id, member.status  # the code step may go on for this member only
        raise error
    if member.status == "dormant":
        db.session.commit()
        security_event("signin_pending", "dormant", member.id)
        error = MembershipError("dormant")
        error.member_id = member.id  # the restore step may go on for this member only
        raise error
    return member


def begin_session(member: Member, address: str, user_agent: str, two_step: bool, outcome: str = "ok") -> str:
    """Count a finished sign-in (its row in My info, the activity clock) and open its session; the key.

    One transaction for all of it, with whatever the sign-in checks left pending: a
    sign-in is counted exactly when its session exists.
    """
    db.session.add(SignInEvent(member_id=member.id, ip_hash=keyed_hash(address, "access-log-ip")))
    member.last_active_at = now_utc()
    member.dormancy_notice_at = None  # active again: a future dormancy gets its own notice
    key = open_session(member, user_agent, two_step)
    member_id = member.id  # the commit expires the row; the log line needs no reload
    db.session.commit()
    security_event("signin_success", outcome, member_id)
    return key


def record_malformed_sign_in() -> None:
    """Log a sign-in refused before any check (a malformed address, a missing field) as a failure."""
    security_event("signin_failure", "malformed", level=logging.WARNING)


def request_password_reset(email: str) -> None:
    """E-mail a reset link when the address belongs to a member; say nothing either way.

    At most RESET_MAILS_PER_HOUR links go to one address in an hour, so the form
    cannot be used to flood someone's mailbox.
    """
    member = find_member_by_email(email)
    if member is None or not usable_address(member):
        return
    limit = current_app.config["RESET_MAILS_PER_HOUR"]
    if throttle.is_blocked("reset-mail", member.email_key, limit):
        return
    throttle.record_failure("reset-mail", member.email_key, timedelta(hours=1))
    # The token carries a piece of the current hash: it stops working once the password changes.
    token = make_token(RESET_SALT, {"m": member.id, "h": member.password_hash[-16:]})
    queue_email(member.email, "password_reset", member.language, {"token": token}, member_id=member.id)
    db.session.commit()


def reset_password(token: str, new_password: str) -> Member:
    """Set a new password from a reset link (once, within an hour) and end every other session."""
    try:
        member, data = member_from_token(RESET_SALT, token, RESET_MAX_AGE)
    except LinkTokenError as error:
        security_event("password_reset", error.code, level=logging.WARNING)
        raise MembershipError(error.code) from None
    if member.password_hash[-16:] != data.get("h"):
        security_event("password_reset", "token_used", member.id, logging.WARNING)
        raise MembershipError("token_used")
    problem = password_problem(new_password)
    if problem:
        raise MembershipError(problem, "password")
    member.password_hash = hash_password(new_password)
    if member.status == "pending":  # the link proved the address too
        member.status, member.email_verified_at = "active", now_utc()
    end_all_sessions(member)
    security_event("password_reset", "ok", member.id)
    return member


def end_every_session(member: Member) -> None:
    """Sign the member out everywhere: every session cookie issued to them so far stops working."""
    end_all_sessions(member, "everywhere")


def sign_in_expired(signed_in_at: datetime | None, seen_at: datetime | None, now: datetime) -> bool:
    """Whether a sign-in has outlived PERMANENT_SESSION_LIFETIME or sat idle for SESSION_IDLE_TIMEOUT."""
    cfg = current_app.config
    if signed_in_at is None:  # not a sign-in this site made (e.g. an old remember-me cookie)
        return True
    idle_since = seen_at or signed_in_at
    return (
        now - signed_in_at >= cfg["PERMANENT_SESSION_LIFETIME"]
        or now - idle_since >= cfg["SESSION_IDLE_TIMEOUT"]
    )


# Every signed-in request runs this: one plain read of both rows, no ORM query (services.reads).
_SIGNED_IN = (
    select(*reads.columns_of(Member, "m_"), *reads.columns_of(MemberSession, "s_"))
    .join(MemberSession, MemberSession.member_id == Member.id)
    .where(Member.id == bindparam("member_id"), MemberSession.key_hash == bindparam("key_hash"))
)


def load_signed_in(session_id: str, key: str | None) -> tuple[Member, MemberSession] | None:
    """The member and session record a cookie names, if both still hold (one read per request).

    session_id is Flask-Login's "id:version"; key names the server-side session record.
    The version must match and the member be active, and the record must still exist.
    """
    member_id, _, version = session_id.partition(":")
    if not member_id.isdigit() or not version.isdigit() or not key or not valid_id(int(member_id)):
        return None
    found = reads.read(_SIGNED_IN, {"member_id": int(member_id), "key_hash": key_hash(key)}).first()
    if found is None or found.m_session_version != int(version) or found.m_status != "active":
        return None
    return reads.adopt(Member, found, "m_"), reads.adopt(MemberSession, found, "s_")


def restore_dormant(member_id: int) -> Member:
    """Restore the dormant account whose password was just checked (begin_session then counts the sign-in)."""
    member = db.session.get(Member, member_id)
    if member is None or member.status != "dormant":
        raise MembershipError("not_dormant")
    member = restore(member)
    if member.status != "active":
        raise MembershipError("not_dormant")
    return member
