"""Delivering outbox messages: claimed a few at a time, sent over one SMTP session, each outcome kept.

Messages are claimed with one conditional UPDATE per handful, just before they
are sent, under a fresh claim token; only the token's holder may finish them,
so two workers never both own one. The handful is small enough to be sent well
within the lease (claim_ahead), and what is left of it after half the lease is
given back and claimed again. Each message is marked sent as soon as the server
takes it; transient failures are retried with backoff; permanent ones, and the
last attempt, mark the row failed with the error kept. Delivery is at least
once: a message the SMTP server accepted just before a worker died unrecorded
is sent again after the lease, with the same Message-ID so the receiving side
can tell. Advertising is checked again just before it goes:
consent withdrawn since queueing fails it, and the night hours put it back for
the morning.
"""

import logging
import secrets
import smtplib
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, text, update
from sqlalchemy.engine import Row

from extensions import db
from models.outbox import OutboxMessage
from services import campaign_guard
from services.clock import now_utc
from services.mail import build_message, transport

log = logging.getLogger(__name__)

# What delivery needs of a row, read back by the claiming UPDATE itself.
_CLAIMED_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.recipient,
    OutboxMessage.template,
    OutboxMessage.locale,
    OutboxMessage.context,
    OutboxMessage.created_at,
    OutboxMessage.member_id,
    OutboxMessage.erase_after_send,
)


class PermanentDeliveryError(Exception):
    """A failure that retrying cannot fix (a broken template, an address the server refuses)."""


def claim_ahead() -> int:
    """How many messages one claim takes: all of them must go out well inside the lease."""
    cfg = current_app.config
    return max(1, min(10, cfg["OUTBOX_LEASE_SECONDS"] // (2 * max(1, cfg["MAIL_TIMEOUT"]))))


def _claimable(now: datetime):
    """Pending and never tried (whatever the clocks say), pending and due for retry, or a lapsed lease."""
    cfg = current_app.config
    lease_expired = now - timedelta(seconds=cfg["OUTBOX_LEASE_SECONDS"])
    return or_(
        and_(
            OutboxMessage.status == "pending",
            or_(OutboxMessage.attempts == 0, OutboxMessage.next_attempt_at <= now),
        ),
        and_(
            OutboxMessage.status == "sending",
            OutboxMessage.claimed_at <= lease_expired,
            OutboxMessage.attempts < cfg["OUTBOX_MAX_ATTEMPTS"],
        ),
    )


def claim_many(message_ids: Sequence[int], now: datetime | None = None) -> tuple[str, list[Row]]:
    """Atomically take the claimable ones of these messages; return the claim token and their rows."""
    now = now or now_utc()
    token = secrets.token_hex(16)
    rows = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(list(message_ids)), _claimable(now))
        .values(status="sending", claimed_at=now, claim_token=token, attempts=OutboxMessage.attempts + 1)
        .returning(*_CLAIMED_COLUMNS)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    order = {message_id: index for index, message_id in enumerate(message_ids)}
    return token, sorted(rows, key=lambda row: order[row.id])


def claim(message_id: int, now: datetime | None = None) -> str | None:
    """Take one message for delivery; return the claim token, or None if it is not ours to send."""
    token, rows = claim_many([message_id], now)
    return token if rows else None


def _finish_many(message_ids: Sequence[int], token: str, **values) -> int:
    """Write one outcome for several messages, only where this claim is still the current one."""
    if not message_ids:
        return 0
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(list(message_ids)), OutboxMessage.claim_token == token)
        .values(claim_token=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount != len(message_ids):
        log.warning(
            "outbox: %d of messages %s were taken over by another worker; outcome not recorded",
            len(message_ids) - result.rowcount,
            list(message_ids),
        )
    return result.rowcount


def _finish(message_id: int, token: str, **values) -> bool:
    """Write an outcome for one message, but only while this claim is still the current one."""
    return _finish_many([message_id], token, **values) == 1


def _record_sent(row: Row, token: str) -> bool:
    """Mark one message sent the moment the server took it, erasing what it asked to have erased.

    One commit per message, so a worker killed mid-handful re-sends at most the
    message it was sending. On PostgreSQL the commit does not wait for the WAL
    flush (synchronous_commit off for this transaction only): a worker's death
    loses nothing, and only a crash of the database server itself could forget
    the last instant's marks and so send those messages again.
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    # A withdrawal receipt: the address and context are not kept once it has gone.
    erased = {"recipient": "", "context": {}} if row.erase_after_send else {}
    return _finish(
        row.id, token, status="sent", sent_at=now_utc(), claimed_at=None, last_error=None, **erased
    )


def _release(message_ids: Sequence[int], token: str) -> None:
    """Give back claimed messages that were never tried (the connection went first), attempt and all."""
    _finish_many(message_ids, token, status="pending", claimed_at=None, attempts=OutboxMessage.attempts - 1)


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
    reason = f"{type(error).__name__}: {error}"[:2000]
    if _is_permanent(error) or row.attempts >= cfg["OUTBOX_MAX_ATTEMPTS"]:
        log.error(
            "outbox: message %s failed for good after %s attempt(s): %s", message_id, row.attempts, reason
        )
        _finish(message_id, token, status="failed", last_error=reason, claimed_at=None)
        return "failed"
    delay = cfg["OUTBOX_RETRY_BASE_SECONDS"] * 2 ** (row.attempts - 1)
    log.warning(
        "outbox: message %s attempt %s failed, retry in %ss: %s", message_id, row.attempts, delay, reason
    )
    _finish(
        message_id,
        token,
        status="pending",
        last_error=reason,
        claimed_at=None,
        next_attempt_at=now + timedelta(seconds=delay),
    )
    return "retry"


def _render(row: Row, prototypes: dict):
    try:
        return build_message(row, prototypes)
    except Exception as exc:  # noqa: BLE001 - a message that cannot be built never will be
        raise PermanentDeliveryError(f"could not render: {type(exc).__name__}: {exc}") from exc


def _stop_advertising(row: Row, token: str, now: datetime) -> str | None:
    """Keep a claimed campaign message from going now; return the outcome, or None to send it.

    Consent and the night hours were checked when the campaign was queued, but a
    large or retried batch reaches SMTP later: a member may have unsubscribed
    since, or 21:00 may have passed (SPEC §10). A withdrawn consent ends the row
    failed; the night puts it back, uncounted, for the morning.
    """
    if row.template != "campaign":
        return None
    reason = campaign_guard.refusal(row.member_id)
    if reason:
        log.info("outbox: campaign message %s not sent: %s", row.id, reason)
        _finish(row.id, token, status="failed", last_error=reason, claimed_at=None)
        return "failed"
    morning = campaign_guard.held_until(row.member_id, now)
    if morning is None:
        return None
    log.info("outbox: campaign message %s held for the night until %s", row.id, morning.isoformat())
    # Skipped, not retried: nothing failed, so the attempt is given back and the relay sends it then.
    _finish(
        row.id,
        token,
        status="pending",
        claimed_at=None,
        next_attempt_at=morning,
        attempts=OutboxMessage.attempts - 1,
    )
    return "skipped"


def _deliver_handful(
    mailer, message_ids: list[int], outcomes: dict[str, int], prototypes: dict
) -> list[int] | None:
    """Claim and send a few messages; return those given back unsent, or None once the connection is gone."""
    token, claimed = claim_many(message_ids)
    claimed_at = time.monotonic()
    half_lease = current_app.config["OUTBOX_LEASE_SECONDS"] / 2
    outcomes["skipped"] += len(message_ids) - len(claimed)
    ids = [row.id for row in claimed]
    for index, row in enumerate(claimed):
        rest = ids[index:]
        if time.monotonic() - claimed_at > half_lease:
            # A slow server: claim the rest afresh rather than send past a lease another worker may take.
            _release(rest, token)
            return rest
        try:
            stopped = _stop_advertising(row, token, now_utc())  # per message: a batch may run past 21:00
            if stopped:
                outcomes[stopped] += 1
                continue
            try:
                mailer.send(_render(row, prototypes))
            except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
                outcomes[record_failure(row.id, token, exc)] += 1
                if _connection_lost(exc):
                    # Sending the rest would spend their attempts on a closed connection.
                    _release(rest[1:], token)
                    return None
                continue
            _record_sent(row, token)
            outcomes["sent"] += 1
        except BaseException:
            _give_back_after_error(rest[1:], token)
            raise
    return []


def _give_back_after_error(message_ids: list[int], token: str) -> None:
    """Release the untried rest of a handful after an unexpected error, which then goes on up."""
    try:
        db.session.rollback()
        _release(message_ids, token)
    except Exception:  # noqa: BLE001 - the original error matters more; the lease frees them anyway
        log.warning(
            "outbox: could not give back messages %s; the relay takes them after the lease", message_ids
        )


def deliver(message_ids: list[int]) -> dict[str, int]:
    """Send the given messages over one transport session, claiming a handful just before they go."""
    outcomes = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    ahead = claim_ahead()
    prototypes: dict = {}  # one rendering per template, language and context, shared by the batch
    pending = list(message_ids)
    try:
        mailer = transport()
        with mailer.session():
            while pending:
                handful, pending = pending[:ahead], pending[ahead:]
                given_back = _deliver_handful(mailer, handful, outcomes, prototypes)
                if given_back is None:
                    break  # the rest were never claimed, and the relay brings them back
                pending = given_back + pending
    except Exception:  # noqa: BLE001 - what was claimed is recorded or given back; the relay retries the rest
        log.warning("outbox: delivery stopped early (no connection, or an error)", exc_info=True)
    return outcomes
