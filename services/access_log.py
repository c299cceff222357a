"""Site visit records: time, path, status, member id or none, and a keyed hash of the address.

A visit written on its own cost a round trip and a commit per page, a third of a busy page's
database work (bench/results). Each process now keeps its visits and writes them as one INSERT
when ACCESS_LOG_BATCH are waiting or the oldest is ACCESS_LOG_FLUSH_MS old; a timer thread writes
an idle worker's, and the rest are written when the process exits. What a hard kill (SIGKILL, a
power cut) takes is at most one batch of that process's visits, never anything of the site's data.
ACCESS_LOG_BATCH=1 writes each visit before its response leaves; SQLite always does.
"""

import atexit
import logging
import os
import threading
from datetime import datetime
from time import monotonic, sleep

from flask import Flask, current_app
from sqlalchemy import insert

from extensions import db
from models.access_log import AccessLog
from services import reads
from services.clock import now_utc
from services.keys import keyed_hash
from services.retention_store import retain_until

log = logging.getLogger(__name__)

# One statement object for every write, so SQLAlchemy compiles it once and reuses it.
_INSERT = insert(AccessLog)
# A write that failed keeps its rows for the next one, up to this many batches; then the oldest go.
_KEPT_BATCHES = 20


def record_visit(method: str, path: str, status: int, member_id: int | None, address: str | None) -> None:
    """Record one visit: written now, or with the next batch of this process."""
    occurred: datetime = now_utc()
    row = {
        "occurred_at": occurred,
        "method": method[:8],
        "path": path[:300],
        "status": status,
        "member_id": member_id,
        "ip_hash": keyed_hash(address or "", "access-log-ip"),
        "retain_until": retain_until("access_log", occurred),
    }
    cfg = current_app.config
    if cfg["ACCESS_LOG_BATCH"] <= 1 or not reads.holds_connections():
        _write([row])
    elif _pending.keep(row, current_app._get_current_object()):
        flush_visits()


def flush_visits() -> int:
    """Write the visits this process is holding; returns how many were written."""
    rows = _pending.take()
    if not rows:
        return 0
    try:
        _write(rows)
    except Exception:
        _pending.give_back(rows, current_app.config["ACCESS_LOG_BATCH"] * _KEPT_BATCHES)
        raise
    return len(rows)


def _write(rows: list[dict]) -> None:
    """Insert rows in one statement, committed on their own, apart from whatever the request did."""
    if not reads.holds_connections():
        # SQLite (development, tests): its pool may hand the session's own connection back, which an
        # autocommit switch would change under the request; a short transaction of its own instead.
        with db.engine.begin() as connection:
            connection.execute(_INSERT, rows)
        return
    try:
        reads.held_connection().execute(_INSERT, rows)
    except Exception:
        reads.drop_held()  # a broken connection is replaced on the next write; this error goes up
        raise


class _Pending:
    """This process's visits not yet written, and the timer that writes them when nobody visits."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.rows: list[dict] = []
        self.oldest: float | None = None
        self.pid: int | None = None
        self.app: Flask | None = None  # the app of the latest visit: the timer writes with it
        self.timer: threading.Thread | None = None

    def keep(self, row: dict, app: Flask) -> bool:
        """Hold row; whether a batch is due (full, or its oldest row old enough)."""
        cfg = app.config
        with self.lock:
            if self.pid != os.getpid():
                self._start()  # first visit of this process (a forked worker starts with none)
            self.app = app
            self.rows.append(row)
            if self.oldest is None:
                self.oldest = monotonic()
            return (
                len(self.rows) >= cfg["ACCESS_LOG_BATCH"] or self._age() * 1000 >= cfg["ACCESS_LOG_FLUSH_MS"]
            )

    def take(self) -> list[dict]:
        with self.lock:
            rows, self.rows, self.oldest = self.rows, [], None
        return rows

    def give_back(self, rows: list[dict], most: int) -> None:
        with self.lock:
            self.rows = (rows + self.rows)[-most:]
            self.oldest = monotonic() if self.rows else None

    def due(self, flush_ms: int) -> bool:
        with self.lock:
            return bool(self.rows) and self._age() * 1000 >= flush_ms

    def _age(self) -> float:
        return 0.0 if self.oldest is None else monotonic() - self.oldest

    def _start(self) -> None:
        self.pid, self.rows, self.oldest = os.getpid(), [], None
        self.timer = threading.Thread(target=self._write_when_idle, name="access-log", daemon=True)
        self.timer.start()
        atexit.register(self.write_at_exit)

    def _write_when_idle(self) -> None:
        pid, me = os.getpid(), threading.current_thread()
        while os.getpid() == pid and self.timer is me:  # a newer start of this buffer retires it
            app = self.app
            flush_ms = app.config["ACCESS_LOG_FLUSH_MS"] if app else 1000
            sleep(max(flush_ms, 20) / 2000)
            if app is not None and self.due(flush_ms):
                _write_in(app, "timer")

    def write_at_exit(self) -> None:
        if self.pid == os.getpid() and self.app is not None:
            _write_in(self.app, "exit")


def _write_in(app: Flask, when: str) -> None:
    """Flush from outside a request (the timer, the exit hook), logging instead of raising."""
    try:
        with app.app_context():
            flush_visits()
    except Exception:  # noqa: BLE001 - kept for the next attempt; a logging failure never stops the site
        log.warning("access log: could not write visits (%s)", when, exc_info=True)


_pending = _Pending()
