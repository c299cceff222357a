"""The personal-data registry: every column holding personal data, its category, and how it is read.

Export (and, as they land, withdrawal, dormancy and purge) are written against
this registry, and a test fails when a model gains a column that is neither
here nor declared not personal below, so no new field can be forgotten.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from models.access_log import AccessLog
from models.board import Comment, Post
from models.complaint import Complaint
from models.consent import ConsentEvent
from models.marketing import CampaignDelivery
from models.member import Member
from models.moderation import ModerationAction, Report
from models.outbox import OutboxMessage
from models.photographer import (
    BlockedDate,
    PhotographerProfile,
    PortfolioPhoto,
    ProfileRegion,
    ProfileSpecialty,
)
from models.shoot import Booking, ContactProvision, Review, ShootRequest
from models.sign_in import MemberSession, RecoveryCode, SignInEvent
from services.field_crypto import decrypt_field


@dataclass(frozen=True)
class PersonalField:
    """One column of personal data."""

    table: str
    column: str
    # identity, contact, credential, profile, consent, activity, posts, reports, moderation,
    # photographer, pseudonym
    category: str
    exported: bool = True
    reader: Callable | None = None  # turns the stored value into what the member reads


def _phone(value: bytes | None) -> str | None:
    return decrypt_field(value, "member.phone") if value else None


REGISTRY = (
    PersonalField("members", "email", "contact"),
    PersonalField("members", "email_key", "contact", exported=False),  # a lower-cased copy of email
    PersonalField("members", "password_hash", "credential", exported=False),
    PersonalField("members", "name", "identity"),
    PersonalField("members", "birth_date", "identity"),
    PersonalField("members", "phone_encrypted", "contact", reader=_phone),
    PersonalField("members", "preferred_region", "profile"),
    PersonalField("members", "language", "profile"),
    PersonalField("members", "status", "activity"),
    PersonalField("members", "corrections_requested", "profile"),
    PersonalField("members", "dormancy_notice_at", "activity"),
    PersonalField("dormant_records", "sealed", "identity", exported=False),  # readable only to restore
    PersonalField("members", "created_at", "activity"),
    PersonalField("members", "email_verified_at", "activity"),
    PersonalField("members", "last_active_at", "activity"),
    PersonalField("members", "staff_role", "profile"),
    PersonalField("members", "posting_suspended_until", "moderation"),
    PersonalField("members", "marketing_reminded_at", "consent"),
    # Two-step sign-in: the secret and the spent time step never leave the site; whether it is on does.
    PersonalField("members", "totp_secret_encrypted", "credential", exported=False),
    PersonalField("members", "totp_last_step", "credential", exported=False),
    PersonalField("members", "two_step_enabled_at", "activity"),
    PersonalField("recovery_codes", "lookup", "credential", exported=False),
    PersonalField("recovery_codes", "code_hash", "credential", exported=False),
    PersonalField("recovery_codes", "created_at", "activity"),
    # Signed-in sessions: shown in My info and exported; the key's hash is a credential.
    PersonalField("member_sessions", "key_hash", "credential", exported=False),
    PersonalField("member_sessions", "device", "activity"),
    PersonalField("member_sessions", "created_at", "activity"),
    PersonalField("member_sessions", "last_seen_at", "activity"),
    PersonalField("member_sessions", "two_step_at", "activity"),
    # What a member writes on the boards is theirs: exported, deleted or unlinked at withdrawal.
    PersonalField("posts", "title", "posts"),
    PersonalField("posts", "body", "posts"),
    PersonalField("posts", "body_hash", "pseudonym", exported=False),
    PersonalField("posts", "status", "posts"),
    PersonalField("posts", "masked", "posts"),
    PersonalField("posts", "created_at", "posts"),
    PersonalField("posts", "edited_at", "posts"),
    PersonalField("comments", "body", "posts"),
    PersonalField("comments", "body_hash", "pseudonym", exported=False),
    PersonalField("comments", "status", "posts"),
    PersonalField("comments", "masked", "posts"),
    PersonalField("comments", "created_at", "posts"),
    PersonalField("comments", "edited_at", "posts"),
    PersonalField("reports", "reason", "reports"),
    PersonalField("reports", "details", "reports"),
    PersonalField("reports", "created_at", "reports"),
    PersonalField("reports", "status", "reports"),
    # The claimant's claim; the objection is the author's words, shown only to moderators.
    PersonalField("temporary_measures", "reason", "reports", exported=False),
    PersonalField("temporary_measures", "objection", "posts", exported=False),
    PersonalField("moderation_actions", "action", "moderation"),
    PersonalField("moderation_actions", "reason", "moderation"),
    PersonalField("moderation_actions", "created_at", "moderation"),
    # A photographer's public profile is theirs too: exported, and deleted at withdrawal.
    PersonalField("photographer_profiles", "display_name", "photographer"),
    PersonalField("photographer_profiles", "bio_ko", "photographer"),
    PersonalField("photographer_profiles", "bio_en", "photographer"),
    PersonalField("photographer_profiles", "starting_price", "photographer"),
    PersonalField("photographer_profiles", "languages", "photographer"),
    PersonalField("photographer_profiles", "rating", "photographer"),
    PersonalField("photographer_profiles", "review_count", "photographer"),
    PersonalField("photographer_profiles", "created_at", "photographer"),
    PersonalField("photographer_profiles", "updated_at", "photographer"),
    PersonalField("profile_regions", "region", "photographer"),
    PersonalField("profile_specialties", "specialty", "photographer"),
    PersonalField("blocked_dates", "day", "photographer"),
    # The files themselves are removed with the rows (services/withdrawal.py).
    PersonalField("portfolio_photos", "stored_name", "photographer"),
    PersonalField("portfolio_photos", "created_at", "photographer"),
    # Shoot requests and asks: the customer's wishes, the photographer's answers.
    PersonalField("shoot_requests", "region", "shoots"),
    PersonalField("shoot_requests", "shoot_date", "shoots"),
    PersonalField("shoot_requests", "time_window", "shoots"),
    PersonalField("shoot_requests", "shoot_type", "shoots"),
    PersonalField("shoot_requests", "people", "shoots"),
    PersonalField("shoot_requests", "budget", "shoots"),
    PersonalField("shoot_requests", "notes", "shoots"),
    PersonalField("shoot_requests", "status", "shoots"),
    PersonalField("shoot_requests", "created_at", "shoots"),
    PersonalField("asks", "price", "shoots", exported=False),  # the photographer's, read on their side
    PersonalField("asks", "message", "shoots", exported=False),
    # The contract: kept in retention storage at withdrawal (services/withdrawal.py).
    PersonalField("bookings", "shoot_date", "contract"),
    PersonalField("bookings", "price", "contract"),
    PersonalField("bookings", "commission_rate_bp", "contract"),
    PersonalField("bookings", "commission", "contract"),
    PersonalField("bookings", "status", "contract"),
    PersonalField("bookings", "customer_consent_at", "contract"),
    PersonalField("bookings", "photographer_consent_at", "contract"),
    PersonalField("bookings", "created_at", "contract"),
    PersonalField("bookings", "cancelled_by", "contract"),
    PersonalField("bookings", "cancel_reason", "contract"),
    PersonalField("bookings", "ended_at", "contract"),
    # A customer's review is published without their name; it stays, unlinked, after a withdrawal.
    PersonalField("reviews", "stars", "reviews"),
    PersonalField("reviews", "text", "reviews"),
    PersonalField("reviews", "created_at", "reviews"),
    PersonalField("reviews", "reply", "reviews", exported=False),  # the photographer's words
    PersonalField("reviews", "replied_at", "reviews", exported=False),
    PersonalField("contact_provisions", "fields", "provision"),
    PersonalField("contact_provisions", "basis", "provision"),
    PersonalField("contact_provisions", "provided_at", "provision"),
    # Masks keep the text before masking: it may name the person the mask protects.
    PersonalField("moderation_actions", "detail", "moderation", exported=False),
    PersonalField("consent_events", "item", "consent"),
    PersonalField("consent_events", "granted", "consent"),
    PersonalField("consent_events", "policy_version", "consent"),
    PersonalField("consent_events", "channel", "consent"),
    PersonalField("consent_events", "occurred_at", "consent"),
    PersonalField("sign_in_events", "occurred_at", "activity"),
    PersonalField("sign_in_events", "ip_hash", "pseudonym", exported=False),
    PersonalField("outbox_messages", "recipient", "contact"),
    PersonalField("outbox_messages", "member_id", "pseudonym", exported=False),
    PersonalField("outbox_messages", "template", "activity"),
    PersonalField("outbox_messages", "context", "contact", exported=False),  # links with one-time tokens
    PersonalField("outbox_messages", "status", "activity"),
    PersonalField("outbox_messages", "created_at", "activity"),
    PersonalField("access_logs", "member_id", "pseudonym", exported=False),
    PersonalField("access_logs", "occurred_at", "activity"),
    PersonalField("access_logs", "method", "activity"),
    PersonalField("access_logs", "path", "activity"),
    PersonalField("access_logs", "status", "activity"),
    PersonalField("access_logs", "ip_hash", "pseudonym", exported=False),
    PersonalField("retention_records", "subject_key", "pseudonym", exported=False),
    PersonalField("retention_records", "payload", "pseudonym", exported=False),
    PersonalField("throttle_counters", "key", "pseudonym", exported=False),
    PersonalField("withdrawn_addresses", "email_hash", "pseudonym", exported=False),
    # The privacy office's audit: ids link to members until they leave; kept 2 years regardless.
    PersonalField("staff_accesses", "staff_id", "pseudonym", exported=False),
    PersonalField("staff_accesses", "subject_id", "pseudonym", exported=False),
    PersonalField("staff_accesses", "reason", "audit", exported=False),
    PersonalField("role_changes", "actor_id", "pseudonym", exported=False),
    PersonalField("role_changes", "member_id", "pseudonym", exported=False),
    PersonalField("audit_reviews", "reviewer_id", "pseudonym", exported=False),
    PersonalField("audit_reviews", "note", "audit", exported=False),
    # Complaints and questions are the member's words: exported, and kept 3 years after closing.
    PersonalField("complaints", "email", "contact"),
    PersonalField("complaints", "kind", "complaints"),
    PersonalField("complaints", "subject", "complaints"),
    PersonalField("complaints", "body", "complaints"),
    PersonalField("complaints", "answer", "complaints"),
    PersonalField("complaints", "status", "complaints"),
    PersonalField("complaints", "created_at", "complaints"),
    PersonalField("complaints", "answered_at", "complaints"),
    PersonalField("complaints", "closed_at", "complaints"),
    # Who received which advertisement, when (the advertising record, kept 6 months).
    PersonalField("campaign_deliveries", "member_id", "pseudonym", exported=False),
    PersonalField("campaign_deliveries", "status", "marketing"),
    PersonalField("campaign_deliveries", "send_after", "marketing"),
    PersonalField("campaign_deliveries", "created_at", "marketing"),
    PersonalField("campaign_deliveries", "queued_at", "marketing"),
    PersonalField("breach_notices", "member_ids", "pseudonym", exported=False),
)

# Columns that hold nothing about a person (ids, bookkeeping, site content).
NOT_PERSONAL = {
    "members": {"id", "session_version"},
    "consent_events": {"id", "member_id"},
    "sign_in_events": {"id", "member_id"},
    "member_sessions": {"id", "member_id"},
    "recovery_codes": {"id", "member_id"},
    "outbox_messages": {
        "id",
        "locale",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "claim_token",
        "enqueued_at",
        "sent_at",
        "erase_after_send",
    },
    "access_logs": {"id", "retain_until"},
    "retention_records": {"id", "category", "created_at", "retain_until"},
    "throttle_counters": {"count", "window_ends_at"},
    "withdrawn_addresses": {"id", "withdrawn_at", "forget_at"},
    "dormant_records": {"member_id", "moved_at"},
    "boards": {"id", "slug", "name_ko", "name_en", "description_ko", "description_en", "position"},
    "posts": {"id", "board_id", "author_id", "status_reason", "comment_count"},
    "comments": {"id", "post_id", "author_id", "status_reason"},
    "reports": {"id", "target_kind", "target_id", "reporter_id", "resolved_at"},
    "temporary_measures": {
        "id",
        "target_kind",
        "target_id",
        "claimant_id",
        "started_at",
        "ends_at",
        "objected_at",
        "decision",
        "decided_at",
    },
    "moderation_actions": {"id", "moderator_id", "target_kind", "target_id", "subject_id"},
    "photographer_profiles": {"id", "member_id", "content_version"},  # a page-cache counter
    "profile_regions": {"profile_id"},
    "profile_specialties": {"profile_id"},
    "blocked_dates": {"profile_id"},
    "portfolio_photos": {"id", "profile_id", "width", "height"},
    "shoot_requests": {"id", "customer_id"},
    "asks": {
        "id",
        "request_id",
        "profile_id",
        "status",
        "photographer_consent_at",
        "created_at",
        "expires_at",
        "answered_at",
    },
    "bookings": {"id", "request_id", "ask_id", "customer_id", "profile_id", "photographer_id"},
    "contact_provisions": {"id", "booking_id", "owner_id", "recipient_id"},
    "reviews": {"id", "booking_id", "profile_id", "customer_id"},
    "notices": {"id", "title_ko", "title_en", "body_ko", "body_en", "published_at"},
    "staff_accesses": {"id", "purpose", "fields", "occurred_at", "retain_until"},
    "role_changes": {"id", "before", "after", "occurred_at", "retain_until"},
    "audit_reviews": {"id", "month", "reviewed_at", "retain_until"},
    "complaints": {"id", "member_id", "locale", "answered_by", "retain_until"},
    "campaigns": {
        "id",
        "subject_ko",
        "subject_en",
        "body_ko",
        "body_en",
        "status",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "cursor",
    },
    "campaign_deliveries": {"id", "campaign_id", "retain_until"},
    "breach_notices": {
        "id",
        "subject_ko",
        "subject_en",
        "body_ko",
        "body_en",
        "sent_by",
        "created_at",
        "cursor",
        "recipients",
        "finished_at",
    },
    "policy_versions": {
        "id",
        "body_ko",
        "body_en",
        "created_by",
        "announced_at",
        "notice_cursor",
        "notice_finished_at",
        "kind",
        "version",
        "enacted_on",
        "effective_on",
        "importance",
        "summary_ko",
        "summary_en",
        "promises",
        "created_at",
    },
}


def _profile_ids(member: Member) -> Select:
    return select(PhotographerProfile.id).where(PhotographerProfile.member_id == member.id)


# How each table's rows are found for one member (tables without an entry hold
# only pseudonyms that cannot be listed by member).
OWNERSHIP = {
    "members": (Member, lambda member: Member.id == member.id),
    "consent_events": (ConsentEvent, lambda member: ConsentEvent.member_id == member.id),
    "sign_in_events": (SignInEvent, lambda member: SignInEvent.member_id == member.id),
    "member_sessions": (MemberSession, lambda member: MemberSession.member_id == member.id),
    "recovery_codes": (RecoveryCode, lambda member: RecoveryCode.member_id == member.id),
    "outbox_messages": (OutboxMessage, lambda member: OutboxMessage.member_id == member.id),
    "access_logs": (AccessLog, lambda member: AccessLog.member_id == member.id),
    "posts": (Post, lambda member: Post.author_id == member.id),
    "comments": (Comment, lambda member: Comment.author_id == member.id),
    "reports": (Report, lambda member: Report.reporter_id == member.id),
    "moderation_actions": (ModerationAction, lambda member: ModerationAction.subject_id == member.id),
    "photographer_profiles": (PhotographerProfile, lambda member: PhotographerProfile.member_id == member.id),
    "profile_regions": (ProfileRegion, lambda member: ProfileRegion.profile_id.in_(_profile_ids(member))),
    "profile_specialties": (
        ProfileSpecialty,
        lambda member: ProfileSpecialty.profile_id.in_(_profile_ids(member)),
    ),
    "blocked_dates": (BlockedDate, lambda member: BlockedDate.profile_id.in_(_profile_ids(member))),
    "portfolio_photos": (PortfolioPhoto, lambda member: PortfolioPhoto.profile_id.in_(_profile_ids(member))),
    "shoot_requests": (ShootRequest, lambda member: ShootRequest.customer_id == member.id),
    "bookings": (
        Booking,
        lambda member: or_(Booking.customer_id == member.id, Booking.photographer_id == member.id),
    ),
    "contact_provisions": (ContactProvision, lambda member: ContactProvision.owner_id == member.id),
    "reviews": (Review, lambda member: Review.customer_id == member.id),
    "complaints": (Complaint, lambda member: Complaint.member_id == member.id),
    "campaign_deliveries": (CampaignDelivery, lambda member: CampaignDelivery.member_id == member.id),
}


def fields_of(table: str, exported_only: bool = False) -> list[PersonalField]:
    """The registered personal fields of one table."""
    return [f for f in REGISTRY if f.table == table and (f.exported or not exported_only)]
