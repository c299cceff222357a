"""Site visit (access) records: the minimum the communications law asks us to keep."""

from datetime import datetime

from sqlalchemy import Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow


class AccessLog(db.Model):
    """One request: when, what, the outcome, who (member id or none), a keyed hash of the address."""

    __tablename__ = "access_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(300))
    status: Mapped[int] = mapped_column(SmallInteger)
    member_id: Mapped[int | None] = mapped_column(Integer)
    ip_hash: Mapped[str] = mapped_column(String(32))
    retain_until: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
