"""What a request that stopped halfway would leave behind is never there: writing, moderation, shoots."""

import unicodedata

from sqlalchemy import select

from extensions import db
from models import (
    Ask,
    Booking,
    Comment,
    Member,
    ModerationAction,
    PhotographerProfile,
    Post,
    Report,
    Review,
    ShootRequest,
    TemporaryMeasure,
)
from models.board import CONTENT_STATUSES
from models.moderation import REPORT_REASONS
from services.moderation import MODERATION_REASONS, NOTE_MAX
from services.photographers import PRICE_MAX, PRICE_MIN
from services.posts import BODY_MAX, COMMENT_MAX, TITLE_MAX
from services.regions import REGION_CODES
from services.reports import DETAILS_MAX
from services.shoots import NOTES_MAX
from services.specialties import SPECIALTY_CODES
from services.text import digest

from .invariants_office import assert_accounts_whole, assert_office_whole


def clean_text(text: str, most: int, blank_ok: bool = False) -> bool:
    """Stored text is within its limit, not blank, with no carriage return, control or format
    character (the zero-width joiners excepted: emoji need them)."""
    return (
        (blank_ok or bool(text.strip()))
        and len(text) <= most
        and all(
            ch in "\n\t\u200c\u200d" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co")
            for ch in text
        )
    )


def assert_writing_whole() -> None:
    """Writing within its rules and with its fingerprint; comment counts that agree; held writing
    with its log row, blinded writing with its open measure; reports and measures either open or
    fully closed; suspensions logged."""
    actions = list(db.session.scalars(select(ModerationAction)))
    logged = {(row.action, row.target_kind, row.target_id) for row in actions}
    measures = list(db.session.scalars(select(TemporaryMeasure)))
    open_measures = {(m.target_kind, m.target_id) for m in measures if m.decided_at is None}
    posts, comments = list(db.session.scalars(select(Post))), list(db.session.scalars(select(Comment)))
    for content in posts + comments:
        texts = [(content.body, BODY_MAX if content.kind == "post" else COMMENT_MAX)]
        texts += [(content.title, TITLE_MAX)] if content.kind == "post" else []
        assert all(clean_text(text, most) for text, most in texts), content.id
        assert content.masked or content.body_hash == digest(content.body)
        assert content.status in CONTENT_STATUSES
        assert (content.status == "published") == (content.status_reason is None), content.status_reason
        if content.status == "held":
            assert ("hold", content.kind, content.id) in logged
        if content.status == "blinded":
            assert (content.kind, content.id) in open_measures
    for post in posts:
        published = sum(1 for c in comments if c.post_id == post.id and c.status == "published")
        assert post.comment_count == published, post.id
    present = {("post", p.id): p for p in posts} | {("comment", c.id): c for c in comments}
    for row in db.session.scalars(select(Report)):
        assert row.reason in REPORT_REASONS and len(row.details) <= DETAILS_MAX
        assert (row.status == "open") == (row.resolved_at is None)
        assert row.status != "open" or (row.target_kind, row.target_id) in present
    for measure in measures:
        assert (measure.objected_at is None) == (not measure.objection)
        assert (measure.decided_at is None) == (measure.decision is None)
        if measure.decided_at is None:
            assert present[(measure.target_kind, measure.target_id)].status in ("blinded", "hidden")
    for row in (action for action in actions if action.moderator_id is not None):
        assert row.reason in MODERATION_REASONS and len(row.detail.get("note", "")) <= NOTE_MAX
    for member in db.session.scalars(select(Member).where(Member.posting_suspended_until.is_not(None))):
        assert ("suspend", "member", member.id) in logged


def assert_shoots_whole() -> None:
    """Requests, asks, bookings, reviews and profiles within their rules and states."""
    for row in db.session.scalars(select(ShootRequest)):
        assert row.region in REGION_CODES and row.shoot_type in SPECIALTY_CODES and row.people >= 1
        assert row.budget > 0 and clean_text(row.notes, NOTES_MAX, blank_ok=True)
    for ask in db.session.scalars(select(Ask)):
        accepted = ask.status in ("accepted", "booked")
        assert accepted == (ask.photographer_consent_at is not None) and (not accepted or ask.price > 0)
        assert (ask.status in ("accepted", "declined", "booked")) == (ask.answered_at is not None)
        assert len(ask.message) <= 1000
    for row in db.session.scalars(select(Review)):
        assert 1 <= row.stars <= 5 and len(row.text) <= 2_000 and (row.reply is None or row.reply.strip())
    for booking in db.session.scalars(select(Booking)):
        assert booking.status in ("confirmed", "cancelled", "completed")
        assert (booking.status == "cancelled") == bool(booking.cancel_reason)
        assert (booking.status == "confirmed") == (booking.ended_at is None)
    for profile in db.session.scalars(select(PhotographerProfile)):
        assert PRICE_MIN <= profile.starting_price <= PRICE_MAX and profile.display_name.strip()
        assert profile.region_codes and set(profile.region_codes) <= REGION_CODES
        assert profile.specialty_codes and set(profile.specialty_codes) <= SPECIALTY_CODES


# Which checks read which tables: a request's writes are checked by every group they touch.
GROUPS = {
    assert_writing_whole: {
        "posts",
        "comments",
        "reports",
        "temporary_measures",
        "moderation_actions",
        "members",
    },
    assert_shoots_whole: {
        "shoot_requests",
        "asks",
        "bookings",
        "reviews",
        "photographer_profiles",
        "profile_regions",
        "profile_specialties",
    },
    assert_accounts_whole: {"members", "consent_events", "role_changes", "outbox_messages"},
    assert_office_whole: {
        "complaints",
        "campaigns",
        "campaign_deliveries",
        "policy_versions",
        "staff_accesses",
        "audit_reviews",
        "breach_notices",
        "portfolio_photos",
        "blocked_dates",
    },
}


def assert_records_whole(written: set[str]) -> None:
    """The invariants of every table group the request wrote to (all of them for a table no group
    names): what it did not touch is as whole as before."""
    unknown = written - set().union(*GROUPS.values())
    for check, tables in GROUPS.items():
        if unknown or written & tables:
            check()
