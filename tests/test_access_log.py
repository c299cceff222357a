"""The access log: every visit committed before the page leaves, cheaply, and surviving a lost connection."""

import pytest
from sqlalchemy import event, func, select

from extensions import db
from models import AccessLog
from services import reads
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
    reads._held.connection.invalidate()  # as if the server had dropped it
    assert client.get("/ko/boards/").status_code == 200  # the page never breaks for its log line
    assert client.get("/ko/boards/").status_code == 200
    assert visits(app) == 3
