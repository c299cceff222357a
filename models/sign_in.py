"""Recent sign-ins, shown to the member in My info."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow


class SignInEvent(db.Model):
    """One successful sign-in: when, and a keyed hash of the address it came from."""

    __tablename__ = "sign_in_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip_hash: Mapped[str] = mapped_column(String(32))


class MemberSession(db.Model):
    """One signed-in browser: the member sees it in My info and can end it (ASVS 7.5.2).

    The cookie carries a random key; only its SHA-256 is stored, so a copy of this
    table signs nobody in.
    """

    __tablename__ = "member_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A coarse label ("Chrome, Windows") so the member can tell their devices apart; never the raw header.
    device: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When this session passed the two-step code (None: the password alone).
    two_step_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(db.Model):
    """A one-time code that stands in for the authenticator app once (lost phone).

    The code's first characters find the row; the rest is checked against a bcrypt hash.
    """

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    lookup: Mapped[str] = mapped_column(String(8))
    code_hash: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
