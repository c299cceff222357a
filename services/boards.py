"""Boards as data, and the keyset pages of their posts and comments."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from extensions import db
from models.board import Board, Comment, Post

# The boards the site ships with; `flask boards sync` makes the database match.
DEFAULT_BOARDS = (
    {
        "slug": "free",
        "name_ko": "자유게시판",
        "name_en": "Free talk",
        "description_ko": "촬영과 사진에 관한 이야기를 자유롭게 나누세요.",
        "description_en": "Talk about shoots and photography.",
    },
    {
        "slug": "questions",
        "name_ko": "질문과 답변",
        "name_en": "Questions",
        "description_ko": "촬영 준비, 장소, 장비에 관해 묻고 답하세요.",
        "description_en": "Ask and answer about preparing a shoot, places and gear.",
    },
    {
        "slug": "reviews",
        "name_ko": "촬영 후기",
        "name_en": "Shoot reviews",
        "description_ko": "다녀온 촬영의 후기를 남겨 주세요.",
        "description_en": "Tell others how your shoot went.",
    },
)
# What the board lists show: held and hidden posts are out of sight until a moderator decides.
LISTED_STATUSES = ("published", "blinded")
# What a row of a board list shows (templates/boards/board.html and the stamp/author macros).
LISTED_COLUMNS = (
    Post.id,
    Post.status,
    Post.title,
    Post.comment_count,
    Post.author_id,
    Post.created_at,
    Post.edited_at,
)


def sync_boards() -> list[str]:
    """Create or update the shipped boards; returns the slugs that changed."""
    changed = []
    for position, spec in enumerate(DEFAULT_BOARDS):
        board = db.session.scalar(select(Board).where(Board.slug == spec["slug"]))
        if board is None:
            board = Board(slug=spec["slug"])
            db.session.add(board)
        values = spec | {"position": position}
        if any(getattr(board, key, None) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(board, key, value)
            changed.append(spec["slug"])
    db.session.commit()
    return changed


def all_boards() -> list[Board]:
    """Every board, in the order the site shows them."""
    return list(db.session.scalars(select(Board).order_by(Board.position, Board.id)))


def board_by_slug(slug: str) -> Board | None:
    """One board by its slug."""
    return db.session.scalar(select(Board).where(Board.slug == slug))


@dataclass
class Page:
    """One keyset page: its rows and the cursors to the pages either side (None at an end)."""

    rows: list
    older: int | None
    newer: int | None


def post_page(board: Board, before: int | None = None, after: int | None = None) -> Page:
    """Posts of a board, newest first, size BOARD_PAGE_SIZE, starting before or after a post id."""
    size = current_app.config["BOARD_PAGE_SIZE"]
    # A list shows titles: plain rows of the columns it shows, no texts, no ORM objects to build.
    query = select(*LISTED_COLUMNS).where(Post.board_id == board.id, Post.status.in_(LISTED_STATUSES))
    if after is not None:
        rows = list(db.session.execute(query.where(Post.id > after).order_by(Post.id).limit(size + 1)))
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return Page(rows, rows[-1].id if rows else None, rows[0].id if rows and more_newer else None)
    if before is not None:
        query = query.where(Post.id < before)
    rows = list(db.session.execute(query.order_by(Post.id.desc()).limit(size + 1)))
    more_older = len(rows) > size
    rows = rows[:size]
    newer = rows[0].id if rows and before is not None else None
    return Page(rows, rows[-1].id if rows and more_older else None, newer)


def comment_page(post: Post, after: int | None = None, size: int = 100) -> Page:
    """Comments of a post, oldest first, from after a comment id."""
    query = select(Comment).where(Comment.post_id == post.id, Comment.status.in_(LISTED_STATUSES))
    if after is not None:
        query = query.where(Comment.id > after)
    rows = list(db.session.scalars(query.order_by(Comment.id).limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, rows[-1].id if rows and more else None, None)
