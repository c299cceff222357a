"""The transactional outbox: queue e-mails with the change that causes them; deliver them once.

A message is added to the caller's session and committed with its cause. Only
after the outermost commit is its id handed to delivery (committed_message_ids),
so a rolled-back change never sends mail. Each message is claimed with one
conditional UPDATE just before it is sent, under a fresh claim token; only the
token's holder may finish it, so two workers never both own it. Transient
failures are retried with backoff; permanent ones, and the last attempt, mark
the row failed with the error kept. Delivery is at least once: a message the
SMTP server accepted just before a worker died unacknowledged may be sent
again, with the same Message-ID so the receiving side can tell. Advertising is
checked again just before it goes: consent withdrawn since queueing fails it,
and the night hours put it back for the morning.
"""

import logging
import re
import secrets
import smtplib
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, event, or_, select, update
from sqlalchemy.orm import Session

from extensions import db
from models.outbox import OutboxMessage
from services import campaign_guard
from services.clock import now_utc
from services.mail import EMAIL_SUBJECTS, RESERVED_CONTEXT_KEYS, build_message, transport

log = logging.getLogger(__name__)

_NEW = "outbox_new_ids"
_COMMITTED = "outbox_committed_ids"
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+$")


class PermanentDeliveryError(Exception):
    """A failure that retrying cannot fix (a broken template, an address the server refuses)."""


def queue_email(
    recipient: str,
    template: str,
    locale: str,
    context: dict | None = None,
    erase_after_send: bool = False,
    member_id: int | None = None,
) -> OutboxMessage:
    """Add an e-mail to the outbox in the current transaction (the caller commits)."""
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
    db.session.flush()
    db.session.info.setdefault(_NEW, []).append(message.id)
    return message


@event.listens_for(Session, "after_commit")
def _mark_committed(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint was released; the outer transaction decides
        return
    new = session.info.pop(_NEW, None)
    if new:
        session.info.setdefault(_COMMITTED, []).extend(new)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction) -> None:
    # Only the outermost rollback abandons the messages; a savepoint's rollback leaves
    # ids whose rows are gone, and delivery simply finds nothing to claim for them.
    if previous_transaction.parent is None:
        session.info.pop(_NEW, None)


def committed_message_ids() -> list[int]:
    """Take the ids of messages committed in this session since the last call."""
    return db.session.info.pop(_COMMITTED, [])


def claim(message_id: int, now: datetime | None = None) -> str | None:
    """Atomically take one message for delivery; return the claim token, or None if not ours to send.

    Claimable: pending and never tried (whatever the clocks say), pending and due
    for retry, or claimed by a worker whose lease ran out with attempts left.
    """
    now = now or now_utc()
    cfg = current_app.config
    lease_expired = now - timedelta(seconds=cfg["OUTBOX_LEASE_SECONDS"])
    token = secrets.token_hex(16)
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            or_(
                and_(
                    OutboxMessage.status == "pending",
                    or_(OutboxMessage.attempts == 0, OutboxMessage.next_attempt_at <= now),
                ),
                and_(
                    OutboxMessage.status == "sending",
                    OutboxMessage.claimed_at <= lease_expired,
                    OutboxMessage.attempts < cfg["OUTBOX_MAX_ATTEMPTS"],
                ),
            ),
        )
        .values(status="sending", claimed_at=now, claim_token=token, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return token if result.rowcount == 1 else None


def _finish(message_id: int, token: str, **values) -> bool:
    """Write an outcome, but only while this claim is still the current one."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
        .values(claim_token=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != 1:
        log.warning("outbox: message %s was taken over by another worker; outcome not recorded", message_id)
    return result.rowcount == 1


def _refusal_codes(error: Exception) -> list[int]:
    """The SMTP reply codes behind a refusal (one per refused recipient at RCPT TO)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return [code for code, _reply in error.recipients.values()]
    if isinstance(error, smtplib.SMTPResponseException):
        return [error.smtp_code]
    return []


def _is_permanent(error: Exception) -> bool:
    """A broken message, or a 5xx refusal. A 4xx at RCPT TO (greylisting) is retried like any 4xx."""
    if isinstance(error, PermanentDeliveryError):
        return True
    codes = _refusal_codes(error)
    return bool(codes) and all(500 <= code < 600 for code in codes)


def _connection_lost(error: Exception) -> bool:
    """Whether the SMTP connection is gone: dropped, or closed by a 421 (smtplib closes it then)."""
    return isinstance(error, smtplib.SMTPServerDisconnected) or 421 in _refusal_codes(error)


def record_failure(message_id: int, token: str, error: Exception, now: datetime | None = None) -> str:
    """Schedule a retry with exponential backoff, or mark the message failed; return which."""
    now = now or now_utc()
    db.session.rollback()
    row = db.session.get(OutboxMessage, message_id)
    cfg = current_app.config
    text = f"{type(error).__name__}: {error}"[:2000]
    if _is_permanent(error) or row.attempts >= cfg["OUTBOX_MAX_ATTEMPTS"]:
        log.error(
            "outbox: message %s failed for good after %s attempt(s): %s", message_id, row.attempts, text
        )
        _finish(message_id, token, status="failed", last_error=text, claimed_at=None)
        return "failed"
    delay = cfg["OUTBOX_RETRY_BASE_SECONDS"] * 2 ** (row.attempts - 1)
    log.warning(
        "outbox: message %s attempt %s failed, retry in %ss: %s", message_id, row.attempts, delay, text
    )
    _finish(
        message_id,
        token,
        status="pending",
        last_error=text,
        claimed_at=None,
        next_attempt_at=now + timedelta(seconds=delay),
    )
    return "retry"


def _render(message_id: int):
    try:
        return build_message(db.session.get(OutboxMessage, message_id))
    except Exception as exc:  # noqa: BLE001 - a message that cannot be built never will be
        raise PermanentDeliveryError(f"could not render: {type(exc).__name__}: {exc}") from exc


def _stop_advertising(message_id: int, token: str, now: datetime) -> str | None:
    """Keep a claimed campaign message from going now; return the outcome, or None to send it.

    Consent and the night hours were checked when the campaign was queued, but a
    large or retried batch reaches SMTP later: a member may have unsubscribed
    since, or 21:00 may have passed (SPEC §10). A withdrawn consent ends the row
    failed; the night puts it back, uncounted, for the morning.
    """
    row = db.session.get(OutboxMessage, message_id)
    if row.template != "campaign":
        return None
    reason = campaign_guard.refusal(row.member_id)
    if reason:
        log.info("outbox: campaign message %s not sent: %s", message_id, reason)
        _finish(message_id, token, status="failed", last_error=reason, claimed_at=None)
        return "failed"
    morning = campaign_guard.held_until(row.member_id, now)
    if morning is None:
        return None
    log.info("outbox: campaign message %s held for the night until %s", message_id, morning.isoformat())
    # Skipped, not retried: nothing failed, so the attempt is given back and the relay sends it then.
    _finish(
        message_id,
        token,
        status="pending",
        claimed_at=None,
        next_attempt_at=morning,
        attempts=OutboxMessage.attempts - 1,
    )
    return "skipped"


def deliver(message_ids: list[int]) -> dict[str, int]:
    """Send the given messages over one transport session, claiming each just before it goes."""
    outcomes = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    pending = list(message_ids)
    try:
        mailer = transport()
        with mailer.session():
            while pending:
                message_id = pending.pop(0)
                now = now_utc()  # per message: a long batch may run past 21:00
                token = claim(message_id, now)
                if token is None:
                    outcomes["skipped"] += 1
                    continue
                stopped = _stop_advertising(message_id, token, now)
                if stopped:
                    outcomes[stopped] += 1
                    continue
                try:
                    mailer.send(_render(message_id))
                except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
                    outcomes[record_failure(message_id, token, exc)] += 1
                    if _connection_lost(exc):
                        # Claiming the next one would spend its attempt on a closed connection;
                        # the rest were never claimed, and the relay brings them back.
                        break
                else:
                    _finish(
                        message_id, token, status="sent", sent_at=now_utc(), claimed_at=None, last_error=None
                    )
                    _erase_if_asked(message_id)
                    outcomes["sent"] += 1
    except Exception:  # noqa: BLE001 - no connection: nothing unclaimed was touched, the relay retries
        log.warning("outbox: could not open the mail transport", exc_info=True)
    return outcomes


def _erase_if_asked(message_id: int) -> None:
    """Erase the address and context of a sent message that asked for it (a withdrawal receipt)."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.erase_after_send.is_(True))
        .values(recipient="", context={})
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


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
