"""The daily purge against its floor: a raw batched SQL DELETE of the same rows, same batch size.

Each size gets its own scratch database, filled with expired access records and retention
records (plus a few not yet due, which must survive), and an identical copy for the floor.
The job (services.purge.purge_expired, as the daily maintenance runs it) and the floor each
run in a subprocess of their own, which reports its time and its peak RSS growth.
"""

from __future__ import annotations

import sys
import time

import psycopg

from bench import scratch
from bench.context import Context
from bench.report import Row
from bench.server import site_env

BATCH = 1000
KEPT = 1000  # rows not yet due in each table: the purge must leave them
TEMPLATE = "usnaper_batch_purge_tpl"
JOB_DB = "usnaper_batch_purge_job"
FLOOR_DB = "usnaper_batch_purge_floor"
RATIO_GOAL = 0.8
FLOOR = "raw batched DELETE of the same rows"
MEMORY_GOAL = 1.5  # peak RSS growth at the largest size over the smallest
MEMORY_SLACK_KB = 50 * 1024  # or under +50 MB: a few MB of noise is not growth
# Filled here; the floor also empties the other retained tables, as the purge does.
TABLES = ("retention_records", "access_logs")
RETAINED = (*TABLES, "staff_accesses", "role_changes", "audit_reviews", "complaints", "campaign_deliveries")


def sizes(ctx: Context) -> list[int]:
    """Record counts measured: 10k and 100k for a quick run, up to 1M otherwise."""
    return [10_000, 100_000] if ctx.quick else [10_000, 100_000, 1_000_000]


def fill(name: str, records: int) -> None:
    """Expired rows, nine access records for each retention record, in server-side bulk inserts."""
    retention = records // 10
    access = records - retention
    with psycopg.connect(scratch.raw_url(name)) as conn:
        conn.execute(
            "INSERT INTO retention_records (category, subject_key, payload, created_at, retain_until) "
            "SELECT (ARRAY['contract','advertising','complaint','illegal_use'])[1 + g %% 4], "
            "md5(g::text), '{}'::json, now() - interval '4000 days', "
            "CASE WHEN g <= %(due)s THEN now() - interval '1 day' ELSE now() + interval '1 year' END "
            "FROM generate_series(1, %(n)s) g",
            {"due": retention, "n": retention + KEPT},
        )
        conn.execute(
            "INSERT INTO access_logs (occurred_at, method, path, status, member_id, ip_hash, retain_until) "
            "SELECT now() - interval '800 days', 'GET', '/ko/boards/' || (g %% 50), 200, NULL, "
            "left(md5(g::text), 32), "
            "CASE WHEN g <= %(due)s THEN now() - interval '1 day' ELSE now() + interval '1 year' END "
            "FROM generate_series(1, %(n)s) g",
            {"due": access, "n": access + KEPT},
        )
        conn.commit()
    with psycopg.connect(scratch.raw_url(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE retention_records")
        conn.execute("VACUUM ANALYZE access_logs")


def measure(records: int) -> tuple[dict, dict]:
    """Fill one size, copy it, run the job on one copy and the floor on the other."""
    scratch.create(JOB_DB, template=TEMPLATE)
    fill(JOB_DB, records)
    scratch.create(FLOOR_DB, template=JOB_DB)
    env = site_env(scratch.url(JOB_DB), 5000, PURGE_BATCH_SIZE=str(BATCH))
    # The floor goes first: a freshly filled database is warmest in the cache for the first run,
    # and that advantage should go to the baseline, not to what is judged against it.
    floor = scratch.run_probe("bench.areas.purge", "floor", scratch.raw_url(FLOOR_DB))
    job = scratch.run_probe("bench.areas.purge", "job", env=env)
    for result in (job, floor):
        if result["deleted"] != records:
            raise RuntimeError(f"deleted {result['deleted']} of {records} expired rows")
    left = _left(JOB_DB)
    if left != KEPT * len(TABLES):
        raise RuntimeError(f"the purge left {left} rows, not the {KEPT * len(TABLES)} not yet due")
    return job, floor


def _left(name: str) -> int:
    with psycopg.connect(scratch.raw_url(name)) as conn:
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)  # noqa: S608  # nosec B608


def ratio_row(area: str, what: str, records: int, job: dict, floor: dict, baseline: str, judged=True) -> Row:
    """The job's rows per second against one floor's, the floor named in the baseline cell."""
    job_rate = records / job["seconds"]
    floor_rate = records / floor["seconds"]
    ratio = job_rate / floor_rate
    return Row(
        area,
        what,
        f"{job_rate:,.0f} rows/s",
        f"{floor_rate:,.0f} rows/s: {baseline}",
        ratio,
        f">= {RATIO_GOAL}x" if judged else "(info)",
        ratio >= RATIO_GOAL if judged else None,
        f"job {job['seconds']:.2f}s, floor {floor['seconds']:.2f}s",
    )


def memory_row(area: str, results: dict[int, tuple[dict, dict]]) -> Row:
    """The job's peak RSS growth at the largest size against the smallest (and the floor's, as a note)."""
    small, large = min(results), max(results)
    grow_small = max(results[small][0]["growth_kb"], 1)
    grow_large = results[large][0]["growth_kb"]
    ratio = grow_large / grow_small
    return Row(
        area,
        f"peak RSS growth {large:,} vs {small:,}",
        f"+{grow_large / 1024:.1f} MB",
        f"+{grow_small / 1024:.1f} MB",
        ratio,
        f"<= {MEMORY_GOAL}x or < +50 MB",
        ratio <= MEMORY_GOAL or grow_large < MEMORY_SLACK_KB,
        f"floor +{results[large][1]['growth_kb'] / 1024:.1f} MB at {large:,}",
    )


def rows_for(area: str, results: dict[int, tuple[dict, dict]]) -> list[Row]:
    """A ratio row per size, and the memory row comparing the largest size with the smallest."""
    rows = [
        ratio_row(area, f"{records:,} records, batch {BATCH}", records, job, floor, FLOOR)
        for records, (job, floor) in results.items()
    ]
    return [*rows, memory_row(area, results)]


def run(ctx: Context) -> list[Row]:
    """Measure the purge against its floor at each size; drop every scratch database after."""
    results = {}
    with scratch.scratch(TEMPLATE, JOB_DB, FLOOR_DB):
        scratch.create(TEMPLATE)
        scratch.migrate(TEMPLATE)
        for records in sizes(ctx):
            print(f"purge: {records:,} records", flush=True)
            results[records] = measure(records)
    return rows_for("purge", results)


def _job() -> dict:
    from sqlalchemy import text

    from app import create_app
    from extensions import db
    from services.purge import purge_expired

    app = create_app()
    with app.app_context():
        # Connected before the clock starts, as the floor is: the pool is the app's, not the job's.
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        before = scratch.memory_kb()
        started = time.perf_counter()
        counts = purge_expired()
        seconds = time.perf_counter() - started
        after = scratch.memory_kb()
    growth = after["VmHWM"] - before["VmRSS"]
    return {"deleted": sum(counts.values()), "seconds": seconds, "growth_kb": growth}


def _floor(dsn: str) -> dict:
    before = scratch.memory_kb()
    deleted = 0
    with psycopg.connect(dsn) as conn:
        started = time.perf_counter()
        for table in RETAINED:
            statement = (
                f"DELETE FROM {table} WHERE id IN "  # noqa: S608  # nosec B608 - fixed table names
                f"(SELECT id FROM {table} WHERE retain_until <= now() ORDER BY id LIMIT {BATCH})"
            )
            deleted += scratch.delete_until_none_left(conn, statement)
        seconds = time.perf_counter() - started
    after = scratch.memory_kb()
    return {"deleted": deleted, "seconds": seconds, "growth_kb": after["VmHWM"] - before["VmRSS"]}


if __name__ == "__main__":
    import json

    mode = sys.argv[1]
    print(json.dumps(_job() if mode == "job" else _floor(sys.argv[2])))
