"""The daily purge: every record past its retain_until is deleted, batch by batch."""

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import any_, bindparam, delete, exists, func, literal, select

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

    @property
    def table(self):
        """The model's Table, for Core statements that need no ORM."""
        return self.model.__table__


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


def _tables_due(now: datetime) -> list[RetainedTable]:
    """The retained tables holding anything past its date, asked in one statement.

    A table with nothing due then costs no DELETE, commit or statement compile of its own.
    """
    due = select(*(exists().where(table.table.c.retain_until <= now) for table in RETAINED_TABLES))
    flags = db.session.execute(due).one()
    return [table for table, flag in zip(RETAINED_TABLES, flags, strict=True) if flag]


def _delete_batch(table: RetainedTable, batch_size: int, on_postgresql: bool):
    """One batch's DELETE: the lowest expired ids past :last_id; rows of (category, count, highest id).

    A plain Core statement on the table: the ORM's bulk-delete machinery would
    only cost time here (and configure every mapper on a cold start).
    """
    rows = table.table
    chosen = (
        select(rows.c.id)
        .where(rows.c.retain_until <= bindparam("now"), rows.c.id > bindparam("last_id"))
        .order_by(rows.c.id)
        .limit(batch_size)
        .scalar_subquery()
    )
    category = rows.c.category if table.category is None else literal(table.category)
    if on_postgresql:
        # `id IN (SELECT ...)` is planned as a hash join over a scan of the whole table, once per
        # batch; `id = ANY(ARRAY(SELECT ...))` finds the ids first and deletes by primary key.
        # The server sums up what it deleted: one row back per category, not one per record.
        gone = (
            delete(rows)
            .where(rows.c.id == any_(func.array(chosen)))
            .returning(rows.c.id, category.label("category"))
            .cte("gone")
        )
        return select(gone.c.category, func.count(), func.max(gone.c.id)).group_by(gone.c.category)
    # SQLite has no DELETE inside WITH: a row back per record, in the same shape.
    return delete(rows).where(rows.c.id.in_(chosen)).returning(category, literal(1), rows.c.id)


def _purge_table(table: RetainedTable, now: datetime, batch_size: int, on_batch) -> Counter[str]:
    """Empty one table of its expired rows: one DELETE and one commit per batch.

    Each batch starts past the last batch's highest id (a keyset, so no batch
    walks again over the index entries its predecessors left dead), and a batch
    short of the limit was the last: `now` is fixed, so nothing behind it can
    fall due. What a killed run committed is gone; the rest is found again by
    the next run.
    """
    statement = _delete_batch(table, batch_size, db.engine.dialect.name == "postgresql")
    counts: Counter[str] = Counter()
    last_id = 0
    while True:
        summary = db.session.execute(statement, {"now": now, "last_id": last_id}).all()
        db.session.commit()
        deleted = 0
        for category, count, highest in summary:
            counts[category] += count
            deleted += count
            last_id = max(last_id, highest)
        if deleted and on_batch:
            on_batch(deleted)
        if deleted < batch_size:
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
    due = _tables_due(now)
    if not due:
        db.session.commit()  # end the read; otherwise the first batch's commit ends it
    for table in due:
        counts.update(_purge_table(table, now, batch_size, on_batch))
    for category, count in sorted(counts.items()):
        log.info("purge: deleted %d %s record(s)", count, category)
    return dict(counts)
