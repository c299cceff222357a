"""Retention storage and the daily purge: nothing kept past its date, nothing purged early."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, insert, select, text
from sqlalchemy.exc import DBAPIError

from extensions import db
from models import AccessLog, RetentionRecord
from services.clock import SEOUL, now_utc
from services.keys import keyed_hash
from services.purge import purge_expired
from services.retention_store import keep, retain_until, subject_key


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_kept_record_holds_a_pseudonym_and_its_purge_date(app):
    created = datetime(2026, 8, 31, 9, 30, tzinfo=UTC)
    with app.app_context():
        record = keep("complaint", "Member@Example.com", {"complaint_id": 7}, now=created)
        db.session.commit()
        # 09:30 UTC is 18:30 on 31 August in Seoul: gone at the start of 31 August 2029 there.
        assert record.retain_until == datetime(2029, 8, 31, tzinfo=SEOUL)
        assert record.subject_key == keyed_hash("member@example.com", "retention-subject", length=64)
        assert record.subject_key == subject_key(" MEMBER@example.com")
        assert retain_until("advertising", created) == datetime(2027, 2, 28, tzinfo=SEOUL)
        late_evening = datetime(2026, 8, 31, 16, 0, tzinfo=UTC)  # already 1 September in Seoul
        assert retain_until("advertising", late_evening) == datetime(2027, 3, 1, tzinfo=SEOUL)
        with pytest.raises(ValueError, match="unknown retention category"):
            retain_until("forever", created)


def test_purge_boundary_one_second_either_side(app):
    with app.app_context():
        record = keep("illegal_use", "someone", {}, now=datetime(2020, 1, 1, tzinfo=UTC))
        db.session.commit()
        deadline = record.retain_until
        assert purge_expired(now=deadline - timedelta(seconds=1)) == {}
        assert count(RetentionRecord) == 1
        assert purge_expired(now=deadline + timedelta(seconds=1)) == {"illegal_use": 1}
        assert count(RetentionRecord) == 0


def test_purge_works_in_batches_and_keeps_what_is_not_due(app):
    now = now_utc()
    with app.app_context():
        for index in range(10):
            keep("contract" if index % 2 else "advertising", f"s{index}", {}, now=now - timedelta(days=4000))
        for index in range(5):
            keep("contract", f"keep{index}", {}, now=now - timedelta(days=10))
        db.session.commit()
        batches = []
        counts = purge_expired(now=now, batch_size=3, on_batch=batches.append)
        assert counts == {"advertising": 5, "contract": 5}
        assert batches == [3, 3, 3, 1]
        assert count(RetentionRecord) == 5
        assert purge_expired(now=now) == {}  # a re-run finds nothing more


def test_each_request_leaves_a_minimal_access_record(app, client):
    client.get("/ko/privacy", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    client.get("/healthz")
    client.get("/static/css/site.css")
    with app.app_context():
        (row,) = db.session.scalars(select(AccessLog)).all()
        assert (row.method, row.path, row.status, row.member_id) == ("GET", "/ko/privacy", 200, None)
        assert row.ip_hash == keyed_hash("203.0.113.9", "access-log-ip")
        assert row.retain_until == retain_until("access_log", row.occurred_at)
        assert row.retain_until - row.occurred_at > timedelta(days=2 * 365 - 1)


def test_access_records_are_purged_after_their_period(app):
    now = now_utc()
    with app.app_context():
        rows = [
            {
                "occurred_at": now,
                "method": "GET",
                "path": "/",
                "status": 200,
                "ip_hash": "x",
                "retain_until": now + timedelta(seconds=offset),
            }
            for offset in (-5, -1, 1, 5)
        ]
        db.session.execute(insert(AccessLog), rows)
        db.session.commit()
        assert purge_expired(now=now) == {"access_log": 2}
        assert count(AccessLog) == 2


def test_run_daily_command(app, runner):
    with app.app_context():
        keep("advertising", "someone", {}, now=datetime(2000, 1, 1, tzinfo=UTC))
        db.session.commit()
    result = runner.invoke(args=["jobs", "run-daily"])
    assert result.exit_code == 0 and "daily: purged 1 advertising" in result.output
    again = runner.invoke(args=["jobs", "run-daily"])
    assert "daily: purged nothing" in again.output


def test_worker_and_cron_need_redis(runner):
    for command in (["jobs", "worker"], ["jobs", "cron"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 1 and "REDIS_URL is not set" in result.output


def _expired_access_rows(now, how_many: int) -> list[dict]:
    return [
        {"occurred_at": now, "method": "GET", "path": "/", "status": 200, "ip_hash": "x", "retain_until": now}
        for _ in range(how_many)
    ]


def test_each_purge_batch_is_one_statement_whatever_its_size(app):
    """A regression to per-row loads or deletes, or to a SELECT before each DELETE, fails here."""
    now = now_utc()
    with app.app_context():
        db.session.execute(insert(AccessLog), _expired_access_rows(now - timedelta(days=1), 30))
        for index in range(5):
            keep("contract", f"s{index}", {}, now=now - timedelta(days=4000))
        db.session.commit()
        engine = db.engine
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            counts = purge_expired(now=now, batch_size=10)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        assert counts == {"access_log": 30, "contract": 5}
        # Three full batches of access records, then the empty one that shows the table is done;
        # a batch short of the limit is the last, so one for the retention records.
        assert len([sql for sql in statements if "DELETE FROM access_logs" in sql]) == 4
        assert len([sql for sql in statements if "DELETE FROM retention_records" in sql]) == 1
        # Besides them only one statement, for every table: which hold anything due. A table with
        # nothing due costs no DELETE of its own, and no batch is read before it is deleted.
        (probe,) = [sql for sql in statements if "DELETE" not in sql.upper()]
        assert "staff_accesses" in probe and "campaign_deliveries" in probe
        assert len(statements) == 6


# A trigger that stops a DELETE when it reaches one row: the failure happens inside the batch's
# statement, after it already removed the rows before that one.
STOP_AT = {
    "postgresql": [
        "CREATE FUNCTION stop_purge() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION 'killed'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER stop_purge BEFORE DELETE ON access_logs FOR EACH ROW "
        "WHEN (OLD.id = {row}) EXECUTE FUNCTION stop_purge()",
    ],
    "sqlite": [
        "CREATE TRIGGER stop_purge BEFORE DELETE ON access_logs FOR EACH ROW "
        "WHEN OLD.id = {row} BEGIN SELECT RAISE(ABORT, 'killed'); END",
    ],
}
NO_STOP = {
    "postgresql": ["DROP TRIGGER stop_purge ON access_logs", "DROP FUNCTION stop_purge()"],
    "sqlite": ["DROP TRIGGER stop_purge"],
}


def test_a_batch_that_fails_midway_deletes_nothing_of_itself_and_a_rerun_finishes(app, backend):
    now = now_utc()
    with app.app_context():
        db.session.execute(insert(AccessLog), _expired_access_rows(now - timedelta(days=1), 7))
        ids = sorted(db.session.scalars(select(AccessLog.id)))
        for statement in STOP_AT[backend]:
            db.session.execute(text(statement.format(row=ids[4])))  # the middle of the second batch
        db.session.commit()
        with pytest.raises(DBAPIError):
            purge_expired(now=now, batch_size=3)
        # The first batch went; the second is whole again, the row before the stop included.
        assert sorted(db.session.scalars(select(AccessLog.id))) == ids[3:]
        for statement in NO_STOP[backend]:
            db.session.execute(text(statement))
        db.session.commit()
        assert purge_expired(now=now, batch_size=3) == {"access_log": 4}
        assert count(AccessLog) == 0
