"""Reports, temporary measures and the moderators' action log (SPEC §9)."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow

REPORT_REASONS = ("spam", "defamation", "privacy", "impersonation", "rights", "off_topic")
TARGET_KINDS = ("post", "comment")


class Report(db.Model):
    """One member's report of one post or comment; a member reports a thing once."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("reporter_id", "target_kind", "target_id", name="one_report_each"),
        CheckConstraint("target_kind IN ('post', 'comment')", name="target_kind"),
        CheckConstraint("status IN ('open', 'dismissed', 'upheld')", name="status"),
        Index("ix_reports_target", "target_kind", "target_id"),
        Index("ix_reports_open", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TemporaryMeasure(db.Model):
    """A post or comment blinded for up to 30 days on a defamation or privacy claim."""

    __tablename__ = "temporary_measures"
    __table_args__ = (
        CheckConstraint("target_kind IN ('post', 'comment')", name="target_kind"),
        Index("ix_temporary_measures_open", "decided_at", "ends_at"),
        Index("ix_temporary_measures_target", "target_kind", "target_id"),
        Index("ix_temporary_measures_claimant", "claimant_id"),
        # At most one undecided measure per post or comment, whatever claims race each other.
        Index(
            "uq_temporary_measures_open",
            "target_kind",
            "target_id",
            unique=True,
            sqlite_where=text("decided_at IS NULL"),
            postgresql_where=text("decided_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    claimant_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    objection: Mapped[str | None] = mapped_column(Text)
    objected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision: Mapped[str | None] = mapped_column(String(16))  # restored or deleted
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ModerationAction(db.Model):
    """One logged moderation step: who did what to which content, why, and when."""

    __tablename__ = "moderation_actions"
    __table_args__ = (
        Index("ix_moderation_actions_target", "target_kind", "target_id"),
        # Withdrawal unlinks a member's rows; ON DELETE SET NULL looks them up too.
        Index("ix_moderation_actions_subject", "subject_id"),
        Index("ix_moderation_actions_moderator", "moderator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL for the automatic measures (spam hold, report threshold, a claim's temporary measure).
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(24))
    target_kind: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int] = mapped_column(Integer)
    # Whose content or account it was; cleared when they withdraw.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    # Masks keep the text before and after; other actions keep nothing of the content.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
