"""Reachability of the services the site depends on, for /healthz."""

import logging

from flask import current_app
from sqlalchemy import text

from extensions import db

log = logging.getLogger(__name__)


def check_database() -> bool:
    """Whether a trivial query succeeds."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "unreachable"
        log.warning("health check: database unreachable", exc_info=True)
        db.session.rollback()
        return False


def check_redis(url: str) -> bool:
    """Whether Redis at url answers PING within a second."""
    from redis import Redis  # imported here: only needed when Redis is configured

    try:
        client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - any failure means "unreachable"
        log.warning("health check: redis unreachable", exc_info=True)
        return False


def health_report() -> tuple[bool, dict[str, str]]:
    """(healthy, {service: "ok" | "unreachable" | "not configured"})."""
    report = {"database": "ok" if check_database() else "unreachable"}
    redis_url = current_app.config.get("REDIS_URL")
    report["redis"] = ("ok" if check_redis(redis_url) else "unreachable") if redis_url else "not configured"
    healthy = all(value != "unreachable" for value in report.values())
    return healthy, report
