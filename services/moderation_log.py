"""The moderation log: every step on content or an account, automatic or by a moderator."""

from sqlalchemy import select

from extensions import db
from models.moderation import ModerationAction

# Steps the site takes by itself (or the author takes), logged without a moderator.
AUTOMATIC_ACTIONS = frozenset({"hold", "auto_hide", "measure_start", "objection"})


def record_action(
    action: str,
    kind: str,
    target_id: int,
    subject_id: int | None,
    reason: str = "",
    moderator_id: int | None = None,
    detail: dict | None = None,
) -> ModerationAction:
    """Add one log row (the caller commits with the step it records)."""
    row = ModerationAction(
        action=action,
        target_kind=kind,
        target_id=target_id,
        subject_id=subject_id,
        reason=reason,
        moderator_id=moderator_id,
        detail=detail or {},
    )
    db.session.add(row)
    return row


def log_page(before: int | None = None, size: int = 50) -> tuple[list[ModerationAction], int | None]:
    """Log rows, newest first, by keyset; returns the rows and the cursor to older ones."""
    query = select(ModerationAction).order_by(ModerationAction.id.desc()).limit(size + 1)
    if before is not None:
        query = query.where(ModerationAction.id < before)
    rows = list(db.session.scalars(query))
    return rows[:size], rows[size - 1].id if len(rows) > size else None
