"""Retention storage: the least data the law makes us keep, each record with its purge date."""

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow


class RetentionRecord(db.Model):
    """A record kept under one retention category, tied to a pseudonymous subject key only."""

    __tablename__ = "retention_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(32), index=True)
    subject_key: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retain_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
