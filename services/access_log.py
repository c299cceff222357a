"""Site visit records: time, path, status, member id or none, and a keyed hash of the address."""

import logging
from datetime import datetime

from sqlalchemy import insert

from extensions import db
from models.access_log import AccessLog
from services import reads
from services.clock import now_utc
from services.keys import keyed_hash
from services.retention_store import retain_until

log = logging.getLogger(__name__)

# Visits go out on the connection reads hold (services.reads): committed before the response
# leaves, in one round trip, with no pool checkout, ping, BEGIN or COMMIT of their own. The law keeps
# every visit, so there is no buffer that a crash could lose.

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
    if not reads.holds_connections():
        # SQLite (development, tests): its pool may hand the session's own connection back, which an
        # autocommit switch would change under the request; a short transaction of its own instead.
        with db.engine.begin() as connection:
            connection.execute(statement, rows)
        return
    try:
        reads.held_connection().execute(statement, rows)
    except Exception:
        reads.drop_held()  # a broken connection is replaced on the next visit; this one goes up to the caller
        raise
