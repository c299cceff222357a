"""The staff access audit (SPEC §1): a row each time staff open personal data; the log; its monthly review."""

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models.privacy_office import AuditReview, StaffAccess
from services.clock import SEOUL, now_utc, seoul_today
from services.retention_store import retain_until
from services.rules import RuleError

log = logging.getLogger(__name__)

REASON_MIN_LENGTH = 5
REASON_MAX_LENGTH = 500


class AuditError(RuleError):
    """Staff asked to open personal data without saying why."""


def record_access(
    staff_id: int,
    subject_id: int | None,
    purpose: str,
    fields: list[str],
    reason: str,
    now: datetime | None = None,
) -> StaffAccess:
    """Add the audit row for one opening of personal data (committed by the caller with the read)."""
    reason = " ".join((reason or "").split())
    if len(reason) < REASON_MIN_LENGTH:
        raise AuditError("reason_required", "reason", min=REASON_MIN_LENGTH)
    if len(reason) > REASON_MAX_LENGTH:
        raise AuditError("reason_too_long", "reason", max=REASON_MAX_LENGTH)
    occurred = now or now_utc()
    row = StaffAccess(
        staff_id=staff_id,
        subject_id=subject_id,
        purpose=purpose,
        fields=sorted(set(fields)),
        reason=reason,
        occurred_at=occurred,
        retain_until=retain_until("staff_access_log", occurred),
    )
    db.session.add(row)
    log.info("staff %s opened %s of member %s (%s)", staff_id, ",".join(row.fields), subject_id, purpose)
    return row


class ReviewError(RuleError):
    """The monthly review could not be signed off."""


# Purposes the site records; other features may add theirs, and the filter offers whatever is found.
PURPOSES = ("member_view", "member_export", "complaint", "complaint_contact")
NOTE_MAX_LENGTH = 2000


@dataclass(frozen=True)
class AuditFilter:
    """What the audit log is narrowed to; dates are days on the Korean calendar, both ends included."""

    staff_id: int | None = None
    subject_id: int | None = None
    purpose: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SEOUL).astimezone(UTC)


def audit_page(
    filters: AuditFilter, before: int | None = None, size: int = 50
) -> tuple[list[StaffAccess], int | None]:
    """Audit rows matching the filters, newest first by keyset; returns them and the cursor to older ones."""
    query = select(StaffAccess).order_by(StaffAccess.id.desc()).limit(size + 1)
    if filters.staff_id is not None:
        query = query.where(StaffAccess.staff_id == filters.staff_id)
    if filters.subject_id is not None:
        query = query.where(StaffAccess.subject_id == filters.subject_id)
    if filters.purpose:
        query = query.where(StaffAccess.purpose == filters.purpose)
    if filters.date_from is not None:
        query = query.where(StaffAccess.occurred_at >= _day_start(filters.date_from))
    if filters.date_to is not None:
        query = query.where(StaffAccess.occurred_at < _day_start(filters.date_to + timedelta(days=1)))
    if before is not None:
        query = query.where(StaffAccess.id < before)
    rows = list(db.session.scalars(query))
    return rows[:size], rows[size - 1].id if len(rows) > size else None


def known_purposes() -> list[str]:
    """Every purpose the filter can offer: the site's own and any found in the log."""
    found = db.session.scalars(select(StaffAccess.purpose).distinct())
    return sorted(set(PURPOSES) | set(found))


def month_of(day: date) -> date:
    """The first day of the month a day falls in."""
    return day.replace(day=1)


def previous_month(today: date | None = None) -> date:
    """The first day of the month before today's (the review's default)."""
    return month_of(month_of(today or seoul_today()) - timedelta(days=1))


def _month_range(month: date) -> tuple[datetime, datetime]:
    following = month_of(month + timedelta(days=31))
    return _day_start(month), _day_start(following)


def openings_in_month(month: date) -> int:
    """How many audit rows fall in a month on the Korean calendar."""
    start, end = _month_range(month)
    query = select(func.count()).where(StaffAccess.occurred_at >= start, StaffAccess.occurred_at < end)
    return db.session.scalar(query) or 0


@dataclass
class StaffMonth:
    """One staff member's openings in the month reviewed."""

    staff_id: int
    openings: int
    members: int
    purposes: dict[str, int] = field(default_factory=dict)
    unusual: bool = False


@dataclass
class MonthlyReview:
    """A month of the audit, per staff member, and its sign-off if given."""

    month: date
    threshold: int
    staff: list[StaffMonth]
    signed: AuditReview | None

    @property
    def total(self) -> int:
        return sum(row.openings for row in self.staff)


def monthly_review(month: date, threshold: int | None = None) -> MonthlyReview:
    """Per staff member: openings, distinct members opened and purposes in the month.

    The rule for unusual volume: a staff member who opened personal data more
    than `threshold` times in the month (AUDIT_UNUSUAL_OPENINGS, default 30) is
    highlighted; a fixed number stays meaningful when only one or two staff work.
    """
    if threshold is None:
        threshold = current_app.config["AUDIT_UNUSUAL_OPENINGS"]
    start, end = _month_range(month)
    in_month = (StaffAccess.occurred_at >= start, StaffAccess.occurred_at < end)
    totals = db.session.execute(
        select(StaffAccess.staff_id, func.count(), func.count(StaffAccess.subject_id.distinct()))
        .where(*in_month)
        .group_by(StaffAccess.staff_id)
    ).all()
    staff = {
        staff_id: StaffMonth(staff_id, openings, members, unusual=openings > threshold)
        for staff_id, openings, members in totals
    }
    for staff_id, purpose, count in db.session.execute(
        select(StaffAccess.staff_id, StaffAccess.purpose, func.count())
        .where(*in_month)
        .group_by(StaffAccess.staff_id, StaffAccess.purpose)
    ):
        staff[staff_id].purposes[purpose] = count
    rows = sorted(staff.values(), key=lambda row: (-row.openings, row.staff_id))
    return MonthlyReview(month, threshold, rows, review_of(month))


def review_of(month: date) -> AuditReview | None:
    """The sign-off of a month, if given."""
    return db.session.scalar(select(AuditReview).where(AuditReview.month == month_of(month)))


def sign_off(month: date, reviewer_id: int, note: str, now: datetime | None = None) -> AuditReview:
    """Record the privacy officer's review of a finished month (once per month); commits."""
    reviewed = now or now_utc()
    month = month_of(month)
    note = (note or "").strip()
    if month >= month_of(seoul_today(reviewed)):
        raise ReviewError("month_not_over", "month")
    if len(note) > NOTE_MAX_LENGTH:
        raise ReviewError("note_too_long", "note", max=NOTE_MAX_LENGTH)
    if review_of(month) is not None:
        raise ReviewError("already_signed", "month")
    review = AuditReview(
        month=month,
        reviewer_id=reviewer_id,
        note=note,
        reviewed_at=reviewed,
        retain_until=retain_until("staff_access_log", reviewed),
    )
    db.session.add(review)
    try:
        db.session.commit()
    except IntegrityError:  # another officer signed the same month a moment ago
        db.session.rollback()
        raise ReviewError("already_signed", "month") from None
    log.info("audit of %s signed off by staff %s", month.strftime("%Y-%m"), reviewer_id)
    return review
