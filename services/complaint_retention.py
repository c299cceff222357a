"""Answered complaints close by themselves, so every complaint record starts its 3 years in the end."""

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from extensions import db
from models.complaint import Complaint
from services.clock import now_utc
from services.retention_store import retain_until

log = logging.getLogger(__name__)


def close_quiet_answered(now: datetime | None = None) -> int:
    """Close complaints answered COMPLAINT_CLOSE_AFTER_DAYS ago and not followed up since; return how many.

    Without this, an answer the officer never closed would keep its record for ever
    instead of the 3 years the policy states.
    """
    now = now or now_utc()
    cutoff = now - timedelta(days=current_app.config["COMPLAINT_CLOSE_AFTER_DAYS"])
    result = db.session.execute(
        update(Complaint)
        .where(Complaint.status == "answered", Complaint.answered_at <= cutoff)
        .values(status="closed", closed_at=now, retain_until=retain_until("complaint", now))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount:
        log.info("closed %d complaint(s) answered and quiet since %s", result.rowcount, cutoff.date())
    return result.rowcount
