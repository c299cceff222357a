"""Throttling repeated failures (sign-in): a counter per keyed-hash key and time window."""

from datetime import datetime, timedelta

from sqlalchemy import delete

from extensions import db
from models.throttle import ThrottleCounter
from services.clock import now_utc
from services.keys import keyed_hash


def _key(kind: str, value: str) -> str:
    return f"{kind}:{keyed_hash(value, 'throttle-' + kind)}"


def is_blocked(kind: str, value: str, limit: int, now: datetime | None = None) -> bool:
    """Whether value has failed limit times within its current window."""
    counter = db.session.get(ThrottleCounter, _key(kind, value))
    return counter is not None and counter.window_ends_at > (now or now_utc()) and counter.count >= limit


def record_failure(kind: str, value: str, window: timedelta, now: datetime | None = None) -> None:
    """Count one failure for value (a new window starts when the old one has ended)."""
    now = now or now_utc()
    key = _key(kind, value)
    counter = db.session.get(ThrottleCounter, key)
    if counter is None or counter.window_ends_at <= now:
        if counter is not None:
            db.session.delete(counter)
            db.session.flush()
        db.session.add(ThrottleCounter(key=key, count=1, window_ends_at=now + window))
    else:
        counter.count += 1


def clear(kind: str, value: str) -> None:
    """Forget the failures of value (after a successful sign-in)."""
    db.session.execute(delete(ThrottleCounter).where(ThrottleCounter.key == _key(kind, value)))
