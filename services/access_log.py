"""Site visit records: time, path, status, member id or none, and a keyed hash of the address."""

from datetime import datetime

from sqlalchemy import insert

from extensions import db
from models.access_log import AccessLog
from services.clock import now_utc
from services.keys import keyed_hash
from services.retention_store import retain_until


def record_visit(method: str, path: str, status: int, member_id: int | None, address: str | None) -> None:
    """Write one access record in its own transaction, apart from whatever the request did."""
    occurred: datetime = now_utc()
    with db.engine.begin() as connection:
        connection.execute(
            insert(AccessLog).values(
                occurred_at=occurred,
                method=method[:8],
                path=path[:300],
                status=status,
                member_id=member_id,
                ip_hash=keyed_hash(address or "", "access-log-ip"),
                retain_until=retain_until("access_log", occurred),
            )
        )
