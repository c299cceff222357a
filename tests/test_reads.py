"""Reads on the held connection: autocommit, one plan per statement text, retried once, adopted objects."""

import gc
import threading
from datetime import date

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError

from extensions import db
from models import AccessLog, Member, MemberSession
from services import directory, reads
from services.auth import _SIGNED_IN
from tests.conftest import BACKENDS

ON_POSTGRESQL_ONLY = pytest.mark.parametrize("backend", [BACKENDS[1]])


@ON_POSTGRESQL_ONLY
def test_the_held_connection_is_autocommit_and_plans_each_statement_once(app):
    with app.app_context():
        held = reads.held_connection()
        assert held.connection.dbapi_connection.autocommit is True
        assert held.exec_driver_sql("SHOW plan_cache_mode").scalar() == "force_generic_plan"
        assert reads.held_connection() is held  # kept for the next request


@ON_POSTGRESQL_ONLY
def test_a_read_on_a_dropped_connection_is_sent_again_on_a_new_one(app):
    with app.app_context():
        held = reads.held_connection()
        held.connection.dbapi_connection.close()  # as if the server had gone away since the last read
        assert reads.read(select(text("1"))).scalar() == 1
        assert reads.held_connection() is not held


def statements_of(app, call) -> list[str]:
    with app.app_context():
        engine = db.engine
    seen = []

    def record(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with app.test_request_context("/ko/"):
            call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_the_directory_writes_its_codes_and_page_size_into_the_statement(app):
    asked = directory.Filters(region="jeonnam", specialty="pet", day=date(2027, 3, 2), max_price=50_000)
    [sql] = [sql for sql in statements_of(app, lambda: directory.search(asked)) if sql.startswith("SELECT")]
    size = app.config["DIRECTORY_PAGE_SIZE"] + 1
    # The values that change the best plan are in the text; the rest stay parameters.
    assert "'jeonnam'" in sql and "'pet'" in sql and f"LIMIT {size}" in sql
    assert "50000" not in sql and "2027-03-02" not in sql


def test_adopted_rows_are_the_sessions_own_objects(app, make_member):
    member_id = make_member()
    with app.app_context():
        key_hash = "k" * 64
        db.session.add(MemberSession(member_id=member_id, key_hash=key_hash, device="test"))
        db.session.commit()
        db.session.remove()
        row = reads.read(_SIGNED_IN, {"member_id": member_id, "key_hash": key_hash}).first()
        member = reads.adopt(Member, row, "m_")
        assert db.session.get(Member, member_id) is member  # the identity map holds it: no second copy
        assert reads.adopt(Member, row, "m_") is member
        member.name = "고친 이름"
        db.session.commit()
        db.session.remove()
        assert db.session.get(Member, member_id).name == "고친 이름"  # its changes were flushed


@ON_POSTGRESQL_ONLY
@pytest.mark.parametrize(
    "app_overrides",
    [
        {
            "SQLALCHEMY_ENGINE_OPTIONS": {
                "pool_pre_ping": True,
                "pool_size": 2,
                "max_overflow": 0,
                "pool_timeout": 2,
            }
        }
    ],
)
def test_a_thread_per_request_never_runs_the_pool_dry(app, client):
    """werkzeug's threaded server (the drills', `flask run`) starts a thread for each request."""
    answers = []

    def one_request() -> None:
        answers.append(client.get("/ko/boards/").status_code)

    collecting = gc.isenabled()
    gc.disable()  # each connection must go back with its thread, not when the collector happens to run
    try:
        for _ in range(20):
            thread = threading.Thread(target=one_request)
            thread.start()
            thread.join()
    finally:
        if collecting:
            gc.enable()
    assert answers == [200] * 20
    with app.app_context():
        assert db.engine.pool.checkedout() == 0
        # Every visit was written: none waited in vain for a connection a finished thread still held.
        assert db.session.scalar(select(func.count()).select_from(AccessLog)) == 20


@ON_POSTGRESQL_ONLY
def test_a_failed_statement_keeps_the_held_connection(app):
    with app.app_context():
        held = reads.held_connection()
        with pytest.raises(DBAPIError):
            reads.read(text("SELECT 1 / 0"))
        assert reads.held_connection() is held  # the statement failed, not the connection
        assert reads.read(select(text("2"))).scalar() == 2
