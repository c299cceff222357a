"""Writing to retention storage: each record under a category of the one retention definition."""

from datetime import UTC, datetime, time

from extensions import db
from models.retention import RetentionRecord
from services.clock import SEOUL, now_utc, seoul_today
from services.keys import keyed_hash
from services.retention import add_months, retention_categories


def retain_until(category: str, start: datetime) -> datetime:
    """The start of the Korean day on which a record of this category, kept from start, must go.

    Periods run on the Korean calendar (SPEC §5: deleted the day their period
    ends), so the daily purge at 03:00 in Seoul deletes it that morning.
    """
    months = {item.key: item.months for item in retention_categories()}
    if category not in months:
        raise ValueError(f"unknown retention category {category!r}")
    purge_day = add_months(seoul_today(start), months[category])
    return datetime.combine(purge_day, time.min, tzinfo=SEOUL).astimezone(UTC)


def subject_key(identifier: str) -> str:
    """The pseudonymous key a retention record carries instead of the person's identifier."""
    return keyed_hash(identifier.strip().lower(), "retention-subject", length=64)


def keep(category: str, identifier: str, payload: dict, now: datetime | None = None) -> RetentionRecord:
    """Add a retention record (committed by the caller with the change that causes it)."""
    created = now or now_utc()
    record = RetentionRecord(
        category=category,
        subject_key=subject_key(identifier),
        payload=payload,
        created_at=created,
        retain_until=retain_until(category, created),
    )
    db.session.add(record)
    return record
