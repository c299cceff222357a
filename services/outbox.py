"""The transactional outbox: queue e-mails with the change that causes them; deliver them once.

A message is added to the caller's session and committed with its cause. Only
after that commit is its id handed to delivery (see committed_message_ids),
so a rolled-back change never sends mail. Delivery claims a row with one
conditional UPDATE, so two workers can never both send it; failures are
retried with backoff and finally marked failed with the error kept.
"""

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, event, or_, select, update
from sqlalchemy.orm import Session

from extensions import db
from models.outbox import OutboxMessage
from services.clock import now_utc
from services.mail import EMAIL_SUBJECTS, build_message, transport

log = logging.getLogger(__name__)

_NEW = "outbox_new_ids"
_COMMITTED = "outbox_committed_ids"


def queue_email(recipient: str, template: str, locale: str, context: dict | None = None) -> OutboxMessage:
    """Add an e-mail to the outbox in the current transaction (the caller commits)."""
    if template not in EMAIL_SUBJECTS:
        raise ValueError(f"unknown e-mail template {template!r}")
    if locale not in current_app.config["LANGUAGES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    message = OutboxMessage(recipient=recipient, template=template, locale=locale, context=context or {})
    db.session.add(message)
    db.session.flush()
    db.session.info.setdefault(_NEW, []).append(message.id)
    return message


@event.listens_for(Session, "after_commit")
def _mark_committed(session: Session) -> None:
    new = session.info.pop(_NEW, None)
    if new:
        session.info.setdefault(_COMMITTED, []).extend(new)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_NEW, None)


def committed_message_ids() -> list[int]:
    """Take the ids of messages committed in this session since the last call."""
    return db.session.info.pop(_COMMITTED, [])


def claim(message_id: int, now: datetime | None = None) -> bool:
    """Atomically take a message for delivery: due and pending, or abandoned by a dead worker."""
    now = now or now_utc()
    lease_expired = now - timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            or_(
                and_(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now),
                and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at <= lease_expired),
            ),
        )
        .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _finish(message_id: int, **values) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == "sending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def record_failure(message_id: int, error: Exception, now: datetime | None = None) -> str:
    """Schedule a retry with exponential backoff, or mark the message failed after the last attempt."""
    now = now or now_utc()
    db.session.rollback()
    row = db.session.get(OutboxMessage, message_id)
    cfg = current_app.config
    text = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= cfg["OUTBOX_MAX_ATTEMPTS"]:
        log.error("outbox: message %s failed for good after %s attempts: %s", message_id, row.attempts, text)
        _finish(message_id, status="failed", last_error=text, claimed_at=None)
        return "failed"
    delay = cfg["OUTBOX_RETRY_BASE_SECONDS"] * 2 ** (row.attempts - 1)
    log.warning(
        "outbox: message %s attempt %s failed, retry in %ss: %s", message_id, row.attempts, delay, text
    )
    _finish(
        message_id,
        status="pending",
        last_error=text,
        claimed_at=None,
        next_attempt_at=now + timedelta(seconds=delay),
    )
    return "retry"


def deliver(message_ids: list[int]) -> dict[str, int]:
    """Claim and send the given messages over one transport session; return outcome counts."""
    outcomes = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    claimed = []
    for message_id in message_ids:
        if claim(message_id):
            claimed.append(message_id)
        else:
            outcomes["skipped"] += 1
    done: set[int] = set()
    try:
        mailer = transport()
        with mailer.session():
            for message_id in claimed:
                try:
                    mailer.send(build_message(db.session.get(OutboxMessage, message_id)))
                except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
                    outcomes[record_failure(message_id, exc)] += 1
                else:
                    _finish(message_id, status="sent", sent_at=now_utc(), claimed_at=None, last_error=None)
                    outcomes["sent"] += 1
                done.add(message_id)
    except Exception as exc:  # noqa: BLE001 - the connection itself failed: every unfinished claim retries
        for message_id in claimed:
            if message_id not in done:
                outcomes[record_failure(message_id, exc)] += 1
    return outcomes


def due_for_relay(now: datetime | None = None, limit: int = 5000) -> list[int]:
    """Messages whose delivery seems lost: never tried for a while, due for retry, or abandoned."""
    now = now or now_utc()
    cfg = current_app.config
    grace = now - timedelta(seconds=cfg["OUTBOX_RELAY_AFTER_SECONDS"])
    lease_expired = now - timedelta(seconds=cfg["OUTBOX_LEASE_SECONDS"])
    query = (
        select(OutboxMessage.id)
        .where(
            or_(
                and_(
                    OutboxMessage.status == "pending",
                    OutboxMessage.next_attempt_at <= now,
                    or_(OutboxMessage.attempts > 0, OutboxMessage.created_at <= grace),
                ),
                and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at <= lease_expired),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def recent_messages(limit: int = 50) -> list[OutboxMessage]:
    """The newest outbox rows, for the development outbox page."""
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit)))


def find_message(message_id: int) -> OutboxMessage | None:
    """One outbox row by id."""
    return db.session.get(OutboxMessage, message_id)
