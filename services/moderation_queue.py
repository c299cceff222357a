"""The moderator queue: what waits for a decision, most urgent section first (SPEC §9)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from extensions import db
from models.board import Comment, Post
from models.member import Member
from models.moderation import ModerationAction, Report, TemporaryMeasure
from services.clock import now_utc
from services.posts import find_content
from services.rules import valid_id

SECTION_SIZE = 50
# The order moderators work through: spam held on arrival first, objections last.
SECTIONS = ("held", "auto_hidden", "reported", "measures", "objections", "hidden")


@dataclass
class QueueItem:
    """One post or comment waiting, with what is known about why."""

    content: Post | Comment
    reasons: Counter = field(default_factory=Counter)
    measure: TemporaryMeasure | None = None
    overdue: bool = False

    @property
    def kind(self) -> str:
        return self.content.kind


def _by_status(status: str, reason_filter) -> list[Post | Comment]:
    found = []
    for model in (Post, Comment):
        query = select(model).where(model.status == status)
        if reason_filter is not None:
            query = query.where(reason_filter(model))
        found += db.session.scalars(query.order_by(model.id).limit(SECTION_SIZE))
    return sorted(found, key=lambda content: content.created_at)[:SECTION_SIZE]


def _reason_counts(items: list[QueueItem]) -> None:
    """Fill in each item's open-report reasons with one query for the whole section."""
    keys = {(item.kind, item.content.id): item for item in items}
    if not keys:
        return
    rows = db.session.execute(
        select(Report.target_kind, Report.target_id, Report.reason, func.count())
        .where(Report.status == "open", Report.target_id.in_({key[1] for key in keys}))
        .group_by(Report.target_kind, Report.target_id, Report.reason)
    )
    for kind, target_id, reason, count in rows:
        if (kind, target_id) in keys:
            keys[(kind, target_id)].reasons[reason] += count


def _reported() -> list[Post | Comment]:
    """Published content with open reports, the most reported first."""
    rows = db.session.execute(
        select(Report.target_kind, Report.target_id, func.count().label("n"))
        .where(Report.status == "open")
        .group_by(Report.target_kind, Report.target_id)
        .order_by(func.count().desc(), func.min(Report.id))
        .limit(SECTION_SIZE * 2)
    )
    found = [find_content(kind, target_id) for kind, target_id, _ in rows]
    return [content for content in found if content is not None and content.status == "published"][
        :SECTION_SIZE
    ]


def _measures(objected: bool, now: datetime) -> list[QueueItem]:
    query = select(TemporaryMeasure).where(TemporaryMeasure.decided_at.is_(None))
    query = query.where(
        TemporaryMeasure.objected_at.is_not(None) if objected else TemporaryMeasure.objected_at.is_(None)
    )
    items = []
    for measure in db.session.scalars(query.order_by(TemporaryMeasure.ends_at).limit(SECTION_SIZE)):
        content = find_content(measure.target_kind, measure.target_id)
        if content is not None:
            items.append(QueueItem(content, measure=measure, overdue=measure.ends_at <= now))
    return items


def queue(now: datetime | None = None) -> dict[str, list[QueueItem]]:
    """Every section of the queue, each oldest (or most urgent) first."""
    now = now or now_utc()
    sections = {
        "held": [QueueItem(c) for c in _by_status("held", None)],
        "auto_hidden": [QueueItem(c) for c in _by_status("hidden", lambda m: m.status_reason == "reports")],
        "reported": [QueueItem(c) for c in _reported()],
        "measures": _measures(False, now),
        "objections": _measures(True, now),
        # Hidden by a moderator pending a last word: kept in view so it can be restored or deleted.
        "hidden": [QueueItem(c) for c in _by_status("hidden", lambda m: m.status_reason == "moderator")],
    }
    for items in sections.values():
        _reason_counts(items)
    return sections


def reports_on(content: Post | Comment) -> list[Report]:
    """Every report on this content, newest first."""
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.target_kind == content.kind, Report.target_id == content.id)
            .order_by(Report.id.desc())
        )
    )


def history_of(kind: str, target_id: int) -> list[ModerationAction]:
    """The logged steps on one post, comment or member, oldest first."""
    return list(
        db.session.scalars(
            select(ModerationAction)
            .where(ModerationAction.target_kind == kind, ModerationAction.target_id == target_id)
            .order_by(ModerationAction.id)
        )
    )


def suspended_members(now: datetime | None = None) -> list[Member]:
    """Members whose posting suspension is running, the soonest to end first."""
    return list(
        db.session.scalars(
            select(Member)
            .where(Member.posting_suspended_until > (now or now_utc()))
            .order_by(Member.posting_suspended_until)
        )
    )


def author_of(content: Post | Comment) -> Member | None:
    """The author's account (None once they withdrew), for the public facts a moderator may see."""
    return db.session.get(Member, content.author_id) if content.author_id else None


def member_by_id(member_id: int) -> Member | None:
    """A member by id (the suspensions page)."""
    return db.session.get(Member, member_id) if valid_id(member_id) else None
