"""What moderators do to posts, comments and accounts; every step logged and the author told (SPEC §9)."""

import logging
from datetime import timedelta

from sqlalchemy import update

from extensions import db
from models.board import Comment, Post
from models.member import Member
from models.moderation import Report
from services.clock import now_utc, seoul_today
from services.moderation_log import record_action
from services.moderation_notices import tell_author, tell_measure, tell_member
from services.posts import (
    PostingError,
    find_content,
    posting_suspended_until,
    remove_comment,
    remove_posts,
    set_status,
)
from services.reports import open_measure
from services.retention_store import keep
from services.text import mask_spans, normalise

log = logging.getLogger(__name__)

# Why a moderator acted; each is worded in the author's language in the e-mail.
MODERATION_REASONS = ("spam", "defamation", "privacy", "impersonation", "rights", "off_topic", "other")
# Reasons that make a deletion or a suspension a record of illegal use (kept 3 years).
VIOLATIONS = ("spam", "defamation", "privacy", "impersonation", "rights")
NOTE_MAX = 500
SUSPENSION_DAYS = (1, 3, 7, 30, 90, 365)
MASKS_MAX = 20


def _why(code: str, note: str | None) -> dict:
    """The checked reason code and the moderator's note, as the log row's detail."""
    if code not in MODERATION_REASONS:
        raise PostingError("bad_reason", "reason")
    note = normalise(note)
    if len(note) > NOTE_MAX:
        raise PostingError("too_long", "note", most=NOTE_MAX)
    return {"note": note} if note else {}


def _close_reports(content: Post | Comment, status: str) -> None:
    db.session.execute(
        update(Report)
        .where(Report.target_kind == content.kind, Report.target_id == content.id, Report.status == "open")
        .values(status=status, resolved_at=now_utc())
    )


def _decide_measure(content: Post | Comment, decision: str) -> None:
    measure = open_measure(content)
    if measure is not None:
        measure.decision, measure.decided_at = decision, now_utc()
        tell_measure(content, measure.claimant_id, decision, seoul_today(measure.ends_at).isoformat())


def dismiss_reports(moderator: Member, content: Post | Comment, code: str, note: str | None = None) -> None:
    """Reports found groundless: closed, and content the reports hid is shown again; commits."""
    why = _why(code, note)
    _close_reports(content, "dismissed")
    if content.status == "hidden" and content.status_reason == "reports":
        set_status(content, "published", None)
        tell_author(content, "restore", code, why.get("note", ""))
    record_action("dismiss", content.kind, content.id, content.author_id, code, moderator.id, why)
    db.session.commit()


def hide(moderator: Member, content: Post | Comment, code: str, note: str | None = None) -> None:
    """Take content out of sight pending a decision; commits."""
    why = _why(code, note)
    set_status(content, "hidden", "moderator")
    _close_reports(content, "upheld")
    record_action("hide", content.kind, content.id, content.author_id, code, moderator.id, why)
    tell_author(content, "hide", code, why.get("note", ""))
    db.session.commit()


def restore(moderator: Member, content: Post | Comment, code: str, note: str | None = None) -> None:
    """Publish held, hidden or blinded content again; a temporary measure ends as 'restored'; commits."""
    why = _why(code, note)
    set_status(content, "published", None)
    _close_reports(content, "dismissed")
    _decide_measure(content, "restored")
    record_action("restore", content.kind, content.id, content.author_id, code, moderator.id, why)
    tell_author(content, "restore", code, why.get("note", ""))
    db.session.commit()


def delete(moderator: Member, content: Post | Comment, code: str, note: str | None = None) -> None:
    """Delete content for good; commits."""
    _delete(moderator, content, _why(code, note), code)
    db.session.commit()


def bulk_delete(moderator: Member, targets: list[tuple[str, int]], code: str, note: str | None = None) -> int:
    """Delete many posts or comments at once (a spam wave), in one transaction; returns how many."""
    why = _why(code, note)
    done = 0
    for kind, target_id in dict.fromkeys(targets):
        content = find_content(kind, target_id)
        if content is not None:
            _delete(moderator, content, why, code)
            done += 1
    db.session.commit()
    return done


def _delete(moderator: Member, content: Post | Comment, why: dict, code: str) -> None:
    _close_reports(content, "upheld")
    _decide_measure(content, "deleted")
    tell_author(content, "delete", code, why.get("note", ""))
    record_action("delete", content.kind, content.id, content.author_id, code, moderator.id, why)
    if code in VIOLATIONS and content.author_id:
        _keep_violation(content.author_id, "content_deleted", code)
    if isinstance(content, Comment):
        remove_comment(content)
    else:
        remove_posts([content.id])
    db.session.flush()


def mask(
    moderator: Member, content: Post | Comment, spans: list[str], code: str, note: str | None = None
) -> None:
    """Republish content with the chosen spans replaced by symbols (e.g. a name becomes ○○○); commits."""
    why = _why(code, note)
    spans = [span for span in (normalise(s) for s in spans) if span][:MASKS_MAX]
    fields = ("title", "body") if isinstance(content, Post) else ("body",)
    before = {name: getattr(content, name) for name in fields}
    after = {name: mask_spans(value, spans) for name, value in before.items()}
    if not spans or after == before:
        raise PostingError("mask_not_found", "spans")
    for name, value in after.items():
        setattr(content, name, value)
    content.masked = True
    set_status(content, "published", None)
    _close_reports(content, "upheld")
    _decide_measure(content, "restored")
    record_action(
        "mask",
        content.kind,
        content.id,
        content.author_id,
        code,
        moderator.id,
        why | {"before": before, "after": after},
    )
    tell_author(content, "mask", code, why.get("note", ""))
    db.session.commit()


def suspend(moderator: Member, member: Member, days: int, code: str, note: str | None = None) -> None:
    """Stop a member posting and commenting for some days (reading and booking stay open); commits."""
    why = _why(code, note)
    if days not in SUSPENSION_DAYS:
        raise PostingError("bad_days", "days")
    if member.has_role("moderator"):
        raise PostingError("staff_member")
    # A shorter suspension never cuts a longer one short (lifting it is a step of its own).
    member.posting_suspended_until = max(
        posting_suspended_until(member) or now_utc(), now_utc() + timedelta(days=days)
    )
    until = seoul_today(member.posting_suspended_until).isoformat()
    record_action("suspend", "member", member.id, member.id, code, moderator.id, why | {"days": days})
    if code in VIOLATIONS:
        _keep_violation(member.id, "posting_suspended", code, days=days)
    tell_member(member.id, "suspend", code, until, why.get("note", ""))
    db.session.commit()


def lift_suspension(moderator: Member, member: Member, code: str, note: str | None = None) -> None:
    """End a posting suspension early; commits."""
    why = _why(code, note)
    member.posting_suspended_until = None
    record_action("unsuspend", "member", member.id, member.id, code, moderator.id, why)
    tell_member(member.id, "unsuspend", code, note=why.get("note", ""))
    db.session.commit()


def _keep_violation(member_id: int, what: str, code: str, **extra) -> None:
    """An illegal-use record: the least that stops repeat abuse, under a pseudonymous key."""
    member = db.session.get(Member, member_id)
    if member is not None and member.email:
        keep("illegal_use", member.email, {"what": what, "reason": code} | extra)
