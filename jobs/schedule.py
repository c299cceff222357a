"""The one schedule `flask jobs cron` runs (RQ's cron scheduler; run exactly one)."""

from rq.cron import CronScheduler

from jobs.tasks import relay_outbox, run_daily_maintenance

# 03:00 in Seoul is 18:00 UTC; RQ's cron expressions are in UTC.
DAILY_AT_UTC = "0 18 * * *"
RELAY_EVERY_SECONDS = 60


def register_schedule(scheduler: CronScheduler) -> None:
    """Register every periodic job with the scheduler."""
    scheduler.register(relay_outbox, queue_name="emails", interval=RELAY_EVERY_SECONDS)
    scheduler.register(run_daily_maintenance, queue_name="purge", cron=DAILY_AT_UTC)
