"""Privacy complaints and questions sent from the site, and the privacy officer's answers."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow

COMPLAINT_KINDS = ("complaint", "question")
COMPLAINT_STATUSES = ("open", "answered", "closed")


class Complaint(db.Model):
    """A complaint or question: from a member, or from a visitor who gave an address to answer.

    Kept 3 years after closing (consumer complaint records): retain_until is set
    when it closes, and the purge deletes it then.
    """

    __tablename__ = "complaints"
    __table_args__ = (
        CheckConstraint("kind IN ('complaint', 'question')", name="kind"),
        CheckConstraint("status IN ('open', 'answered', 'closed')", name="status"),
        Index("ix_complaints_status_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    locale: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retain_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
