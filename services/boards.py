"""Boards as data, and the keyset pages of their posts and comments."""

from dataclasses import dataclass
from time import monotonic

from flask import current_app
from sqlalchemy import bindparam, select

from extensions import db
from models.board import Board, Comment, Post
from services import reads

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
    current_app.extensions.pop(_SNAPSHOT, None)
    return changed


@dataclass(frozen=True)
class BoardInfo:
    """A board as pages show it: a snapshot shared by every request of a process."""

    id: int
    slug: str
    name_ko: str
    name_en: str
    description_ko: str
    description_en: str
    position: int

    # The same wording rule as the model's.
    name = Board.name
    description = Board.description


_SNAPSHOT = "usnaper_boards"
_ALL_BOARDS = select(*reads.columns_of(Board, "")).order_by(Board.position, Board.id)


def _snapshot() -> dict[str, BoardInfo]:
    """Every board by slug, read again once the copy is REFERENCE_CACHE_SECONDS old."""
    app = current_app._get_current_object()
    taken = app.extensions.get(_SNAPSHOT)
    if taken is None or monotonic() - taken[0] >= app.config["REFERENCE_CACHE_SECONDS"]:
        boards = {row.slug: BoardInfo(**row._mapping) for row in reads.read(_ALL_BOARDS)}
        taken = app.extensions[_SNAPSHOT] = (monotonic(), boards)
    return taken[1]


def all_boards() -> list[BoardInfo]:
    """Every board, in the order the site shows them."""
    return list(_snapshot().values())


def board_by_slug(slug: str) -> BoardInfo | None:
    """One board by its slug."""
    return _snapshot().get(slug)


@dataclass
class Page:
    """One keyset page: its rows and the cursors to the pages either side (None at an end)."""

    rows: list
    older: int | None
    newer: int | None


# A list shows titles: plain rows of the columns it shows, no texts, no ORM objects to build. The
# statements are built once, so SQLAlchemy reuses their compiled form and result layout.
_LISTED = select(*LISTED_COLUMNS).where(Post.board_id == bindparam("board"), Post.status.in_(LISTED_STATUSES))
_NEWEST = _LISTED.order_by(Post.id.desc()).limit(reads.literal_limit())
_OLDER = _LISTED.where(Post.id < bindparam("cursor")).order_by(Post.id.desc()).limit(reads.literal_limit())
_NEWER = _LISTED.where(Post.id > bindparam("cursor")).order_by(Post.id).limit(reads.literal_limit())


def post_page(board: BoardInfo, before: int | None = None, after: int | None = None) -> Page:
    """Posts of a board, newest first, size BOARD_PAGE_SIZE, starting before or after a post id."""
    size = current_app.config["BOARD_PAGE_SIZE"]
    params = {"board": board.id, "limit": size + 1}
    if after is not None:
        rows = list(reads.read(_NEWER, params | {"cursor": after}))
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return Page(rows, rows[-1].id if rows else None, rows[0].id if rows and more_newer else None)
    if before is not None:
        rows = list(reads.read(_OLDER, params | {"cursor": before}))
    else:
        rows = list(reads.read(_NEWEST, params))
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
