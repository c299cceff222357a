"""The daily purge: every record past its retain_until is deleted, batch by batch."""

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, func, select

from extensions import db
from models.access_log import AccessLog
from models.complaint import Complaint
from models.marketing import CampaignDelivery
from models.privacy_office import AuditReview, RoleChange, StaffAccess
from models.retention import RetentionRecord
from services.clock import now_utc

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetainedTable:
    """A table whose rows carry retain_until, and the retention category they are kept under."""

    model: type
    category: str | None  # None: each row names its own category (retention storage)
    created: str  # the column that says when a row was made

    @property
    def created_column(self):
        return getattr(self.model, self.created)


# Every table the purge empties; the retention dashboard reads the same list.
RETAINED_TABLES = (
    RetainedTable(RetentionRecord, None, "created_at"),
    RetainedTable(AccessLog, "access_log", "occurred_at"),
    RetainedTable(StaffAccess, "staff_access_log", "occurred_at"),
    RetainedTable(RoleChange, "staff_access_log", "occurred_at"),
    RetainedTable(AuditReview, "staff_access_log", "reviewed_at"),
    RetainedTable(Complaint, "complaint", "created_at"),
    RetainedTable(CampaignDelivery, "advertising", "created_at"),
)


def _expired(model, now: datetime):
    return model.retain_until <= now


def count_expired(now: datetime | None = None) -> int:
    """How many records the purge would delete now (for a progress bar)."""
    now = now or now_utc()
    return sum(
        db.session.scalar(select(func.count()).select_from(table.model).where(_expired(table.model, now)))
        or 0
        for table in RETAINED_TABLES
    )


def _purge_table(table: RetainedTable, now: datetime, batch_size: int, on_batch) -> Counter[str]:
    """Empty one table of its expired rows: one DELETE ... RETURNING and one commit per batch.

    The batch is chosen inside the DELETE: the lowest expired ids past the last
    batch's highest (a keyset, so no batch walks again over the index entries its
    predecessors left dead). Only the ids and, where rows name their own category,
    the categories come back. What a killed run committed is gone; the rest is
    found again by the next run.
    """
    model = table.model
    own_category = table.category is None
    returned = (model.id, model.category) if own_category else (model.id,)
    counts: Counter[str] = Counter()
    last_id = 0
    while True:
        batch = (
            select(model.id)
            .where(_expired(model, now), model.id > last_id)
            .order_by(model.id)
            .limit(batch_size)
            .scalar_subquery()
        )
        rows = db.session.execute(
            delete(model)
            .where(model.id.in_(batch))
            .returning(*returned)
            .execution_options(synchronize_session=False)
        ).all()
        db.session.commit()
        if not rows:
            break
        last_id = max(row[0] for row in rows)
        if own_category:
            counts.update(row[1] for row in rows)
        else:
            counts[table.category] += len(rows)
        if on_batch:
            on_batch(len(rows))
    return counts


def purge_expired(
    now: datetime | None = None,
    batch_size: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Delete every record past its retain_until in every retained table; return counts per category.

    One transaction per batch of ids keeps memory flat and lets a killed run be
    re-run: what was committed is gone, the rest is found again next time.
    """
    now = now or now_utc()
    batch_size = batch_size or current_app.config["PURGE_BATCH_SIZE"]
    counts: Counter[str] = Counter()
    for table in RETAINED_TABLES:
        counts.update(_purge_table(table, now, batch_size, on_batch))
    for category, count in sorted(counts.items()):
        log.info("purge: deleted %d %s record(s)", count, category)
    return dict(counts)
