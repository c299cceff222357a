"""Withdrawn addresses, as keyed hashes only: enough to refuse join-withdraw-join abuse."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow


class WithdrawnAddress(db.Model):
    """One withdrawal: a keyed hash of the address (never the address), kept for the re-join window."""

    __tablename__ = "withdrawn_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_hash: Mapped[str] = mapped_column(String(64), index=True)
    withdrawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    forget_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
