"""Reads for the busiest pages, on a connection each worker thread holds open in autocommit.

A page that only reads gains nothing from a transaction, yet on PostgreSQL the request's session
would check a connection out of the pool (and ping it), BEGIN, and ROLLBACK at the end: about
0.4 ms of CPU a request, more than the page's own statements (bench.profiling). Statements sent
here skip all of that; each one sees what was committed when it ran, as under READ COMMITTED.
The access log writes its visits on the same connection.

SQLite (development and tests) reads through the request's session instead: its pool may hand
the session's own connection back, and an autocommit switch would change it under the request.
"""

import contextlib
import logging
import os
import threading

from flask import g
from sqlalchemy import BindParameter, Executable, Integer, bindparam, inspect
from sqlalchemy.engine import Connection, Result
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import make_transient_to_detached

from extensions import ADOPTED, db

log = logging.getLogger(__name__)

_held = threading.local()

# The statements sent here have a fixed shape and are prepared by psycopg after a few runs; left
# to itself PostgreSQL planned the directory search anew on every run (2.5 ms, four times its
# execution). One plan per statement text is right when every parameter that changes the best
# plan is written into the text instead (a LIMIT: literal_limit(); the directory's codes): check a
# new statement's generic plan (PREPARE, then EXPLAIN ANALYZE EXECUTE) before reading it here.
GENERIC_PLANS = "SET plan_cache_mode = force_generic_plan"


def holds_connections() -> bool:
    """Whether reads and visits go through a held autocommit connection (PostgreSQL) or the session."""
    return db.engine.dialect.name == "postgresql"


def read(statement: Executable, params: dict | None = None) -> Result:
    """Run a read-only statement: on the held connection (PostgreSQL) or the request's session.

    A connection the server dropped since the last request is replaced and the read sent again
    once: a read is safe to repeat, and the visitor should not see an error for an idle socket.
    """
    if not holds_connections():
        return db.session.execute(statement, params)
    try:
        return held_connection().execute(statement, params)
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise  # the statement failed, not the connection: it stays held
        drop_held()
        log.info("reads: the held connection was lost; reading again on a new one")
        return held_connection().execute(statement, params)


def literal_limit(name: str = "limit") -> BindParameter:
    """A LIMIT written into the statement's text, not sent as a parameter.

    psycopg prepares a statement after a few runs, and PostgreSQL may then plan it once for any
    parameters: not knowing the LIMIT, it planned for many rows, a parallel scan that cost 20-40 ms
    where the custom plan took 0.6 ms (the directory search, EXPLAIN ANALYZE on 100k photographers).
    A page size takes few values, so each gets its own prepared statement.
    """
    return bindparam(name, type_=Integer, literal_execute=True)


class _Slot:
    """One thread's held connection, given back to the pool the moment the thread ends.

    A thread's locals are released when it ends, but a connection sits in reference cycles that
    only the garbage collector frees, so a server that starts a thread per request (werkzeug's)
    ran the pool dry between collections. A slot is in no cycle: it goes at once, and closes
    (returns) its connection as it goes.
    """

    __slots__ = ("connection", "engine", "pid")

    def __init__(self, connection: Connection, engine) -> None:
        self.connection, self.engine, self.pid = connection, engine, os.getpid()

    def __del__(self) -> None:
        if self.pid != os.getpid():
            return  # a forked child leaves its parent's socket alone
        with contextlib.suppress(Exception):  # at a thread's end there is no one to tell
            self.connection.close()


def held_connection() -> Connection:
    """This thread's autocommit connection to the main database, opened again after a fork or a loss."""
    engine = db.engine
    slot = getattr(_held, "slot", None)
    if slot is None or slot.pid != os.getpid() or slot.engine is not engine or slot.connection.invalidated:
        connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        connection.exec_driver_sql(GENERIC_PLANS)
        _held.slot = _Slot(connection, engine)  # the old slot, if any, gives its connection back
    return _held.slot.connection


def drop_held() -> None:
    """Forget this thread's held connection (invalidating it if it still can be)."""
    slot = _held.__dict__.pop("slot", None)
    if slot is not None:
        try:
            slot.connection.invalidate()
        except Exception:  # noqa: BLE001 - already broken; the pool discards it either way
            log.debug("reads: held connection already gone", exc_info=True)


def columns_of(model: type, prefix: str) -> list:
    """The model's table columns, labelled prefix + attribute name, to read a row that adopt() can take."""
    mapper = inspect(model)
    return [column.label(prefix + mapper.get_property_by_column(column).key) for column in mapper.columns]


def adopt(model: type, row, prefix: str):
    """An ORM object for a row read with columns_of(), in the request's session as though it had loaded it.

    Later changes to it are flushed as usual; its attributes expire at the session's next commit or
    rollback and are then loaded again, exactly as for an object the session queried itself. While
    the request has no session yet, the object waits in g and the session takes it when it starts
    (extensions.SiteSession): a page that reads only through here never makes one.
    """
    mapper = inspect(model)
    fields = row._mapping
    values = {prop.key: fields[prefix + prop.key] for prop in mapper.column_attrs}
    started = db.session.registry.has()
    if started:
        key = [values[mapper.get_property_by_column(column).key] for column in mapper.primary_key]
        present = db.session.identity_map.get(mapper.identity_key_from_primary_key(key))
        if present is not None:
            return present  # the session already holds it, perhaps changed: never overwrite that
    instance = model(**values)
    make_transient_to_detached(instance)
    if started:
        db.session.add(instance)
    else:
        g.setdefault(ADOPTED, []).append(instance)
    return instance
