"""The privacy office's records: staff access to personal data, role changes, the monthly review."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow


class StaffAccess(db.Model):
    """One time a staff member opened a member's personal data: who, whose, which fields, why, when.

    Ids are plain integers, not foreign keys: the row must outlive both accounts
    for its two years (the safeguard standard), linking to nobody once they leave.
    """

    __tablename__ = "staff_accesses"
    __table_args__ = (Index("ix_staff_accesses_staff_id_occurred_at", "staff_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(Integer)
    subject_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # member_view, member_export, complaint ...
    purpose: Mapped[str] = mapped_column(String(32))
    fields: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    retain_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class RoleChange(db.Model):
    """A staff role granted or removed; actor_id is None when the bootstrap command did it."""

    __tablename__ = "role_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    member_id: Mapped[int] = mapped_column(Integer, index=True)
    before: Mapped[str | None] = mapped_column(String(24))
    after: Mapped[str | None] = mapped_column(String(24))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retain_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AuditReview(db.Model):
    """The privacy officer's sign-off of one month of the access audit."""

    __tablename__ = "audit_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, unique=True)  # the first day of the month reviewed
    reviewer_id: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retain_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
