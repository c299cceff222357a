"""The transactional outbox: queue e-mails with the change that causes them; hand them to delivery.

A message is added to the caller's session and committed with its cause. Only
after the outermost commit is its id handed to delivery (committed_message_ids),
so a rolled-back change never sends mail. services.delivery claims and sends
them; this module also finds the ones whose delivery was lost (the relay) and
forgets finished ones after OUTBOX_KEEP_DAYS.
"""

import logging
import re
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, event, inspect, or_, select, update
from sqlalchemy.orm import Session

from extensions import db
from models.outbox import OutboxMessage
from services.clock import now_utc
from services.mail import EMAIL_SUBJECTS, RESERVED_CONTEXT_KEYS

log = logging.getLogger(__name__)

_NEW = "outbox_new_ids"
_UNFLUSHED = "outbox_unflushed"
_COMMITTED = "outbox_committed_ids"
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+$")


def queue_email(
    recipient: str,
    template: str,
    locale: str,
    context: dict | None = None,
    erase_after_send: bool = False,
    member_id: int | None = None,
    flush: bool = True,
) -> OutboxMessage:
    """Add an e-mail to the outbox in the current transaction (the caller commits).

    flush=False leaves the INSERT to the caller's next flush or commit, so a
    fan-out writes a whole batch of messages in one multi-row statement.
    """
    if template not in EMAIL_SUBJECTS:
        raise ValueError(f"unknown e-mail template {template!r}")
    if not _ADDRESS.match(recipient or ""):
        raise ValueError("recipient is not an e-mail address")
    context = context or {}
    clash = RESERVED_CONTEXT_KEYS & set(context)
    if clash:
        raise ValueError(f"reserved e-mail context keys: {sorted(clash)}")
    if locale not in current_app.config["LANGUAGES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    message = OutboxMessage(
        recipient=recipient,
        template=template,
        locale=locale,
        context=context,
        erase_after_send=erase_after_send,
        member_id=member_id,
    )
    db.session.add(message)
    if flush:
        db.session.flush()
        db.session.info.setdefault(_NEW, []).append(message.id)
    else:
        db.session.info.setdefault(_UNFLUSHED, []).append(message)
    return message


@event.listens_for(Session, "after_flush_postexec")
def _note_inserted(session: Session, _context) -> None:
    # Messages queued with flush=False get their ids here, before the commit that hands them over.
    waiting = session.info.pop(_UNFLUSHED, None)
    if not waiting:
        return
    states = [(message, inspect(message)) for message in waiting]
    # Written now: handed over at the commit. Still pending (added in a flush that skipped it): wait.
    # Anything else was expunged or rolled back with a savepoint, and is never handed over.
    session.info.setdefault(_NEW, []).extend(message.id for message, state in states if state.persistent)
    still = [message for message, state in states if state.pending]
    if still:
        session.info[_UNFLUSHED] = still


@event.listens_for(Session, "after_commit")
def _mark_committed(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released; the outer transaction decides
        return
    new = session.info.pop(_NEW, None)
    if new:
        session.info.setdefault(_COMMITTED, []).extend(new)
    # The commit flushed everything still in the session: what waits now was dropped, never written.
    session.info.pop(_UNFLUSHED, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction) -> None:
    # Only the outermost rollback abandons the messages; a savepoint's rollback leaves
    # ids whose rows are gone, and delivery simply finds nothing to claim for them.
    if previous_transaction.parent is None:
        session.info.pop(_NEW, None)
        session.info.pop(_UNFLUSHED, None)


def committed_message_ids() -> list[int]:
    """Take the ids of messages committed in this session since the last call."""
    return db.session.info.pop(_COMMITTED, [])


def due_for_relay(now: datetime | None = None, limit: int = 5000) -> list[int]:
    """Messages whose delivery seems lost: never tried for a while, due for retry, or abandoned.

    A row the relay enqueued recently (within a lease) is left to its queue, so a
    backlog is not enqueued again every minute.
    """
    now = now or now_utc()
    cfg = current_app.config
    grace = now - timedelta(seconds=cfg["OUTBOX_RELAY_AFTER_SECONDS"])
    lease_expired = now - timedelta(seconds=cfg["OUTBOX_LEASE_SECONDS"])
    not_recently_enqueued = or_(
        OutboxMessage.enqueued_at.is_(None),
        OutboxMessage.enqueued_at < OutboxMessage.next_attempt_at,
        OutboxMessage.enqueued_at <= lease_expired,
    )
    query = (
        select(OutboxMessage.id)
        .where(
            or_(
                and_(
                    OutboxMessage.status == "pending",
                    or_(
                        and_(OutboxMessage.attempts == 0, OutboxMessage.next_attempt_at <= grace),
                        and_(OutboxMessage.attempts > 0, OutboxMessage.next_attempt_at <= now),
                    ),
                    not_recently_enqueued,
                ),
                and_(
                    OutboxMessage.status == "sending",
                    OutboxMessage.claimed_at <= lease_expired,
                    OutboxMessage.attempts < cfg["OUTBOX_MAX_ATTEMPTS"],
                    not_recently_enqueued,
                ),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def mark_enqueued(message_ids: list[int], now: datetime | None = None) -> None:
    """Remember that the relay handed these messages to a queue."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(message_ids))
        .values(enqueued_at=now or now_utc())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def fail_abandoned(now: datetime | None = None) -> int:
    """Mark failed the messages whose every attempt was abandoned by a dying worker."""
    now = now or now_utc()
    cfg = current_app.config
    lease_expired = now - timedelta(seconds=cfg["OUTBOX_LEASE_SECONDS"])
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == "sending",
            OutboxMessage.claimed_at <= lease_expired,
            OutboxMessage.attempts >= cfg["OUTBOX_MAX_ATTEMPTS"],
        )
        .values(status="failed", claim_token=None, last_error="abandoned: every attempt's worker died")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def purge_finished(now: datetime | None = None) -> int:
    """Delete sent and failed messages older than OUTBOX_KEEP_DAYS: addresses are not kept for ever."""
    cutoff = (now or now_utc()) - timedelta(days=current_app.config["OUTBOX_KEEP_DAYS"])
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.status.in_(("sent", "failed")), OutboxMessage.created_at <= cutoff
        )
    )
    db.session.commit()
    return result.rowcount


def recent_messages(limit: int = 50) -> list[OutboxMessage]:
    """The newest outbox rows, for the development outbox page."""
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)))


def find_message(message_id: int) -> OutboxMessage | None:
    """One outbox row by id."""
    return db.session.get(OutboxMessage, message_id)
