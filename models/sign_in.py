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
