"""The daily purge: every record past its retain_until is deleted, batch by batch."""

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, delete, func, literal, select, text
from sqlalchemy.engine import Connection

from extensions import db
from models.access_log import AccessLog
from models.complaint import Complaint
from models.marketing import CampaignDelivery
from models.privacy_office import AuditReview, RoleChange, StaffAccess
from models.retention import RetentionRecord
from models.types import UTCDateTime
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


# Fixed SQL over the tables above (names of ours, never input): a batch job runs each statement a
# handful of times per process, and compiling the same Core statements cost it more than a third
# of its time at 10k records (services.purge under bench purge, 7-8 ms of 45).
_ANY_DUE = "EXISTS (SELECT 1 FROM {name} WHERE retain_until <= :now)"
_DUE_SQL = ", ".join(_ANY_DUE.format(name=table.table.name) for table in RETAINED_TABLES)
_DUE = text(f"SELECT {_DUE_SQL}").bindparams(bindparam("now", type_=UTCDateTime))
# One batch on PostgreSQL: `id IN (SELECT ...)` was planned as a hash join over a scan of the whole
# table, once per batch; `id = ANY(ARRAY(SELECT ...))` finds the ids first and deletes by primary
# key. The server sums up what it deleted: a row back per category, not one per record.
_BATCH_ON_POSTGRESQL = (
    "WITH gone AS (DELETE FROM {name} WHERE id = ANY(ARRAY(SELECT id FROM {name} "
    "WHERE retain_until <= :now AND id > :last_id ORDER BY id LIMIT {limit})) "
    "RETURNING id, {category} AS category) "
    "SELECT category, count(*), max(id) FROM gone GROUP BY category"
)


def _tables_due(connection: Connection, now: datetime) -> list[RetainedTable]:
    """The retained tables holding anything past its date, asked in one statement.

    A table with nothing due then costs no DELETE, commit or statement compile of its own.
    """
    flags = connection.execute(_DUE, {"now": now}).one()
    return [table for table, flag in zip(RETAINED_TABLES, flags, strict=True) if flag]


def _delete_batch(table: RetainedTable, batch_size: int, on_postgresql: bool):
    """One batch's DELETE: the lowest expired ids past :last_id; rows of (category, count, highest id).

    A plain Core statement on the table: the ORM's bulk-delete machinery would
    only cost time here (and configure every mapper on a cold start).
    """
    rows = table.table
    if on_postgresql:
        kept_as = "category" if table.category is None else "CAST(:category AS VARCHAR)"
        sql = _BATCH_ON_POSTGRESQL.format(name=rows.name, limit=int(batch_size), category=kept_as)
        return text(sql).bindparams(
            bindparam("now", type_=UTCDateTime),
            *([] if table.category is None else [bindparam("category", table.category)]),
        )
    # SQLite has no DELETE inside WITH: a row back per record, in the same shape.
    chosen = (
        select(rows.c.id)
        .where(rows.c.retain_until <= bindparam("now"), rows.c.id > bindparam("last_id"))
        .order_by(rows.c.id)
        .limit(batch_size)
        .scalar_subquery()
    )
    category = rows.c.category if table.category is None else literal(table.category)
    return delete(rows).where(rows.c.id.in_(chosen)).returning(category, literal(1), rows.c.id)


def _purge_table(
    connection: Connection, table: RetainedTable, now: datetime, batch_size: int, on_batch
) -> Counter[str]:
    """Empty one table of its expired rows: one DELETE per batch, committed as it ends.

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
        # One statement, in autocommit: the batch commits as it ends, or none of it does.
        summary = connection.execute(statement, {"now": now, "last_id": last_id}).all()
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
    # One connection for the whole run, in autocommit: each batch is one DELETE, which commits as it
    # ends. The session would check a connection out (and ping it) for every batch, and BEGIN and
    # COMMIT would be two more round trips each.
    db.session.commit()  # end what the session had open (a read would hold SQLite's lock against us)
    with db.engine.connect() as plain:
        connection = plain.execution_options(isolation_level="AUTOCOMMIT")
        due = _tables_due(connection, now)
        for table in due:
            counts.update(_purge_table(connection, table, now, batch_size, on_batch))
    for category, count in sorted(counts.items()):
        log.info("purge: deleted %d %s record(s)", count, category)
    return dict(counts)
