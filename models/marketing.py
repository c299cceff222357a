"""Marketing campaigns, who each one went to (advertising records), and breach notices."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow

CAMPAIGN_STATUSES = ("draft", "sending", "sent")
DELIVERY_STATUSES = ("held", "queued", "skipped")


class Campaign(db.Model):
    """A marketing e-mail written in Korean and English; sent only to consenting members."""

    __tablename__ = "campaigns"
    __table_args__ = (CheckConstraint("status IN ('draft', 'sending', 'sent')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_ko: Mapped[str] = mapped_column(String(150))
    subject_en: Mapped[str] = mapped_column(String(150))
    body_ko: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_by: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The fan-out's keyset cursor over member ids, so a killed fan-out resumes where it stopped.
    cursor: Mapped[int] = mapped_column(Integer, default=0)


class CampaignDelivery(db.Model):
    """One campaign to one member: held for the morning, queued to the outbox, or skipped.

    This is the display and advertising record the law asks for (kept 6 months).
    """

    __tablename__ = "campaign_deliveries"
    __table_args__ = (
        UniqueConstraint("campaign_id", "member_id", name="uq_campaign_deliveries_campaign_member"),
        CheckConstraint("status IN ('held', 'queued', 'skipped')", name="status"),
        Index("ix_campaign_deliveries_status_send_after", "status", "send_after"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(16))
    send_after: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retain_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class BreachNotice(db.Model):
    """A breach notification the privacy officer e-mailed to all members or to chosen ids."""

    __tablename__ = "breach_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_ko: Mapped[str] = mapped_column(String(150))
    subject_en: Mapped[str] = mapped_column(String(150))
    body_ko: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    # None: every active member; else the chosen member ids.
    member_ids: Mapped[list | None] = mapped_column(JSON)
    sent_by: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
