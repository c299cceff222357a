"""E-mail fan-out of an important policy change, delivered by two RQ workers into a local SMTP sink.

A scratch database gets N active members with their required consents. A privacy officer's
draft is created and scheduled through services.policy_drafts, and its notice is started with
jobs.policy_notices.start_policy_notice, as the schedule view does: the job goes to Redis and
two `flask jobs worker` processes fan it out and deliver. An aiosmtpd sink in its own process
counts messages and distinct recipients and notes the first and last arrival; the rate is
messages over that span. PostgreSQL's own counters say how many transactions and row writes
each message cost.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess  # nosec B404 - our own flask and python, fixed arguments
import sys
import time
from pathlib import Path

import psycopg

from bench import scratch
from bench.context import BIN, ROOT, Context
from bench.report import Row
from bench.server import site_env

DB = "usnaper_batch_fanout"
REDIS_URL = "redis://127.0.0.1:6379/12"
WORKERS = 2
RATE_GOAL = 200.0  # messages/s, issue #9
STATS = ("xact_commit", "tup_inserted", "tup_updated", "tup_fetched")


def member_count(ctx: Context) -> int:
    """How many members are mailed: BENCH_FANOUT_MEMBERS, else 5k quick and 100k in a full run."""
    given = os.environ.get("BENCH_FANOUT_MEMBERS")
    if given:
        return int(given)
    return 5_000 if ctx.quick else 100_000


def timeout_for(members: int) -> float:
    """How long to wait for every message: 5 messages/s at the very least, plus a minute to start."""
    return members / 5 + 60


def fill(name: str, members: int) -> None:
    """Active, verified members (a quarter in English), each with both required consents granted."""
    with psycopg.connect(scratch.raw_url(name)) as conn:
        conn.execute(
            "INSERT INTO members (email, email_key, password_hash, name, birth_date, language, status, "
            "session_version, created_at, email_verified_at, last_active_at, corrections_requested) "
            "SELECT 'm' || g || '@example.com', 'm' || g || '@example.com', 'x', '회원' || g, "
            "date '1990-01-01' + (g %% 5000), CASE WHEN g %% 4 = 0 THEN 'en' ELSE 'ko' END, 'active', 1, "
            "now() - interval '1 year', now() - interval '1 year', now(), '[]'::json "
            "FROM generate_series(1, %(n)s) g",
            {"n": members},
        )
        conn.execute(
            "INSERT INTO consent_events (member_id, item, granted, policy_version, channel, occurred_at) "
            "SELECT m.id, item, true, '1.0', 'signup', m.created_at "
            "FROM members m CROSS JOIN unnest(ARRAY['privacy_notice', 'terms']) item"
        )
        conn.commit()
    with psycopg.connect(scratch.raw_url(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE members")
        conn.execute("VACUUM ANALYZE consent_events")


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def db_stats(name: str) -> dict[str, int]:
    """PostgreSQL's cumulative transaction and row counters of one database."""
    with psycopg.connect(f"{scratch.SERVER}/postgres") as conn:
        row = conn.execute(
            f"SELECT {', '.join(STATS)} FROM pg_stat_database WHERE datname = %s",  # noqa: S608  # nosec B608
            (name,),
        ).fetchone()
    return dict(zip(STATS, row, strict=True))


def flush_redis() -> None:
    """Empty Redis db 12: no job or worker record of an earlier run is left to confuse this one."""
    from redis import Redis

    client = Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()


def _start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(  # noqa: S603  # nosec B603
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def _stop(proc: subprocess.Popen) -> None:
    """Stop one process group we started: TERM, then KILL if it does not go within 20 s."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def read_sink(path: Path) -> dict:
    """The sink's latest counts; zeros before it has written any."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {"messages": 0, "distinct": 0, "first": None, "last": None}


def wait_for(path: Path, members: int, timeout: float, workers: list[subprocess.Popen]) -> dict:
    """Poll the sink until every member's message arrived, the time is up, or nothing moves for long."""
    deadline = time.monotonic() + timeout
    seen, moved = -1, time.monotonic()
    while time.monotonic() < deadline:
        stats = read_sink(path)
        if stats["messages"] >= members:
            return stats
        if stats["messages"] != seen:
            seen, moved = stats["messages"], time.monotonic()
        elif time.monotonic() - moved > 120:
            break  # two minutes without a message: stuck, report what came
        if all(proc.poll() is not None for proc in workers):
            break
        time.sleep(0.5)
    return read_sink(path)


def measure(members: int, workdir: Path) -> dict:
    """Fill, start the sink and workers, announce the change; return what the sink and PostgreSQL counted."""
    scratch.create(DB)
    scratch.migrate(DB)
    fill(DB, members)
    port = free_port()
    sink_file = workdir / "fanout-sink.json"
    sink_file.unlink(missing_ok=True)
    env = site_env(
        scratch.url(DB),
        5000,
        REDIS_URL=REDIS_URL,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(port),
        MAIL_USE_TLS="false",
        MAIL_USE_SSL="false",
        MAIL_USERNAME="",
    )
    log = workdir / "fanout.log"
    flush_redis()
    procs: list[subprocess.Popen] = []
    try:
        sink = _start(
            [sys.executable, "-m", "bench.areas.fanout", "sink", str(port), str(sink_file)], env, log
        )
        procs.append(sink)
        _wait_for_port(port, sink)
        workers = [
            _start([str(BIN / "flask"), "--app", "app", "jobs", "worker", "emails"], env, log)
            for _ in range(WORKERS)
        ]
        procs += workers
        before = db_stats(DB)
        started = time.time()
        announced = scratch.run_probe("bench.areas.fanout", "announce", env=env)
        stats = wait_for(sink_file, members, timeout_for(members), workers)
    finally:
        for proc in reversed(procs):
            _stop(proc)
        with contextlib.suppress(Exception):
            flush_redis()
    time.sleep(1.5)  # backends flush their statistics at most once a second
    after = db_stats(DB)
    final = read_sink(sink_file)
    final["work"] = {key: after[key] - before[key] for key in STATS}
    final["announced"] = announced
    final["started"] = started
    final["log"] = str(log)
    return final if final["messages"] >= stats["messages"] else stats


def _wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the SMTP sink exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    raise RuntimeError(f"the SMTP sink did not listen on {port} within {timeout:.0f} s")


def rows_for(members: int, result: dict) -> list[Row]:
    """The rate row (first to last arrival) and the exactly-once row (distinct recipients)."""
    messages, distinct = result["messages"], result["distinct"]
    span = (result["last"] - result["first"]) if messages > 1 else 0.0
    rate = (messages - 1) / span if span > 0 else 0.0
    work = result.get("work", {})
    per = ""
    if messages and work:
        per = (
            f"; per message: {work['xact_commit'] / messages:.1f} commits, "
            f"{work['tup_inserted'] / messages:.1f} rows inserted, "
            f"{work['tup_updated'] / messages:.1f} updated"
        )
    end_to_end = ""
    if messages and result.get("started"):
        end_to_end = f", {result['last'] - result['started']:.0f}s from the announcement"
    complete = messages >= members
    rate_row = Row(
        "fanout",
        f"policy notice to {members:,} members, {WORKERS} workers",
        f"{rate:,.1f} msg/s",
        "",
        None,
        f">= {RATE_GOAL:.0f} msg/s",
        complete and rate >= RATE_GOAL,
        f"{messages:,} of {members:,} arrived in {span:.1f}s{end_to_end}{per}",
    )
    duplicates = result.get("recipients", messages) - distinct
    once_row = Row(
        "fanout",
        "each member mailed exactly once",
        f"{distinct:,} distinct recipients",
        f"{members:,} members",
        None,
        "0 duplicates, none missing",
        duplicates == 0 and distinct == members,
        f"{duplicates} duplicate(s), {members - distinct} missing",
    )
    return [rate_row, once_row]


def run(ctx: Context) -> list[Row]:
    """Fan an important policy change out to the members and measure the delivery rate."""
    members = member_count(ctx)
    print(f"fanout: {members:,} members", flush=True)
    with scratch.scratch(DB):
        result = measure(members, ctx.workdir)
    print(f"fanout: {result['messages']:,} messages; worker log {result['log']}", flush=True)
    return rows_for(members, result)


def _announce() -> dict:
    """Draft and schedule an important privacy change, then start its notice, as the officer's view does."""
    from sqlalchemy import select

    from app import create_app
    from extensions import db
    from jobs.policy_notices import start_policy_notice
    from models.member import Member
    from services import policy_drafts

    app = create_app()
    with app.app_context():
        officer = db.session.scalar(select(Member.id).order_by(Member.id).limit(1))
        text = policy_drafts.DraftText(
            version=policy_drafts.suggested_version("privacy"),
            importance="important",
            summary_ko="벤치마크용 중요 변경입니다.",
            summary_en="An important change for the benchmark.",
            body_ko="벤치마크용 개인정보 처리방침 본문입니다.",
            body_en="The privacy policy text for the benchmark.",
        )
        row = policy_drafts.create_draft(officer, "privacy", text)
        row = policy_drafts.schedule(row, policy_drafts.earliest_effective_date("important"))
        start_policy_notice(row.id)
        return {"version_id": row.id, "version": row.version}


def _sink(port: int, path: Path) -> None:
    """An SMTP server that accepts everything and keeps counts in `path`, until SIGTERM."""
    from aiosmtpd.controller import Controller

    counts = {"messages": 0, "recipients": 0, "distinct": 0, "first": None, "last": None}
    seen: set[str] = set()

    class Counter:
        async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
            now = time.time()
            counts["messages"] += 1
            counts["recipients"] += len(envelope.rcpt_tos)
            seen.update(address.lower() for address in envelope.rcpt_tos)
            counts["distinct"] = len(seen)
            counts["first"] = counts["first"] or now
            counts["last"] = now
            return "250 OK"

    def save() -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(counts))
        tmp.replace(path)

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while not stopping:
            save()
            time.sleep(0.5)
    finally:
        controller.stop()
        save()


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "sink":
        _sink(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        print(json.dumps(_announce()))
