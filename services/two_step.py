"""Two-step sign-in: a time-based code from an authenticator app after the password (ASVS 6.3.2, 6.5).

A member turns it on in My info; staff must (STAFF_TWO_STEP_REQUIRED), as they open
other people's data. The secret is generated here from the CSPRNG, encrypted at rest
and never shown again after enrolling. A code is good for one 30-second step (one
step of clock drift either way), and only once: the last accepted step is kept.
Recovery codes stand in for a lost phone, each once.
"""

import hmac
import logging
import secrets
from datetime import datetime, timedelta

import pyotp
from flask import current_app
from sqlalchemy import delete, select

from extensions import db
from models.member import Member
from models.sign_in import RecoveryCode
from services import throttle
from services.clock import now_utc
from services.field_crypto import decrypt_field, encrypt_field
from services.members import MembershipError
from services.passwords import check_password, hash_password
from services.security_log import security_event

ISSUER = "USNAPER"
FIELD_PURPOSE = "member.totp"  # binds the ciphertext to this column (services/field_crypto.py)
STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODES = 10
# Without look-alikes (0/O, 1/I/L): codes are read off paper and typed.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LOOKUP_LENGTH, SECRET_LENGTH = 4, 12  # 12 characters of 31: about 59 bits behind a bcrypt hash
FAILURE_WINDOW = timedelta(minutes=15)


def _secret(member: Member) -> str:
    return decrypt_field(member.totp_secret_encrypted, FIELD_PURPOSE)


def start_enrolment(member: Member) -> str:
    """Give the member a new, not yet active, secret and return it (for the QR code and typing in)."""
    if member.uses_two_step:
        raise MembershipError("two_step_on")
    secret = pyotp.random_base32(32)  # 160 bits, as RFC 4226 recommends
    member.totp_secret_encrypted = encrypt_field(secret, FIELD_PURPOSE)
    member.totp_last_step = None
    db.session.commit()
    return secret


def enable_with_key(member: Member, secret: str) -> None:
    """Turn two-step on with a given key, without a first code (the development demo's staff only)."""
    member.totp_secret_encrypted = encrypt_field(secret, FIELD_PURPOSE)
    member.two_step_enabled_at, member.totp_last_step = now_utc(), None
    db.session.commit()


def pending_secret(member: Member) -> str | None:
    """The secret being enrolled, or None when none is pending (or two-step is already on)."""
    if member.uses_two_step or member.totp_secret_encrypted is None:
        return None
    return _secret(member)


def provisioning_uri(member: Member, secret: str) -> str:
    """The otpauth:// address the QR code carries; it names the site and a number, not the member."""
    return pyotp.TOTP(secret).provisioning_uri(name=f"{ISSUER} #{member.id}", issuer_name=ISSUER)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (within the allowed drift) whose code this is, or None."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _accept_code(member: Member, code: str, now: datetime) -> bool:
    """Check an app code; an accepted one's step is spent, so the same code cannot be used twice."""
    step = _matching_step(_secret(member), code, now)
    if step is None or (member.totp_last_step is not None and step <= member.totp_last_step):
        return False
    member.totp_last_step = step
    return True


def confirm_enrolment(member: Member, password: str, code: str, now: datetime | None = None) -> list[str]:
    """Turn two-step on once the member proves the app works; returns the recovery codes to show once."""
    now = now or now_utc()
    if not check_password(password, member.password_hash):
        raise MembershipError("wrong_password", "password")
    if member.uses_two_step or member.totp_secret_encrypted is None:
        raise MembershipError("two_step_not_pending")
    if not _accept_code(member, code, now):
        raise MembershipError("wrong_code", "code")
    member.two_step_enabled_at = now
    codes = _new_recovery_codes(member)
    db.session.commit()
    security_event("two_step", "enabled", member.id)
    return codes


def turn_off(member: Member, password: str, code: str, now: datetime | None = None) -> None:
    """Turn two-step off (password and a current code, or a recovery code); staff may not."""
    if member.staff_role is not None and current_app.config["STAFF_TWO_STEP_REQUIRED"]:
        raise MembershipError("two_step_required")
    if not check_password(password, member.password_hash):
        raise MembershipError("wrong_password", "password")
    if not member.uses_two_step:
        raise MembershipError("two_step_off")
    if not (_accept_code(member, code, now or now_utc()) or _use_recovery_code(member, code)):
        raise MembershipError("wrong_code", "code")
    member.totp_secret_encrypted = member.two_step_enabled_at = member.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    db.session.commit()
    security_event("two_step", "disabled", member.id)


def replace_recovery_codes(member: Member, password: str) -> list[str]:
    """A fresh set of recovery codes (the old ones stop working); returns them to show once."""
    if not check_password(password, member.password_hash):
        raise MembershipError("wrong_password", "password")
    if not member.uses_two_step:
        raise MembershipError("two_step_off")
    codes = _new_recovery_codes(member)
    db.session.commit()
    security_event("two_step", "new_recovery_codes", member.id)
    return codes


def recovery_codes_left(member: Member) -> int:
    """How many unused recovery codes the member has."""
    return len(db.session.scalars(select(RecoveryCode.id).where(RecoveryCode.member_id == member.id)).all())


def _new_recovery_codes(member: Member) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        lookup = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(LOOKUP_LENGTH))
        rest = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(SECRET_LENGTH))
        db.session.add(RecoveryCode(member_id=member.id, lookup=lookup, code_hash=hash_password(rest)))
        codes.append(f"{lookup}-{rest[:4]}-{rest[4:8]}-{rest[8:]}")
    return codes


def _use_recovery_code(member: Member, typed: str) -> bool:
    """Spend a recovery code if it is one of the member's unused ones."""
    code = "".join(ch for ch in typed.upper() if ch.isalnum())
    if len(code) != LOOKUP_LENGTH + SECRET_LENGTH:
        return False
    lookup, rest = code[:LOOKUP_LENGTH], code[LOOKUP_LENGTH:]
    for row in db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.member_id == member.id, RecoveryCode.lookup == lookup)
    ):
        if check_password(rest, row.code_hash):
            db.session.delete(row)
            return True
    return False


def check_second_step(member_id: int, code: str, now: datetime | None = None) -> Member:
    """The member whose password was just checked, once their code is right; MembershipError otherwise.

    After TWO_STEP_MAX_FAILURES wrong codes in 15 minutes the account takes no more
    codes for the rest of the window, and the password must be given again.
    """
    now = now or now_utc()
    member = db.session.get(Member, member_id)
    if member is None or not member.uses_two_step:
        raise MembershipError("two_step_expired")
    account = str(member.id)
    if throttle.is_blocked("two-step", account, current_app.config["TWO_STEP_MAX_FAILURES"], now):
        security_event("signin_failure", "code_throttled", member.id, logging.WARNING)
        raise MembershipError("code_throttled")
    recovered = False
    if not _accept_code(member, code, now):
        recovered = _use_recovery_code(member, code)
        if not recovered:
            db.session.rollback()
            throttle.record_failure("two-step", account, FAILURE_WINDOW, now)
            security_event("signin_failure", "wrong_code", member.id, logging.WARNING)
            raise MembershipError("wrong_code", "code")
    throttle.clear("two-step", account)
    db.session.commit()
    security_event("two_step", "recovery_code" if recovered else "code", member.id)
    return member


def current_code(member: Member, now: datetime | None = None) -> str:
    """The code the member's app shows now (for the development demo and the tests only)."""
    secret = _secret(member)
    return pyotp.TOTP(secret).at(int((now or now_utc()).timestamp()))
