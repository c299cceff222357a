"""The access log: written in batches or before the page leaves, surviving lost connections."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from extensions import db
from models import AccessLog
from services import access_log, reads
from tests.conftest import BACKENDS

# The held autocommit connection exists only on PostgreSQL: run these there alone, not skipped on SQLite.
ON_POSTGRESQL_ONLY = pytest.mark.parametrize("backend", [BACKENDS[1]])


def visits(app) -> int:
    """Access records committed so far, read in a fresh session."""
    with app.app_context():
        db.session.remove()
        return db.session.scalar(select(func.count()).select_from(AccessLog))


def test_every_visit_is_committed_before_the_response_leaves(app, client):
    for number in range(1, 4):
        assert client.get("/ko/boards/").status_code == 200
        assert visits(app) == number


@ON_POSTGRESQL_ONLY
def test_on_postgresql_a_visit_and_a_board_list_take_no_pool_checkout_and_no_transaction(app, client):
    client.get("/ko/boards/")  # opens the held connection
    with app.app_context():
        engine = db.engine
    checkouts, statements = [], []

    def checkout(*args) -> None:
        checkouts.append(1)

    def statement(conn, cursor, sql, *args) -> None:
        statements.append(sql)

    def commit(conn) -> None:
        statements.append("COMMIT")

    hooks = [("checkout", checkout), ("before_cursor_execute", statement), ("commit", commit)]
    for name, hook in hooks:
        event.listen(engine.pool if name == "checkout" else engine, name, hook)
    try:
        assert client.get("/ko/boards/").status_code == 200
    finally:
        for name, hook in hooks:
            event.remove(engine.pool if name == "checkout" else engine, name, hook)
    # The page reads on the held connection too (services.reads): nothing is checked out of the pool,
    # and the visit is one autocommitted INSERT.
    assert checkouts == []
    assert len([sql for sql in statements if "access_logs" in sql]) == 1
    assert "COMMIT" not in statements
    assert visits(app) == 2


@ON_POSTGRESQL_ONLY
def test_a_lost_connection_costs_one_record_at_most_and_is_replaced(app, client):
    client.get("/ko/boards/")
    reads._held.slot.connection.invalidate()  # as if the server had dropped it
    assert client.get("/ko/boards/").status_code == 200  # the page never breaks for its log line
    assert client.get("/ko/boards/").status_code == 200
    assert visits(app) == 3


BATCHED = {"ACCESS_LOG_BATCH": 3, "ACCESS_LOG_FLUSH_MS": 60_000}


@pytest.fixture
def pending():
    """The process's buffer, empty, and started afresh (timer included) by this test's first visit."""
    access_log._pending.take()
    access_log._pending.pid = None  # it outlives any one app: its timer would keep an earlier one's period
    yield access_log._pending
    access_log._pending.take()


@ON_POSTGRESQL_ONLY
@pytest.mark.parametrize("app_overrides", [BATCHED])
def test_visits_are_written_a_batch_at_a_time(app, client, pending):
    for _ in range(2):
        assert client.get("/ko/boards/").status_code == 200
    assert visits(app) == 0 and len(pending.rows) == 2
    client.get("/ko/boards/")  # the third fills the batch: one INSERT of three rows
    assert visits(app) == 3 and pending.rows == []


@ON_POSTGRESQL_ONLY
@pytest.mark.parametrize("app_overrides", [{"ACCESS_LOG_BATCH": 50, "ACCESS_LOG_FLUSH_MS": 0}])
def test_a_batch_is_also_due_when_its_oldest_visit_is_old_enough(app, client, pending):
    client.get("/ko/boards/")
    assert visits(app) == 1


@ON_POSTGRESQL_ONLY
@pytest.mark.parametrize("app_overrides", [{"ACCESS_LOG_BATCH": 50, "ACCESS_LOG_FLUSH_MS": 100}])
def test_an_idle_worker_writes_its_visits_on_the_timer(app, client, pending):
    client.get("/ko/boards/")
    assert visits(app) == 0
    deadline = time.monotonic() + 10  # a bound on the wait, not a speed: the timer runs every 50 ms
    while visits(app) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert visits(app) == 1


@ON_POSTGRESQL_ONLY
@pytest.mark.parametrize("app_overrides", [BATCHED])
def test_a_failed_write_keeps_its_visits_for_the_next_one(app, client, pending, monkeypatch):
    client.get("/ko/boards/")
    client.get("/ko/boards/")
    real = reads.held_connection

    def refused():
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(reads, "held_connection", refused)
    assert client.get("/ko/boards/").status_code == 200  # the page never breaks for its log lines
    assert len(pending.rows) == 3
    monkeypatch.setattr(reads, "held_connection", real)
    client.get("/ko/boards/")
    assert visits(app) == 4


@ON_POSTGRESQL_ONLY
@pytest.mark.parametrize("app_overrides", [BATCHED])
def test_a_forked_worker_never_writes_its_parents_visits(app, client, pending, monkeypatch):
    client.get("/ko/boards/")
    monkeypatch.setattr(access_log.os, "getpid", lambda: pending.pid + 1)  # as in a child after fork
    client.get("/ko/boards/")
    assert len(pending.rows) == 1  # the child holds only its own visit


EXITING_WORKER = """
import sys
from tests.support import build_app, config_for
app = build_app(config_for("postgresql", ACCESS_LOG_BATCH=50, ACCESS_LOG_FLUSH_MS=60_000))
client = app.test_client()
for _ in range(int(sys.argv[1])):
    assert client.get("/ko/boards/").status_code == 200
"""


@ON_POSTGRESQL_ONLY
def test_a_process_that_exits_writes_the_visits_it_holds(app):
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", EXITING_WORKER, "4"],
        cwd=root,
        env=os.environ,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert visits(app) == 4
