"""Where a policy notice's time goes: one in-process run under pyinstrument, SQL statements counted.

`python -m bench.fanout_profile [members]` fills a scratch database, starts the fan-out area's
SMTP sink, and runs jobs.policy_notices.send_policy_notice without Redis, so delivery runs
inline after each batch in one profiled process. The profile goes to <workdir>/profile.txt;
the last line printed is JSON with the rate (profiler overhead included) and the statements.
"""

from __future__ import annotations

import collections
import json
import sys
import tempfile
import time
from pathlib import Path

from bench import scratch
from bench.areas import fanout
from bench.server import site_env

DB = "usnaper_batch_fanout_prof"


def main(members: int) -> None:
    """Fill, start the sink, profile one notice in a subprocess; print its figures and PostgreSQL's."""
    work = Path(tempfile.mkdtemp(prefix="usnaper-fanout-profile-"))
    with scratch.scratch(DB):
        scratch.create(DB)
        scratch.migrate(DB)
        fanout.fill(DB, members)
        port = fanout.free_port()
        env = site_env(
            scratch.url(DB),
            5000,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=str(port),
            MAIL_USE_TLS="false",
            MAIL_USE_SSL="false",
            MAIL_USERNAME="",
        )
        sink_file = work / "sink.json"
        sink = fanout._start(
            [sys.executable, "-m", "bench.areas.fanout", "sink", str(port), str(sink_file)], env, work / "log"
        )
        try:
            fanout._wait_for_port(port, sink)
            before = fanout.db_stats(DB)
            result = scratch.run_probe("bench.fanout_profile", "--probe", str(work), env=env)
            time.sleep(1.5)  # backends flush their statistics at most once a second
            after = fanout.db_stats(DB)
        finally:
            fanout._stop(sink)
    result["postgres"] = {key: after[key] - before[key] for key in before}
    result["sink"] = fanout.read_sink(sink_file)
    print(f"profile: {work / 'profile.txt'}")
    print(json.dumps(result))


def _probe(work: Path) -> dict:
    from pyinstrument import Profiler
    from sqlalchemy import event

    from app import create_app
    from extensions import db
    from jobs.policy_notices import send_policy_notice
    from services import policy_drafts

    counts: collections.Counter = collections.Counter()
    app = create_app()
    with app.app_context():
        text = policy_drafts.DraftText(
            version=policy_drafts.suggested_version("privacy"),
            importance="important",
            summary_ko="요약",
            summary_en="Summary",
            body_ko="본문",
            body_en="Body",
        )
        row = policy_drafts.create_draft(1, "privacy", text)
        row = policy_drafts.schedule(row, policy_drafts.earliest_effective_date("important"))

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(conn, cursor, statement, params, context, executemany) -> None:
            counts[statement.split(None, 1)[0].upper()] += 1

        @event.listens_for(db.engine, "commit")
        def _commit(conn) -> None:
            counts["COMMIT"] += 1

        profiler = Profiler(interval=0.002)
        started = time.perf_counter()
        profiler.start()
        sent = send_policy_notice(row.id)
        profiler.stop()
        seconds = time.perf_counter() - started
    (work / "profile.txt").write_text(profiler.output_text(unicode=False, color=False))
    per = {name: round(count / max(sent, 1), 2) for name, count in counts.items()}
    return {"sent": sent, "seconds": seconds, "rate": sent / seconds, "per_message": per}


if __name__ == "__main__":
    if sys.argv[1:2] == ["--probe"]:
        print(json.dumps(_probe(Path(sys.argv[2]))))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
