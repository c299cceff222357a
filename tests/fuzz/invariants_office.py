"""Whole records of accounts and of the privacy office: members, consents, roles, mail, complaints,
campaigns, policy drafts, audit rows, breach notices, photos and calendars."""

import re
from datetime import date

from flask import current_app
from sqlalchemy import select

from extensions import db
from models import (
    AuditReview,
    BlockedDate,
    BreachNotice,
    Campaign,
    CampaignDelivery,
    Complaint,
    ConsentEvent,
    Member,
    OutboxMessage,
    PolicyVersion,
    PortfolioPhoto,
    RoleChange,
    StaffAccess,
)
from models.complaint import COMPLAINT_KINDS, COMPLAINT_STATUSES
from models.consent import CONSENT_ITEMS, REQUIRED_CONSENTS
from models.marketing import CAMPAIGN_STATUSES, DELIVERY_STATUSES
from models.member import STAFF_ROLES
from models.policy import IMPORTANCE_LEVELS, POLICY_KINDS
from services import breach, complaints, marketing, policy_drafts
from services.clock import seoul_today
from services.member_lookup import VIEWABLE_FIELDS
from services.photos import path_for
from services.profile import CORRECTABLE
from services.regions import REGION_CODES
from services.staff_audit import NOTE_MAX_LENGTH, PURPOSES, REASON_MAX_LENGTH, REASON_MIN_LENGTH

# The outbox rows a world builder marks failed on purpose, for the retry form.
MADE_FAILED = "fuzz: failed on purpose"


def _filled(text: str | None, most: int) -> bool:
    return bool(text and text.strip()) and len(text) <= most


def assert_accounts_whole() -> None:
    """Members within their rules, the consent ledger and role log agreeing with them, mail sent whole."""
    languages = current_app.config["LANGUAGES"]
    latest_role: dict[int, str | None] = {}
    for change in db.session.scalars(select(RoleChange).order_by(RoleChange.id)):
        assert change.before != change.after and {change.before, change.after} <= {*STAFF_ROLES, None}
        latest_role[change.member_id] = change.after
    consents: dict[int, dict[str, bool]] = {}
    for event in db.session.scalars(select(ConsentEvent).order_by(ConsentEvent.id)):
        assert event.item in CONSENT_ITEMS and event.policy_version, event.id
        consents.setdefault(event.member_id, {})[event.item] = event.granted
    for member in db.session.scalars(select(Member).where(Member.status != "dormant")):
        assert _filled(member.name, 100) and member.language in languages, member.id
        assert date(1900, 1, 1) <= member.birth_date <= seoul_today(), member.id
        assert member.preferred_region is None or member.preferred_region in REGION_CODES
        assert set(member.corrections_requested or []) <= set(CORRECTABLE)
        assert member.staff_role in (*STAFF_ROLES, None)
        if member.id in latest_role:  # the role and its log say the same
            assert member.staff_role == latest_role[member.id], member.id
        given = consents.get(member.id, {})
        assert all(given.get(item) for item in REQUIRED_CONSENTS), member.id
        if member.phone_encrypted or member.preferred_region:  # optional items only with their consent
            assert given.get("optional_profile"), member.id
    for message in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status.in_(("failed", "sending")))
    ):
        # Mail a fuzzed request caused was rendered and sent in that request, whatever the text.
        assert message.status == "failed" and message.last_error == MADE_FAILED, (
            message.template,
            message.last_error,
        )


def assert_office_whole() -> None:
    """Complaints, campaigns, policy drafts, audit rows, reviews, breach notices, photos and calendars."""
    for row in db.session.scalars(select(Complaint)):
        assert row.kind in COMPLAINT_KINDS and row.status in COMPLAINT_STATUSES
        assert _filled(row.subject, complaints.SUBJECT_MAX) and "\n" not in row.subject
        assert _filled(row.body, complaints.BODY_MAX)
        assert row.member_id is not None or re.fullmatch(r"[^@\s]+@[^@\s]+", row.email), row.id
        assert (row.answer is None) == (row.answered_at is None) == (row.answered_by is None)
        assert (row.status == "answered") <= (row.answer is not None)
        assert (row.status == "closed") == (row.closed_at is not None) == (row.retain_until is not None)
    for row in db.session.scalars(select(Campaign)):
        assert row.status in CAMPAIGN_STATUSES and (row.status == "draft") == (row.started_at is None)
        assert _filled(row.subject_ko, marketing.SUBJECT_MAX) and _filled(
            row.subject_en, marketing.SUBJECT_MAX
        )
        assert _filled(row.body_ko, marketing.BODY_MAX) and _filled(row.body_en, marketing.BODY_MAX)
    for row in db.session.scalars(select(CampaignDelivery)):
        assert row.status in DELIVERY_STATUSES and (row.status == "queued") == (row.queued_at is not None)
    seen = set()
    for row in db.session.scalars(select(PolicyVersion)):
        assert row.kind in POLICY_KINDS and row.importance in IMPORTANCE_LEVELS
        assert (row.kind, row.version) not in seen and re.fullmatch(
            policy_drafts.VERSION_PATTERN, row.version
        )
        seen.add((row.kind, row.version))
        if row.created_by is not None:  # written in the console: every text there, within its limit
            assert _filled(row.summary_ko, policy_drafts.SUMMARY_MAX), row.id
            assert _filled(row.summary_en, policy_drafts.SUMMARY_MAX), row.id
            assert _filled(row.body_ko, policy_drafts.BODY_MAX) and _filled(
                row.body_en, policy_drafts.BODY_MAX
            )
    for row in db.session.scalars(select(StaffAccess)):
        assert row.purpose in PURPOSES and REASON_MIN_LENGTH <= len(row.reason) <= REASON_MAX_LENGTH
        assert row.retain_until is not None
        if row.purpose == "member_view":
            assert row.fields and set(row.fields) <= set(VIEWABLE_FIELDS), row.fields
    for row in db.session.scalars(select(AuditReview)):
        assert row.month.day == 1 and len(row.note) <= NOTE_MAX_LENGTH and row.retain_until is not None
    for row in db.session.scalars(select(BreachNotice)):
        assert _filled(row.subject_ko, breach.SUBJECT_MAX) and _filled(row.body_ko, breach.BODY_MAX)
        assert _filled(row.subject_en, breach.SUBJECT_MAX) and _filled(row.body_en, breach.BODY_MAX)
        assert row.member_ids is None or (0 < len(row.member_ids) <= breach.MAX_CHOSEN)
    for row in db.session.scalars(select(PortfolioPhoto)):
        assert row.width > 0 and row.height > 0
        assert path_for(row.stored_name).is_file() and path_for(row.stored_name, thumb=True).is_file()
    for row in db.session.scalars(select(BlockedDate)):
        assert isinstance(row.day, date)
