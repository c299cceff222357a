"""Members reporting posts and comments, and the measures reports set off (SPEC §9).

- A member reports a thing once, with a reason and optional details.
- When REPORT_HIDE_THRESHOLD distinct members have open reports on it, it is
  hidden until a moderator reviews it.
- A defamation or privacy claim starts the temporary measure at once: the
  content is blinded for TEMPORARY_MEASURE_DAYS, the claimant and the author
  are told, and the author may object until a moderator decides.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models.board import Comment, Post
from models.member import Member
from models.moderation import REPORT_REASONS, Report, TemporaryMeasure
from services import throttle
from services.clock import now_utc, seoul_today
from services.moderation_log import record_action
from services.moderation_notices import tell_author, tell_measure
from services.posts import PostingError, set_status
from services.text import normalise

MEASURE_REASONS = ("defamation", "privacy")
_REPORT_FIELDS = ("target_kind", "target_id", "reporter_id", "reason", "details", "created_at")
DETAILS_MAX = 1_000


def open_measure(content: Post | Comment) -> TemporaryMeasure | None:
    """The undecided temporary measure on this content, if any."""
    return db.session.scalar(
        select(TemporaryMeasure).where(
            TemporaryMeasure.target_kind == content.kind,
            TemporaryMeasure.target_id == content.id,
            TemporaryMeasure.decided_at.is_(None),
        )
    )


def open_measures(kind: str, ids: list[int]) -> dict[int, TemporaryMeasure]:
    """The undecided measures on many posts or comments of one kind, by target id, in one query."""
    if not ids:
        return {}
    rows = db.session.scalars(
        select(TemporaryMeasure).where(
            TemporaryMeasure.target_kind == kind,
            TemporaryMeasure.target_id.in_(ids),
            TemporaryMeasure.decided_at.is_(None),
        )
    )
    return {row.target_id: row for row in rows}


def has_reported(member: Member, content: Post | Comment) -> bool:
    """Whether the member already reported this content."""
    return bool(
        db.session.scalar(
            select(func.count()).where(
                Report.reporter_id == member.id,
                Report.target_kind == content.kind,
                Report.target_id == content.id,
            )
        )
    )


def report(reporter: Member, content: Post | Comment, reason: str, details: str | None = None) -> Report:
    """Record one member's report and apply what it sets off; commits."""
    if reason not in REPORT_REASONS:
        raise PostingError("bad_reason", "reason")
    if content.author_id == reporter.id:
        raise PostingError("own_content")
    limit = current_app.config["REPORTS_PER_HOUR"]
    if throttle.is_blocked("report", str(reporter.id), limit):
        raise PostingError("rate_limited", limit=limit)
    details = normalise(details)
    if len(details) > DETAILS_MAX:
        raise PostingError("too_long", "details", most=DETAILS_MAX)
    now = now_utc()
    row = Report(
        target_kind=content.kind,
        target_id=content.id,
        reporter_id=reporter.id,
        reason=reason,
        details=details,
        created_at=now,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise PostingError("already_reported") from None
    if reason in MEASURE_REASONS and content.status in ("published", "hidden") and not open_measure(content):
        start_measure(content, reporter.id, reason, now)
    elif (
        content.status == "published"
        and _open_reporters(content) >= current_app.config["REPORT_HIDE_THRESHOLD"]
    ):
        set_status(content, "hidden", "reports")
        record_action("auto_hide", content.kind, content.id, content.author_id, "reports")
        tell_author(content, "auto_hide")
    try:
        db.session.commit()
    except IntegrityError:
        # Another claim opened the measure at the same moment (one open measure per target):
        # this report still counts, the measure is the other one's.
        db.session.rollback()
        row = Report(**{key: getattr(row, key) for key in _REPORT_FIELDS})
        db.session.add(row)
        db.session.commit()
    throttle.record_failure("report", str(reporter.id), timedelta(hours=1), now)
    return row


def _open_reporters(content: Post | Comment) -> int:
    return db.session.scalar(
        select(func.count(func.distinct(Report.reporter_id))).where(
            Report.target_kind == content.kind, Report.target_id == content.id, Report.status == "open"
        )
    )


def start_measure(content: Post | Comment, claimant_id: int, reason: str, now: datetime) -> TemporaryMeasure:
    """Blind the content for the measure's period and tell both sides (the caller commits)."""
    days = current_app.config["TEMPORARY_MEASURE_DAYS"]
    measure = TemporaryMeasure(
        target_kind=content.kind,
        target_id=content.id,
        claimant_id=claimant_id,
        reason=reason,
        started_at=now,
        ends_at=now + timedelta(days=days),
    )
    db.session.add(measure)
    set_status(content, "blinded", "measure")
    record_action("measure_start", content.kind, content.id, content.author_id, reason)
    tell_measure(content, claimant_id, "started", seoul_today(measure.ends_at).isoformat())
    return measure


def object_to_measure(author: Member, content: Post | Comment, text: str | None) -> TemporaryMeasure:
    """The author's objection to a temporary measure on their content; commits."""
    if content.author_id != author.id:
        raise PostingError("not_yours")
    measure = open_measure(content)
    if measure is None:
        raise PostingError("no_measure")
    if measure.objected_at is not None:
        raise PostingError("already_objected")
    text = normalise(text)
    if not text:
        raise PostingError("empty", "objection")
    if len(text) > DETAILS_MAX:
        raise PostingError("too_long", "objection", most=DETAILS_MAX)
    measure.objection, measure.objected_at = text, now_utc()
    record_action("objection", content.kind, content.id, author.id)
    db.session.commit()
    return measure
