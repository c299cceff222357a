"""The consent ledger: every grant and withdrawal, appended and never edited (SPEC §2)."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow

CONSENT_ITEMS = (
    "privacy_notice",
    "terms",
    "optional_profile",
    "marketing_email",
    "marketing_sms",
    "marketing_night",
)
REQUIRED_CONSENTS = ("privacy_notice", "terms")


class ConsentEvent(db.Model):
    """One consent decision: who, which item, granted or withdrawn, under which policy, when, how."""

    __tablename__ = "consent_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    item: Mapped[str] = mapped_column(String(32))
    granted: Mapped[bool] = mapped_column(Boolean)
    policy_version: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@event.listens_for(ConsentEvent, "before_update")
def _ledger_is_append_only(mapper, connection, target) -> None:
    raise RuntimeError("the consent ledger is append-only: record a new event instead")
