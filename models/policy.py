"""Versions of the privacy policy and the terms of service."""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow

POLICY_KINDS = ("privacy", "terms")
IMPORTANCE_LEVELS = ("general", "important")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class PolicyVersion(db.Model):
    """One published version of a legal text; its body is a per-locale template."""

    __tablename__ = "policy_versions"
    __table_args__ = (
        UniqueConstraint("kind", "version", name="uq_policy_versions_kind_version"),
        CheckConstraint(_one_of("kind", POLICY_KINDS), name="kind"),
        CheckConstraint(_one_of("importance", IMPORTANCE_LEVELS), name="importance"),
        CheckConstraint("effective_on >= enacted_on", name="effective_after_enacted"),
        Index("ix_policy_versions_kind_effective_on", "kind", "effective_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    version: Mapped[str] = mapped_column(String(16))
    enacted_on: Mapped[date] = mapped_column(Date)
    effective_on: Mapped[date] = mapped_column(Date)
    importance: Mapped[str] = mapped_column(String(16), default="general")
    summary_ko: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    # The promised numbers (ages, periods, retention months) as published, so an
    # earlier version keeps saying what it said.
    promises: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A version drafted in the console carries its text here; shipped versions live in templates/legal/.
    body_ko: Mapped[str | None] = mapped_column(Text)
    body_en: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(Integer)
    # NULL while a draft: only announced versions are shown, noticed or take effect.
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The e-mail fan-out of an important change: keyset cursor over member ids, and when it ended.
    notice_cursor: Mapped[int] = mapped_column(Integer, default=0)
    notice_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def body(self, locale: str) -> str | None:
        """The drafted text in the given language, falling back to Korean (None for shipped texts)."""
        return (self.body_en if locale == "en" else None) or self.body_ko

    def template_name(self, locale: str) -> str:
        """The template holding this version's text in the given language."""
        return f"legal/{self.kind}/{self.version}.{locale}.html"

    def summary(self, locale: str) -> str:
        """The change summary in the given language, falling back to Korean."""
        return (self.summary_en if locale == "en" else "") or self.summary_ko

    def __repr__(self) -> str:
        return f"<PolicyVersion {self.kind} {self.version}>"
