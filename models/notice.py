"""Site notices (공지사항): announcements shown on the home page."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow


class Notice(db.Model):
    """An announcement written in both languages."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    title_ko: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    body_ko: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def title(self, locale: str) -> str:
        """The title in the given language."""
        return self.title_en if locale == "en" else self.title_ko

    def body(self, locale: str) -> str:
        """The body in the given language."""
        return self.body_en if locale == "en" else self.body_ko
