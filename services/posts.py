"""Writing on the boards: posts and comments, their limits, and who may see them."""

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from extensions import db
from models.board import Comment, Post
from models.member import Member
from models.moderation import ModerationAction, Report, TemporaryMeasure
from services import throttle
from services.boards import BoardInfo
from services.clock import now_utc
from services.moderation_log import record_action
from services.rules import RuleError, valid_id
from services.spam import spam_rules_hit
from services.text import digest, normalise, single_line

log = logging.getLogger(__name__)

TITLE_MAX, BODY_MAX, COMMENT_MAX = 200, 10_000, 2_000


class PostingError(RuleError):
    """A rule refused the writing."""


def posting_suspended_until(member: Member, now: datetime | None = None) -> datetime | None:
    """The end of the member's posting suspension, or None when they may write."""
    until = member.posting_suspended_until
    return until if until and until > (now or now_utc()) else None


def _check_can_write(member: Member, kind: str, now: datetime) -> None:
    until = posting_suspended_until(member, now)
    if until:
        raise PostingError("suspended", until=until)
    limit = current_app.config["POSTS_PER_HOUR" if kind == "post" else "COMMENTS_PER_HOUR"]
    if throttle.is_blocked(f"write-{kind}", str(member.id), limit, now):
        raise PostingError("rate_limited", limit=limit)


def _clean(text: str | None, field: str, most: int) -> str:
    cleaned = single_line(text) if field == "title" else normalise(text)
    if not cleaned:
        raise PostingError("empty", field)
    if len(cleaned) > most:
        raise PostingError("too_long", field, most=most)
    return cleaned


def _add_screened(content: Post | Comment, author: Member, now: datetime) -> None:
    """Add new writing, published or, when a spam rule fires, held with its log row (caller commits).

    The rules run before the row is added, so "the same text again" never finds itself.
    """
    content.body_hash = digest(content.body)
    hits = spam_rules_hit(author, content.body, content.body_hash, now)
    content.status, content.status_reason = ("held", hits[0]) if hits else ("published", None)
    db.session.add(content)
    db.session.flush()
    if hits:
        record_action("hold", content.kind, content.id, author.id, hits[0])


def create_post(author: Member, board: BoardInfo, title: str | None, body: str | None) -> Post:
    """A new post, published or held for review by the spam rules; commits."""
    now = now_utc()
    _check_can_write(author, "post", now)
    post = Post(board_id=board.id, author_id=author.id, created_at=now)
    post.title = _clean(title, "title", TITLE_MAX)
    post.body = _clean(body, "body", BODY_MAX)
    _add_screened(post, author, now)
    db.session.commit()
    throttle.record_failure("write-post", str(author.id), timedelta(hours=1), now)
    log.info("post %s by member %s: %s", post.id, author.id, post.status)
    return post


def edit_post(author: Member, post: Post, title: str | None, body: str | None) -> Post:
    """The author's new text; a post under review stays under review; commits."""
    _require_author(author, post)
    now = now_utc()
    if posting_suspended_until(author, now):
        raise PostingError("suspended", until=author.posting_suspended_until)
    post.title = _clean(title, "title", TITLE_MAX)
    post.body = _clean(body, "body", BODY_MAX)
    _after_edit(author, post, now)
    db.session.commit()
    return post


def _after_edit(author: Member, content: Post | Comment, now: datetime) -> None:
    """Screen edited text again (it may have turned into spam) and send a masked text back to review."""
    content.body_hash, content.edited_at = digest(content.body), now
    if content.masked:
        # A moderator masked it to protect someone: the author must not simply type it back.
        content.masked = False
        if content.status == "published":
            set_status(content, "held", "edited_after_mask")
            record_action("hold", content.kind, content.id, author.id, "edited_after_mask")
        return
    if content.status == "published":
        hits = [hit for hit in spam_rules_hit(author, content.body, "", now) if hit != "repeated"]
        if hits:
            set_status(content, "held", hits[0])
            record_action("hold", content.kind, content.id, author.id, hits[0])


def delete_post(author: Member, post: Post) -> None:
    """The author removes their post, with its comments; commits."""
    _require_author(author, post)
    remove_posts([post.id])
    db.session.commit()


def remove_posts(post_ids: list[int]) -> None:
    """Delete posts with their comments, settling what was open on any of them (the caller commits)."""
    if not post_ids:
        return
    comment_ids = list(db.session.scalars(select(Comment.id).where(Comment.post_id.in_(post_ids))))
    _settle("comment", comment_ids)
    _settle("post", post_ids)
    # The comments go with their posts (ON DELETE CASCADE).
    db.session.execute(delete(Post).where(Post.id.in_(post_ids)).execution_options(synchronize_session=False))
    db.session.expire_all()


def _settle(kind: str, ids: list[int]) -> None:
    """Close open reports and measures on content that is going: nothing is left to decide."""
    if not ids:
        return
    now = now_utc()
    db.session.execute(
        update(Report)
        .where(Report.target_kind == kind, Report.target_id.in_(ids), Report.status == "open")
        .values(status="upheld", resolved_at=now)
    )
    db.session.execute(
        update(TemporaryMeasure)
        .where(
            TemporaryMeasure.target_kind == kind,
            TemporaryMeasure.target_id.in_(ids),
            TemporaryMeasure.decided_at.is_(None),
        )
        .values(decision="deleted", decided_at=now, objection=None)
    )
    # The text a mask hid, and the author's objection, go with the content they were about.
    db.session.execute(
        update(ModerationAction)
        .where(ModerationAction.target_kind == kind, ModerationAction.target_id.in_(ids))
        .values(detail={})
    )


def add_comment(author: Member, post: Post, body: str | None) -> Comment:
    """A comment under a published post; commits."""
    if post.status != "published":
        raise PostingError("closed")
    now = now_utc()
    _check_can_write(author, "comment", now)
    comment = Comment(post_id=post.id, author_id=author.id, created_at=now)
    comment.body = _clean(body, "body", COMMENT_MAX)
    try:
        _add_screened(comment, author, now)
    except IntegrityError:  # the post was deleted between the page and the comment
        db.session.rollback()
        raise PostingError("closed") from None
    if comment.status == "published":
        db.session.execute(
            update(Post).where(Post.id == post.id).values(comment_count=Post.comment_count + 1)
        )
    db.session.commit()
    throttle.record_failure("write-comment", str(author.id), timedelta(hours=1), now)
    return comment


def edit_comment(author: Member, comment: Comment, body: str | None) -> Comment:
    """The author's new text for a comment; commits."""
    _require_author(author, comment)
    now = now_utc()
    if posting_suspended_until(author, now):
        raise PostingError("suspended", until=author.posting_suspended_until)
    comment.body = _clean(body, "body", COMMENT_MAX)
    _after_edit(author, comment, now)
    db.session.commit()
    return comment


def delete_comment(author: Member, comment: Comment) -> None:
    """The author removes their comment; commits."""
    _require_author(author, comment)
    remove_comment(comment)
    db.session.commit()


def remove_comment(comment: Comment) -> None:
    """Delete a comment and keep its post's count right, even when two requests delete it at once."""
    _settle("comment", [comment.id])
    post_id = comment.post_id
    # The count follows what the DELETE found in the database, not what this request had loaded.
    gone = db.session.execute(
        delete(Comment).where(Comment.id == comment.id).returning(Comment.status),
        execution_options={"synchronize_session": "fetch"},
    ).scalar()
    if gone == "published":
        db.session.execute(
            update(Post).where(Post.id == post_id).values(comment_count=Post.comment_count - 1)
        )


def set_status(content: Post | Comment, status: str, reason: str | None) -> None:
    """Move content in or out of sight, keeping the post's comment count right (caller commits).

    The UPDATE names the status this request saw; if another request changed it
    meanwhile, the row is read again and the move decided on what is there now,
    so two moderators acting at once never count a comment twice.
    """
    model, seen = type(content), content.status
    moved = db.session.execute(
        update(model)
        .where(model.id == content.id, model.status == seen)
        .values(status=status, status_reason=reason)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not moved:
        db.session.refresh(content)
        if content.status != seen:
            set_status(content, status, reason)
        return
    content.status, content.status_reason = status, reason
    if isinstance(content, Comment) and (seen == "published") != (status == "published"):
        step = 1 if status == "published" else -1
        db.session.execute(
            update(Post).where(Post.id == content.post_id).values(comment_count=Post.comment_count + step)
        )


def _require_author(member: Member, content: Post | Comment) -> None:
    if content.author_id != member.id:
        raise PostingError("not_yours")


def can_read(content: Post | Comment, viewer: Member | None) -> bool:
    """Whether the viewer may read the content's text (blinded text only its author and staff)."""
    if content.status == "published":
        return True
    if viewer is None or not viewer.is_authenticated:
        return False
    return content.author_id == viewer.id or viewer.has_role("moderator")


def can_open(post: Post, viewer: Member | None) -> bool:
    """Whether the viewer may open the post's page at all (a blinded post shows a notice)."""
    return post.status in ("published", "blinded") or can_read(post, viewer)


def find_content(kind: str, content_id: int) -> Post | Comment | None:
    """A post or comment by kind and id."""
    model = {"post": Post, "comment": Comment}.get(kind)
    return db.session.get(model, content_id) if model and valid_id(content_id) else None


def post_of(content: Post | Comment) -> Post:
    """The post itself, or the post a comment sits under."""
    return content if isinstance(content, Post) else db.session.get(Post, content.post_id)
