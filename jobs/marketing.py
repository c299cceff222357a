"""Marketing jobs: a campaign's fan-out, the morning release of held messages, resuming a dead fan-out."""

import logging

from sqlalchemy.exc import IntegrityError

from extensions import db
from jobs import enqueue
from services import marketing
from services.marketing_delivery import release_held

log = logging.getLogger(__name__)

# Two workers racing on one batch can collide on a delivery row; the loser re-reads the cursor.
FAN_OUT_ATTEMPTS = 3


def _hand_over_mail() -> None:
    # jobs.tasks imports this module, so its helper is looked up when first needed.
    from jobs.tasks import dispatch_committed_mail

    dispatch_committed_mail()


def send_campaign(campaign_id: int) -> int:
    """Send a campaign to its consenting members, batch by batch; safe to run twice."""
    for _ in range(FAN_OUT_ATTEMPTS):
        try:
            return marketing.send(campaign_id, after_batch=_hand_over_mail)
        except IntegrityError:
            db.session.rollback()
            log.info("campaign %s: a batch was taken by another worker; carrying on", campaign_id)
    return 0


def release_held_campaign_mail() -> int:
    """Queue the campaign messages held overnight whose morning has come (run by the relay)."""
    queued = release_held()
    if queued:
        _hand_over_mail()
        log.info("marketing: released %d message(s) held for the morning", queued)
    return queued


def resume_stalled_campaigns() -> int:
    """Start again the fan-out of campaigns left 'sending' by a worker that died; return how many."""
    stalled = marketing.stalled_campaign_ids()
    for campaign_id in stalled:
        log.warning("campaign %s is still sending long after it started: resuming it", campaign_id)
        enqueue(send_campaign, campaign_id, queue="emails")
    return len(stalled)
