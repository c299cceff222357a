"""`flask jobs ...`: the worker, the cron scheduler, and the daily work run by hand or OS cron."""

import os
import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from extensions import db
from jobs import QUEUES, redis_connection
from jobs.tasks import relay_outbox, run_daily_maintenance
from services.mail import warm_up
from services.purge import count_expired

jobs = AppGroup("jobs", help="Background jobs: worker, cron, daily maintenance.")


def _require_redis() -> None:
    if not current_app.config.get("REDIS_URL"):
        raise click.ClickException("REDIS_URL is not set: without it jobs run in-process and need no worker")


@jobs.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker(queues: tuple[str, ...], burst: bool) -> None:
    """Run an RQ worker for QUEUES (default: all of them) inside the app context."""
    from jobs.worker import AppWorker

    _require_redis()
    unknown = sorted(set(queues) - set(QUEUES))
    if unknown:
        raise click.BadParameter(f"unknown queue(s) {', '.join(unknown)}; choose from {', '.join(QUEUES)}")
    # Each job runs in a forked child: it must open its own database connections,
    # never reuse the parent's (dispose without closing the parent's sockets).
    engines = list(db.engines.values())
    # Compiled templates and loaded catalogs are inherited by every forked job instead of redone in each.
    warm_up()
    os.register_at_fork(after_in_child=lambda: [engine.dispose(close=False) for engine in engines])
    AppWorker(list(queues or QUEUES), connection=redis_connection()).work(burst=burst)


@jobs.command("cron")
def cron() -> None:
    """Run RQ's cron scheduler with the schedule in jobs/schedule.py (run exactly one)."""
    from rq.cron import CronScheduler

    from jobs.schedule import SCHEDULER_TIMEZONE, register_schedule

    _require_redis()
    os.environ["TZ"] = SCHEDULER_TIMEZONE
    time.tzset()
    scheduler = CronScheduler(connection=redis_connection())
    register_schedule(scheduler)
    scheduler.start()


@jobs.command("relay")
def relay() -> None:
    """Re-enqueue e-mails whose delivery was lost or is due for retry (cron runs this every minute)."""
    click.echo(f"relay: {relay_outbox()} message(s) handed to delivery")


@jobs.command("run-daily")
def run_daily() -> None:
    """Run the daily maintenance now, synchronously (for OS cron and the embedded default)."""
    total = count_expired()
    if sys.stdout.isatty():
        with click.progressbar(length=total, label="purging expired records") as bar:
            counts = run_daily_maintenance(on_batch=bar.update)
    else:
        counts = run_daily_maintenance()
    summary = ", ".join(f"{count} {category}" for category, count in sorted(counts.items())) or "nothing"
    click.echo(f"daily: purged {summary}")
