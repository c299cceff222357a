"""The re-join guard: withdrawn addresses remembered only as keyed hashes (SPEC §5)."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, select

from extensions import db
from models.withdrawal import WithdrawnAddress
from services.addresses import email_key
from services.clock import now_utc
from services.keys import keyed_hash
from services.retention_store import keep


class RejoinRefused(Exception):
    """This address left and came back too often within the window."""


def address_hash(email: str) -> str:
    """The keyed hash an address is remembered by after its member has left."""
    return keyed_hash(email_key(email), "withdrawn-address", length=64)


def remember_withdrawal(email: str, now: datetime) -> None:
    """Keep the address's hash for the re-join window (the caller commits)."""
    window = timedelta(days=current_app.config["REJOIN_WINDOW_DAYS"])
    db.session.add(WithdrawnAddress(email_hash=address_hash(email), withdrawn_at=now, forget_at=now + window))


def check_rejoin(email: str, now: datetime | None = None) -> None:
    """Refuse a join that repeats withdraw-and-rejoin too often, keeping an illegal-use record of it."""
    cfg = current_app.config
    now = now or now_utc()
    hashed = address_hash(email)
    recent = db.session.scalar(
        select(func.count())
        .select_from(WithdrawnAddress)
        .where(
            WithdrawnAddress.email_hash == hashed,
            WithdrawnAddress.withdrawn_at > now - timedelta(days=cfg["REJOIN_WINDOW_DAYS"]),
        )
    )
    if recent >= cfg["REJOIN_MAX_WITHDRAWALS"]:
        keep("illegal_use", hashed, {"reason": "repeated_rejoin", "withdrawals": recent}, now=now)
        db.session.commit()
        raise RejoinRefused()


def forget_old_withdrawals(now: datetime | None = None) -> int:
    """Drop the address hashes whose re-join window has passed."""
    result = db.session.execute(
        delete(WithdrawnAddress).where(WithdrawnAddress.forget_at <= (now or now_utc()))
    )
    db.session.commit()
    return result.rowcount
