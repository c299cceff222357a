"""The one schedule `flask jobs cron` runs (RQ's cron scheduler; run exactly one)."""

from rq.cron import CronScheduler

from jobs import JOB_TIMEOUT_SECONDS
from jobs.tasks import relay_outbox, run_daily_maintenance

# RQ reads cron expressions in the scheduler's local time; `flask jobs cron` runs in Asia/Seoul.
SCHEDULER_TIMEZONE = "Asia/Seoul"
DAILY_AT = "0 3 * * *"
RELAY_EVERY_SECONDS = 60


def register_schedule(scheduler: CronScheduler) -> None:
    """Register every periodic job with the scheduler."""
    scheduler.register(relay_outbox, queue_name="emails", interval=RELAY_EVERY_SECONDS)
    scheduler.register(
        run_daily_maintenance, queue_name="purge", cron=DAILY_AT, job_timeout=JOB_TIMEOUT_SECONDS
    )
