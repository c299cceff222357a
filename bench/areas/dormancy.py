"""Dormancy separation against two floors, each on an identical copy of the same members.

Issue #9 asks for ">= 0.8x the rows/s of a raw batched SQL DELETE of the same rows", for the purge
and for dormancy alike, so the goal is judged against exactly that: a raw DELETE of the members due,
a batch at a time, one commit a batch (as in this schema, it also runs the foreign keys that point
at members). A second floor is reported beside it, not judged: raw SQL doing the same moves as the
job (read a batch, copy its columns into the dormant store, UPDATE the live rows to stubs, same
batch size, one commit per database per batch) but neither sealing (AES-GCM) nor hashing anything,
so the distance to it is what the job's safeguards and its framework cost.

Each size gets a scratch database of members long inactive and warned (plus some recently active,
who must stay). The job is services.dormancy.separate_inactive as the daily maintenance runs it.
"""

from __future__ import annotations

import json
import sys
import time

import psycopg

from bench import scratch
from bench.areas.purge import memory_row, ratio_row, sizes
from bench.context import Context
from bench.report import Row
from bench.server import site_env

BATCH = 500
KEPT = 1000
TEMPLATE = "usnaper_batch_dorm_tpl"
JOB_DB = "usnaper_batch_dorm_job"
FLOOR_DB = "usnaper_batch_dorm_floor"
DELETE_DB = "usnaper_batch_dorm_delete"
DELETE_FLOOR = "raw batched DELETE of the same members (the issue's floor)"
COPY_FLOOR = "raw copy into the dormant store and UPDATE to stubs, no sealing or hashing"
DUE = (
    "status = 'active' AND last_active_at <= now() - interval '18 months' "
    "AND dormancy_notice_at <= now() - interval '30 days'"
)
STORE_DDL = (
    "CREATE TABLE IF NOT EXISTS dormant_records "
    "(member_id INTEGER PRIMARY KEY, sealed BYTEA NOT NULL, moved_at TIMESTAMPTZ NOT NULL)"
)


def fill(name: str, records: int) -> None:
    """Members inactive for two years and warned 40 days ago, then a few active ones."""
    with psycopg.connect(scratch.raw_url(name)) as conn:
        conn.execute(
            "INSERT INTO members (email, email_key, password_hash, name, birth_date, phone_encrypted, "
            "preferred_region, language, status, session_version, created_at, last_active_at, "
            "corrections_requested, dormancy_notice_at) "
            "SELECT 'm' || g || '@example.com', 'm' || g || '@example.com', 'x', '회원' || g, "
            "date '1990-01-01' + (g %% 5000), decode(md5(g::text), 'hex'), 'seoul', "
            "CASE WHEN g %% 4 = 0 THEN 'en' ELSE 'ko' END, 'active', 1, now() - interval '3 years', "
            "CASE WHEN g <= %(due)s THEN now() - interval '2 years' ELSE now() END, '[]'::json, "
            "CASE WHEN g <= %(due)s THEN now() - interval '40 days' END "
            "FROM generate_series(1, %(n)s) g",
            {"due": records, "n": records + KEPT},
        )
        conn.commit()
    with psycopg.connect(scratch.raw_url(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE members")


def _stores_ready(*names: str) -> None:
    for name in names:
        with psycopg.connect(scratch.raw_url(name + "_dormant"), autocommit=True) as conn:
            conn.execute(STORE_DDL)


def measure(records: int) -> tuple[dict, dict, dict]:
    """Fill one size, copy it twice, run each floor on its copy and then the job."""
    scratch.create(JOB_DB, template=TEMPLATE)
    fill(JOB_DB, records)
    scratch.create(FLOOR_DB, template=JOB_DB)
    scratch.create(DELETE_DB, template=JOB_DB)
    _stores_ready(JOB_DB, FLOOR_DB)
    env = site_env(scratch.url(JOB_DB), 5000)
    # The floors go first: a freshly filled database is warmest in the cache for the first run.
    deleted = scratch.run_probe("bench.areas.dormancy", "delete", DELETE_DB)
    copied = scratch.run_probe("bench.areas.dormancy", "floor", FLOOR_DB)
    job = scratch.run_probe("bench.areas.dormancy", "job", env=env)
    for result in (job, deleted, copied):
        if result["moved"] != records:
            raise RuntimeError(f"moved {result['moved']} of {records} members")
    with psycopg.connect(scratch.raw_url(JOB_DB)) as conn:
        active = conn.execute("SELECT count(*) FROM members WHERE status = 'active'").fetchone()[0]
    with psycopg.connect(scratch.raw_url(JOB_DB + "_dormant")) as conn:
        stored = conn.execute("SELECT count(*) FROM dormant_records").fetchone()[0]
    if active != KEPT or stored != records:
        raise RuntimeError(f"{active} active left (want {KEPT}), {stored} sealed (want {records})")
    return job, deleted, copied


def rows_for(results: dict[int, tuple[dict, dict, dict]]) -> list[Row]:
    """Per size a row judged against the issue's DELETE floor and one against the same-work floor."""
    rows = []
    for records, (job, deleted, copied) in results.items():
        what = f"{records:,} members, batch {BATCH}"
        rows.append(ratio_row("dormancy", what, records, job, deleted, DELETE_FLOOR))
        rows.append(ratio_row("dormancy", what, records, job, copied, COPY_FLOOR, judged=False))
    memory = {records: (job, deleted) for records, (job, deleted, _) in results.items()}
    return [*rows, memory_row("dormancy", memory)]


def run(ctx: Context) -> list[Row]:
    """Measure the separation against both floors at each size; drop every scratch database after."""
    results = {}
    with scratch.scratch(TEMPLATE, JOB_DB, FLOOR_DB, DELETE_DB):
        scratch.create(TEMPLATE)
        scratch.migrate(TEMPLATE)
        for records in sizes(ctx):
            print(f"dormancy: {records:,} members", flush=True)
            results[records] = measure(records)
    return rows_for(results)


def _job() -> dict:
    from sqlalchemy import text

    from app import create_app
    from extensions import db
    from services.dormancy import separate_inactive

    app = create_app()
    with app.app_context():
        # Connected before the clock starts, as the floor is.
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        before = scratch.memory_kb()
        started = time.perf_counter()
        moved = separate_inactive(batch_size=BATCH)
        seconds = time.perf_counter() - started
        after = scratch.memory_kb()
    return {"moved": moved, "seconds": seconds, "growth_kb": after["VmHWM"] - before["VmRSS"]}


def _floor(name: str) -> dict:
    before = scratch.memory_kb()
    moved, last_id = 0, 0
    with (
        psycopg.connect(scratch.raw_url(name)) as live,
        psycopg.connect(scratch.raw_url(name + "_dormant")) as store,
    ):
        started = time.perf_counter()
        while rows := live.execute(
            "SELECT id, email, name, birth_date, phone_encrypted, preferred_region FROM members "  # noqa: S608  # nosec B608
            f"WHERE {DUE} AND id > %s ORDER BY id LIMIT %s",
            (last_id, BATCH),
        ).fetchall():
            with store.cursor() as cur:
                cur.executemany(
                    "INSERT INTO dormant_records (member_id, sealed, moved_at) VALUES (%s, %s, now())",
                    [(row[0], "|".join(map(str, row[1:])).encode()) for row in rows],
                )
            store.commit()
            ids = [row[0] for row in rows]
            live.execute(
                "UPDATE members SET email = '', email_key = 'dormant:' || id, name = '', "
                "birth_date = date '1900-01-01', phone_encrypted = NULL, preferred_region = NULL, "
                "status = 'dormant', session_version = session_version + 1 WHERE id = ANY(%s)",
                (ids,),
            )
            live.commit()
            moved += len(rows)
            last_id = ids[-1]
        seconds = time.perf_counter() - started
    after = scratch.memory_kb()
    return {"moved": moved, "seconds": seconds, "growth_kb": after["VmHWM"] - before["VmRSS"]}


def _delete(name: str) -> dict:
    before = scratch.memory_kb()
    with psycopg.connect(scratch.raw_url(name)) as live:
        started = time.perf_counter()
        statement = (
            f"DELETE FROM members WHERE id IN (SELECT id FROM members WHERE {DUE} ORDER BY id LIMIT %s)"  # noqa: S608  # nosec B608
        )
        moved = scratch.delete_until_none_left(live, statement, (BATCH,))
        seconds = time.perf_counter() - started
    after = scratch.memory_kb()
    return {"moved": moved, "seconds": seconds, "growth_kb": after["VmHWM"] - before["VmRSS"]}


if __name__ == "__main__":
    probes = {"job": _job, "floor": _floor, "delete": _delete}
    print(json.dumps(probes[sys.argv[1]](*sys.argv[2:])))
