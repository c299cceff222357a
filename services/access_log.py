"""Site visit records: time, path, status, member id or none, and a keyed hash of the address."""

import logging
import os
import threading
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.engine import Connection

from extensions import db
from models.access_log import AccessLog
from services.clock import now_utc
from services.keys import keyed_hash
from services.retention_store import retain_until

log = logging.getLogger(__name__)

# One autocommit connection per worker thread, kept open between requests. A visit record is still
# written and committed before the response leaves (the law keeps every visit, so no buffer that a
# crash could lose), but in one round trip: no pool checkout with its ping, no BEGIN, no COMMIT.
_held = threading.local()
# One statement object for every visit, so SQLAlchemy compiles it once and reuses it.
_INSERT = insert(AccessLog)


def record_visit(method: str, path: str, status: int, member_id: int | None, address: str | None) -> None:
    """Write one access record, committed on its own, apart from whatever the request did."""
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
    statement, rows = _INSERT, [row]
    if db.engine.dialect.name != "postgresql":
        # SQLite (development, tests): its pool may hand the session's own connection back, which an
        # autocommit switch would change under the request; a short transaction of its own instead.
        with db.engine.begin() as connection:
            connection.execute(statement, rows)
        return
    try:
        _autocommit_connection().execute(statement, rows)
    except Exception:
        _drop_held()  # a broken connection is replaced on the next visit; this one goes up to the caller
        raise


def _autocommit_connection() -> Connection:
    """This thread's autocommit connection to the main database, opened again after a fork or a failure."""
    engine = db.engine
    held = getattr(_held, "connection", None)
    if held is None or _held.pid != os.getpid() or _held.engine is not engine or held.invalidated:
        if held is not None and _held.pid == os.getpid():
            held.close()  # another app's engine (tests); after a fork the parent's socket is left alone
        held = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        _held.connection, _held.pid, _held.engine = held, os.getpid(), engine
    return held


def _drop_held() -> None:
    """Forget this thread's held connection (closing it if it still can be)."""
    held = getattr(_held, "connection", None)
    _held.connection = None
    if held is not None:
        try:
            held.invalidate()
        except Exception:  # noqa: BLE001 - already broken; the pool discards it either way
            log.debug("access log: held connection already gone", exc_info=True)
