"""The daily purge: every record past its retain_until is deleted, batch by batch."""

import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, select

from extensions import db
from models.access_log import AccessLog
from models.retention import RetentionRecord
from services.clock import now_utc

log = logging.getLogger(__name__)


def _expired(model, now: datetime):
    return model.retain_until <= now


def count_expired(now: datetime | None = None) -> int:
    """How many records the purge would delete now (for a progress bar)."""
    now = now or now_utc()
    return sum(
        db.session.scalar(select(func.count()).select_from(model).where(_expired(model, now))) or 0
        for model in (RetentionRecord, AccessLog)
    )


def purge_expired(
    now: datetime | None = None,
    batch_size: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Delete every expired retention record and access record; return counts per category.

    One transaction per batch of ids keeps memory flat and lets a killed run be
    re-run: what was committed is gone, the rest is found again next time.
    """
    now = now or now_utc()
    batch_size = batch_size or current_app.config["PURGE_BATCH_SIZE"]
    counts: Counter[str] = Counter()
    while rows := db.session.execute(
        select(RetentionRecord.id, RetentionRecord.category)
        .where(_expired(RetentionRecord, now))
        .order_by(RetentionRecord.id)
        .limit(batch_size)
    ).all():
        db.session.execute(delete(RetentionRecord).where(RetentionRecord.id.in_([row.id for row in rows])))
        db.session.commit()
        counts.update(row.category for row in rows)
        if on_batch:
            on_batch(len(rows))
    while ids := db.session.scalars(
        select(AccessLog.id).where(_expired(AccessLog, now)).order_by(AccessLog.id).limit(batch_size)
    ).all():
        db.session.execute(delete(AccessLog).where(AccessLog.id.in_(ids)))
        db.session.commit()
        counts["access_log"] += len(ids)
        if on_batch:
            on_batch(len(ids))
    for category, count in sorted(counts.items()):
        log.info("purge: deleted %d %s record(s)", count, category)
    return dict(counts)
