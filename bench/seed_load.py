"""Bulk writing for the benchmark seed: COPY on PostgreSQL, executemany on SQLite, in batches."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from sqlalchemy import JSON, Connection, Date, text

from extensions import db
from models.types import UTCDateTime

BATCH = 10_000


class BulkWriter:
    """Buffers rows per table and writes each full batch in one statement on the open connection."""

    def __init__(
        self,
        connection: Connection,
        columns: dict[str, tuple[str, ...]],
        progress: Callable[[int], None],
        next_ids: dict[str, int],
    ):
        self.connection = connection
        # The next free id per table: generators take ids from here, so rows can refer to each other.
        self.next_ids = next_ids
        self.columns = columns
        self.progress = progress
        self.postgres = connection.dialect.name == "postgresql"
        self.buffers: dict[str, list[tuple]] = {table: [] for table in columns}
        self.written: dict[str, int] = dict.fromkeys(columns, 0)
        self._conversions: dict[str, list] = {}

    def add(self, table: str, row: tuple) -> None:
        """Queue one row (values in the order of the table's declared columns)."""
        buffer = self.buffers[table]
        buffer.append(row)
        if len(buffer) >= BATCH:
            self.flush(table)

    def flush(self, table: str | None = None) -> None:
        """Write what is buffered for one table, or for all of them."""
        for name in [table] if table else list(self.buffers):
            rows = self.buffers[name]
            if not rows:
                continue
            if self.postgres:
                self._copy(name, rows)
            else:
                self._executemany(name, rows)
            self.written[name] += len(rows)
            self.progress(len(rows))
            self.buffers[name] = []

    def _copy(self, table: str, rows: list[tuple]) -> None:
        cursor = self.connection.connection.driver_connection.cursor()
        names = ", ".join(self.columns[table])
        convert = self._converters(table)
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608  # nosec B608 - our table names
            for row in rows:
                copy.write_row(_converted(row, convert) if convert else row)

    def _executemany(self, table: str, rows: list[tuple]) -> None:
        names = self.columns[table]
        marks = ", ".join("?" for _ in names)
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608  # nosec B608
        convert = self._converters(table)
        self.connection.exec_driver_sql(sql, [_converted(row, convert) for row in rows] if convert else rows)

    def _converters(self, table: str) -> list[tuple[int, Callable]]:
        """Per column that needs it, how a Python value becomes what the driver is given."""
        found = self._conversions.get(table)
        if found is None:
            types = db.metadata.tables[table].c
            kinds = [_kind(types[name].type) for name in self.columns[table]]
            wanted = _PG if self.postgres else _SQLITE
            found = [(index, wanted[kind]) for index, kind in enumerate(kinds) if kind in wanted]
            self._conversions[table] = found
        return found


def _kind(column_type) -> str:
    if isinstance(column_type, UTCDateTime):
        return "datetime"
    if isinstance(column_type, JSON):
        return "json"
    if isinstance(column_type, Date):
        return "date"
    return "plain"


def _sqlite_datetime(value: datetime) -> str:
    # The text SQLAlchemy's SQLite DateTime stores (naive UTC, always with microseconds).
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


# JSON columns are plain json on PostgreSQL: COPY takes their text; SQLite stores text for all three.
_PG = {"json": json.dumps}
_SQLITE = {"json": json.dumps, "datetime": _sqlite_datetime, "date": date.isoformat}


def _converted(row: tuple, converters: list[tuple[int, Callable]]) -> tuple:
    values = list(row)
    for index, convert in converters:
        if values[index] is not None:
            values[index] = convert(values[index])
    return tuple(values)


def tune_for_load(connection: Connection) -> None:
    """Make this connection load fast: no fsync or FK triggers per row (the generator keeps FKs right)."""
    if connection.dialect.name == "sqlite":
        for pragma in ("synchronous=OFF", "journal_mode=MEMORY", "foreign_keys=OFF", "cache_size=-200000"):
            connection.exec_driver_sql(f"PRAGMA {pragma}")
    else:
        connection.execute(text("SET synchronous_commit = off"))
        # Skips the FK trigger of every copied row; needs a superuser, which the bench server is.
        connection.execute(text("SET session_replication_role = replica"))


def restore_after_load(connection: Connection) -> None:
    """Put back what tune_for_load changed that outlives the load."""
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    else:
        connection.execute(text("SET session_replication_role = DEFAULT"))


def reset_sequences(connection: Connection, tables: Iterable[str]) -> None:
    """After explicit ids, make PostgreSQL's next id follow the largest one loaded."""
    if connection.dialect.name != "postgresql":
        return  # SQLite's AUTOINCREMENT follows explicit ids by itself
    for table in tables:
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  # nosec B608
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def analyze(connection: Connection) -> None:
    """Fresh planner statistics for what was just loaded, and on PostgreSQL a vacuumed database.

    A live database has been through autovacuum, and its visibility map lets index-only scans
    skip the table; a freshly copied one has none until a vacuum runs, which a server with
    autovacuum off (this machine's) never does. The directory search served 377 req/s
    unvacuumed and 468 vacuumed on the same data, the other pages the same either way.
    """
    vacuum = connection.dialect.name == "postgresql"
    connection.exec_driver_sql("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
