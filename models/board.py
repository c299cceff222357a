"""Boards, their posts and comments: what members write in public (SPEC §9)."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.types import UTCDateTime, utcnow

# published: shown; held: spam rules held it on arrival; hidden: reports or a moderator
# hid it pending review; blinded: the temporary measure of a rights claim.
CONTENT_STATUSES = ("published", "held", "hidden", "blinded")
_STATUS_CHECK = "status IN ('published', 'held', 'hidden', 'blinded')"


class Board(db.Model):
    """A board, defined as data, with its name in each language."""

    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_ko: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    description_ko: Mapped[str] = mapped_column(String(300), default="")
    description_en: Mapped[str] = mapped_column(String(300), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    def name(self, locale: str) -> str:
        """The board's name in the reader's language."""
        return self.name_en if locale == "en" else self.name_ko

    def description(self, locale: str) -> str:
        """The board's description in the reader's language."""
        return self.description_en if locale == "en" else self.description_ko


class _Content:
    """What posts and comments share: an author, plain text, a moderation status."""

    body: Mapped[str] = mapped_column(Text)
    # A digest of the normalised text: finds repeated identical posts without reading them all.
    body_hash: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="published")
    # Why it is not published: a spam rule, "reports", "moderator" or "measure".
    status_reason: Mapped[str | None] = mapped_column(String(40))
    masked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Post(_Content, db.Model):
    """A post on a board; its author is NULL once a withdrawn member chose to leave it up."""

    __tablename__ = "posts"
    __table_args__ = (
        CheckConstraint(_STATUS_CHECK, name="status"),
        # Keyset pages walk this index backwards: page 1,000 costs what page 1 costs.
        Index("ix_posts_board_listing", "board_id", "id"),
        Index("ix_posts_author", "author_id", "id"),
        # The moderator queue looks up the few held or hidden rows among many published ones.
        Index("ix_posts_review", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    # Many-to-one: the board is usually in the session already, so this costs no query.
    board: Mapped[Board] = relationship()

    kind = "post"


class Comment(_Content, db.Model):
    """A comment under a post."""

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint(_STATUS_CHECK, name="status"),
        Index("ix_comments_post_listing", "post_id", "id"),
        Index("ix_comments_author", "author_id", "id"),
        Index("ix_comments_review", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))

    kind = "comment"
