"""Dormant members' personal data, in its own database (the 'dormant' bind), read only to restore."""

from datetime import datetime

from sqlalchemy import Integer, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow


class DormantRecord(db.Model):
    """One dormant member's personal fields, sealed together; the live row keeps only a stub."""

    # Flask-SQLAlchemy keeps a separate metadata per bind: the live database's
    # migrations never see this table, and the dormancy service creates it.
    __bind_key__ = "dormant"
    __tablename__ = "dormant_records"

    member_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
