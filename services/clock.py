"""Time as the product sees it: instants in UTC, calendar days in Korea."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


def now_utc() -> datetime:
    """The current instant, timezone-aware."""
    return datetime.now(UTC)


def seoul_today(now: datetime | None = None) -> date:
    """Today's date on the Korean calendar (age, notice and retention days use it)."""
    return (now or now_utc()).astimezone(SEOUL).date()
