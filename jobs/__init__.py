"""The RQ layer: one enqueue seam, one queue per purpose, jobs that take ids and can run twice.

Without REDIS_URL (the embedded default) a job runs in-process at once; with it,
the job goes to RQ and a `flask jobs worker` runs it.
"""

import logging
from collections.abc import Callable

from flask import Flask, current_app
from redis import Redis

log = logging.getLogger(__name__)

QUEUES = ("emails", "purge", "default")
JOB_TIMEOUT_SECONDS = 30 * 60


def redis_connection() -> Redis:
    """The app's Redis client for REDIS_URL (one connection pool per app and URL)."""
    url = current_app.config["REDIS_URL"]
    clients = current_app.extensions.setdefault("usnaper_redis", {})
    if url not in clients:
        clients[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=30)
    return clients[url]


def enqueue(func: Callable, *args, queue: str = "default") -> None:
    """Run func(*args) through RQ's queue, or in-process when no Redis is configured."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    if not current_app.config.get("REDIS_URL"):
        func(*args)
        return
    from rq import Queue

    Queue(queue, connection=redis_connection()).enqueue(func, *args, job_timeout=JOB_TIMEOUT_SECONDS)


def init_app(app: Flask) -> None:
    """Hand committed outbox messages to delivery when each request or command ends."""
    from jobs.tasks import dispatch_committed_mail

    # Registered after Flask-SQLAlchemy, so it runs before the session is removed.
    @app.teardown_appcontext
    def _dispatch(_exc: BaseException | None) -> None:
        from extensions import db

        if not db.session.registry.has():
            return  # the context never used the ORM: nothing to abandon, no mail committed
        # Whatever the request left uncommitted is abandoned, never committed by delivery.
        db.session.rollback()
        dispatch_committed_mail()
