"""Job functions: each takes ids or nothing, re-loads its state, and is safe to run twice."""

import logging
from collections.abc import Callable

from jobs import enqueue
from jobs.marketing import release_held_campaign_mail, resume_stalled_campaigns
from jobs.policy_notices import resume_policy_notices
from services import delivery, outbox, throttle
from services.complaint_retention import close_quiet_answered
from services.dormancy import send_notices, separate_inactive
from services.marketing_reminder import send_reminders
from services.members import purge_unverified
from services.purge import purge_expired
from services.rejoin import forget_old_withdrawals
from services.shoots import expire_asks

log = logging.getLogger(__name__)

# Messages per delivery job: one SMTP session each, claimed a handful at a time within it.
RELAY_BATCH = 200


def deliver_emails(message_ids: list[int]) -> dict[str, int]:
    """Deliver outbox messages by id (one SMTP connection for the batch)."""
    return delivery.deliver(message_ids)


def dispatch_committed_mail() -> None:
    """Enqueue delivery of the messages committed in this context; on failure the relay retries."""
    ids = outbox.committed_message_ids()
    for start in range(0, len(ids), RELAY_BATCH):
        batch = ids[start : start + RELAY_BATCH]
        try:
            enqueue(deliver_emails, batch, queue="emails")
        except Exception:  # noqa: BLE001 - the rows are committed; the relay will pick them up
            log.warning(
                "outbox: could not enqueue delivery of %s; the relay will retry", batch, exc_info=True
            )


def relay_outbox() -> int:
    """Re-enqueue messages whose delivery was lost, delayed for retry, or abandoned; return how many."""
    release_held_campaign_mail()
    failed = outbox.fail_abandoned()
    if failed:
        log.error("outbox relay: %d message(s) failed: every attempt's worker died", failed)
    ids = outbox.due_for_relay()
    for start in range(0, len(ids), RELAY_BATCH):
        batch = ids[start : start + RELAY_BATCH]
        outbox.mark_enqueued(batch)
        enqueue(deliver_emails, batch, queue="emails")
    if ids:
        log.info("outbox relay: re-enqueued %d message(s)", len(ids))
    return len(ids)


def run_daily_maintenance(on_batch: Callable[[int], None] | None = None) -> dict[str, int]:
    """The daily work: purges, dormancy, old e-mails, unverified signups, re-join hashes, stale asks."""
    from jobs.breach import finish_breach_notices  # jobs.breach hands mail over through this module

    counts = purge_expired(on_batch=on_batch)
    for name, count in (
        ("dormancy_notice", send_notices()),
        ("dormant", separate_inactive()),
        ("outbox", outbox.purge_finished()),
        ("unverified_signup", purge_unverified()),
        ("withdrawn_address", forget_old_withdrawals()),
        ("throttle_counter", throttle.purge_ended()),
        ("expired_ask", expire_asks()),
        ("complaint_closed", close_quiet_answered()),
        ("marketing_reminder", send_reminders()),
        ("campaign_resumed", resume_stalled_campaigns()),
        ("policy_notice_resumed", resume_policy_notices()),
        ("breach_notice_mail", finish_breach_notices()),
    ):
        if count:
            counts[name] = count
    return counts
