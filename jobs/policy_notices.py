"""Jobs that e-mail members about an important policy change (SPEC §12)."""

import logging

from flask import current_app

from extensions import db
from jobs import enqueue
from services import policy_notices

log = logging.getLogger(__name__)


def _hand_to_delivery() -> None:
    # Imported here: jobs.tasks runs resume_policy_notices from its daily maintenance.
    from jobs.tasks import dispatch_committed_mail

    dispatch_committed_mail()


def send_policy_notice(version_id: int) -> int:
    """E-mail every active member about an important change, batch by batch; safe to run twice."""
    return policy_notices.notify_members(
        version_id, current_app.config["FANOUT_BATCH_SIZE"], after_batch=_hand_to_delivery
    )


def start_policy_notice(version_id: int) -> None:
    """Queue the member e-mails of a just-announced change; should that fail, the daily run resumes them."""
    try:
        enqueue(send_policy_notice, version_id, queue="emails")
    except Exception:  # noqa: BLE001 - the version is announced; resume_policy_notices finishes the e-mails
        db.session.rollback()  # in-process, a failed batch leaves its uncommitted rows behind
        log.exception(
            "could not start the member notice of policy version id %s; the daily run resumes it", version_id
        )


def resume_policy_notices() -> int:
    """Restart the member e-mails of important changes a killed run left unfinished; return how many."""
    ids = policy_notices.unfinished_notices()
    for version_id in ids:
        log.info("resuming the member notice of policy version id %s", version_id)
        enqueue(send_policy_notice, version_id, queue="emails")
    return len(ids)
