"""The outbox as the privacy office sees it: what waits, what failed, and sending failed mail again."""

import logging
import re
from datetime import datetime

from sqlalchemy import func, select, update

from extensions import db
from models.outbox import OutboxMessage
from services.addresses import mask_email
from services.clock import now_utc

log = logging.getLogger(__name__)

SHOWN_STATUSES = ("pending", "sending", "failed")


def status_counts() -> dict[str, int]:
    """How many messages are in each state (every state listed, zero included)."""
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    return {"pending": 0, "sending": 0, "sent": 0, "failed": 0} | dict(rows.all())


def unfinished(status: str, limit: int = 100) -> list[OutboxMessage]:
    """The oldest messages in one unfinished state, oldest first."""
    if status not in SHOWN_STATUSES:
        raise ValueError(f"not an unfinished status: {status!r}")
    query = (
        select(OutboxMessage).where(OutboxMessage.status == status).order_by(OutboxMessage.id).limit(limit)
    )
    return list(db.session.scalars(query))


def retry_failed(message_ids: list[int] | None = None, now: datetime | None = None) -> list[int]:
    """Put failed messages (these, or every one) back to pending as if new; return the ids retried.

    The last error stays on the row until the next attempt replaces it, so the
    dashboard still says why it failed before.
    """
    query = select(OutboxMessage.id).where(OutboxMessage.status == "failed")
    if message_ids is not None:
        query = query.where(OutboxMessage.id.in_(message_ids))
    ids = list(db.session.scalars(query.order_by(OutboxMessage.id)))
    if ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "failed")
            .values(
                status="pending",
                attempts=0,
                next_attempt_at=now or now_utc(),
                claim_token=None,
                claimed_at=None,
                enqueued_at=None,
            )
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        log.info("outbox: %d failed message(s) put back for delivery", len(ids))
    return ids


_ADDRESS_IN_TEXT = re.compile(r"[^\s@'\"<>(){}\[\],;:]+@[^\s@'\"<>(){}\[\],;:]+")


def masked_error(text: str | None) -> str:
    """An SMTP error with every address in it masked (a refusal names the recipient)."""
    return _ADDRESS_IN_TEXT.sub(lambda match: mask_email(match.group(0)), text or "")
