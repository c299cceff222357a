"""Dormancy separation against its floor: raw batched copy into the dormant store and UPDATE.

Each size gets a scratch database of members long inactive and warned (plus some recently
active, who must stay), and an identical copy. The job is services.dormancy.separate_inactive
as the daily maintenance runs it; the floor, on the copy, reads a batch of the same columns,
INSERTs them into the dormant store and UPDATEs the live rows to stubs, with the same batch
size and one commit per database per batch, but neither encrypts nor hashes anything.
"""

from __future__ import annotations

import json
import sys
import time

import psycopg

from bench import scratch
from bench.areas.purge import rows_for, sizes
from bench.context import Context
from bench.report import Row
from bench.server import site_env

BATCH = 500
KEPT = 1000
TEMPLATE = "usnaper_batch_dorm_tpl"
JOB_DB = "usnaper_batch_dorm_job"
FLOOR_DB = "usnaper_batch_dorm_floor"
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


def measure(records: int) -> tuple[dict, dict]:
    """Fill one size, copy it, run the floor on the copy and then the job."""
    scratch.create(JOB_DB, template=TEMPLATE)
    fill(JOB_DB, records)
    scratch.create(FLOOR_DB, template=JOB_DB)
    _stores_ready(JOB_DB, FLOOR_DB)
    env = site_env(scratch.url(JOB_DB), 5000)
    floor = scratch.run_probe("bench.areas.dormancy", "floor", FLOOR_DB)
    job = scratch.run_probe("bench.areas.dormancy", "job", env=env)
    for result in (job, floor):
        if result["moved"] != records:
            raise RuntimeError(f"moved {result['moved']} of {records} members")
    with psycopg.connect(scratch.raw_url(JOB_DB)) as conn:
        active = conn.execute("SELECT count(*) FROM members WHERE status = 'active'").fetchone()[0]
    with psycopg.connect(scratch.raw_url(JOB_DB + "_dormant")) as conn:
        stored = conn.execute("SELECT count(*) FROM dormant_records").fetchone()[0]
    if active != KEPT or stored != records:
        raise RuntimeError(f"{active} active left (want {KEPT}), {stored} sealed (want {records})")
    return job, floor


def run(ctx: Context) -> list[Row]:
    """Measure the separation against its floor at each size; drop every scratch database after."""
    results = {}
    with scratch.scratch(TEMPLATE, JOB_DB, FLOOR_DB):
        scratch.create(TEMPLATE)
        scratch.migrate(TEMPLATE)
        for records in sizes(ctx):
            print(f"dormancy: {records:,} members", flush=True)
            results[records] = measure(records)
    rows = rows_for("dormancy", results, BATCH)
    for row in rows[:-1]:
        row.note += "; the job also seals (AES-GCM) and hashes each member, the floor copies raw"
    return rows


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
            "SELECT id, email, name, birth_date, phone_encrypted, preferred_region FROM members "
            "WHERE status = 'active' AND last_active_at <= now() - interval '18 months' "
            "AND dormancy_notice_at <= now() - interval '30 days' AND id > %s ORDER BY id LIMIT %s",
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


if __name__ == "__main__":
    print(json.dumps(_job() if sys.argv[1] == "job" else _floor(sys.argv[2])))
