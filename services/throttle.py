"""Throttling repeated failures (sign-in): a counter per keyed-hash key and time window."""

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from extensions import db
from models.throttle import ThrottleCounter
from services.clock import now_utc
from services.keys import keyed_hash


def _key(kind: str, value: str) -> str:
    return f"{kind}:{keyed_hash(value, 'throttle-' + kind)}"


def is_blocked(kind: str, value: str, limit: int, now: datetime | None = None) -> bool:
    """Whether value has failed limit times within its current window."""
    return any_blocked([(kind, value, limit)], now)


def any_blocked(checks: list[tuple[str, str, int]], now: datetime | None = None) -> bool:
    """Whether any (kind, value, limit) has failed limit times within its current window, in one read."""
    limits = {_key(kind, value): limit for kind, value, limit in checks}
    now = now or now_utc()
    counters = db.session.scalars(select(ThrottleCounter).where(ThrottleCounter.key.in_(limits)))
    return any(counter.window_ends_at > now and counter.count >= limits[counter.key] for counter in counters)


def record_failure(kind: str, value: str, window: timedelta, now: datetime | None = None) -> None:
    """Count one failure for value, atomically (parallel guesses all count); commits."""
    now = now or now_utc()
    key = _key(kind, value)
    counted = db.session.execute(
        update(ThrottleCounter)
        .where(ThrottleCounter.key == key, ThrottleCounter.window_ends_at > now)
        .values(count=ThrottleCounter.count + 1)
        .execution_options(synchronize_session=False)
    )
    if counted.rowcount == 0:  # no live window: start one (replacing an ended one)
        db.session.execute(delete(ThrottleCounter).where(ThrottleCounter.key == key))
        db.session.add(ThrottleCounter(key=key, count=1, window_ends_at=now + window))
        try:
            db.session.commit()
        except IntegrityError:  # another request started it first: count on top of it
            db.session.rollback()
            db.session.execute(
                update(ThrottleCounter)
                .where(ThrottleCounter.key == key)
                .values(count=ThrottleCounter.count + 1)
            )
    db.session.commit()


def clear(kind: str, value: str) -> None:
    """Forget the failures of value (after a successful sign-in)."""
    db.session.execute(delete(ThrottleCounter).where(ThrottleCounter.key == _key(kind, value)))


def purge_ended(now: datetime | None = None) -> int:
    """Delete counters whose window has ended (they hold keyed hashes of addresses)."""
    result = db.session.execute(
        delete(ThrottleCounter).where(ThrottleCounter.window_ends_at <= (now or now_utc()))
    )
    db.session.commit()
    return result.rowcount
