"""The transactional outbox: e-mails written with the change that causes them, delivered later."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMessage(db.Model):
    """One e-mail to send: who, which template, in which language, with what context."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed')", name="status"),
        # The relay's scan: unfinished messages by when they are next due.
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320))
    # The member the mail is about, so withdrawal finds every mail, whatever address it went to.
    member_id: Mapped[int | None] = mapped_column(Integer, index=True)
    template: Mapped[str] = mapped_column(String(100))
    locale: Mapped[str] = mapped_column(String(8))
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by each claim; only the holder of the current token may finish the row, so a
    # worker that outlived its lease cannot overwrite the next owner's outcome.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    # When the relay last handed the row to a queue, so a backlog is not enqueued again and again.
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # For mail to someone who has left: the address and context are erased once it is sent.
    erase_after_send: Mapped[bool] = mapped_column(Boolean, default=False)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.template} {self.status}>"
