"""SQLAlchemy models, one module per domain; importing this package registers them all."""

from models.access_log import AccessLog
from models.board import Board, Comment, Post
from models.complaint import Complaint
from models.consent import ConsentEvent
from models.dormant import DormantRecord
from models.marketing import BreachNotice, Campaign, CampaignDelivery
from models.member import Member
from models.moderation import ModerationAction, Report, TemporaryMeasure
from models.notice import Notice
from models.outbox import OutboxMessage
from models.photographer import (
    BlockedDate,
    PhotographerProfile,
    PortfolioPhoto,
    ProfileRegion,
    ProfileSpecialty,
)
from models.policy import PolicyVersion
from models.privacy_office import AuditReview, RoleChange, StaffAccess
from models.profile_versions import SHOWN_WITH_PROFILE
from models.retention import RetentionRecord
from models.shoot import Ask, Booking, ContactProvision, Review, ShootRequest
from models.sign_in import MemberSession, RecoveryCode, SignInEvent
from models.throttle import ThrottleCounter
from models.withdrawal import WithdrawnAddress

__all__ = [
    "AccessLog",
    "Ask",
    "AuditReview",
    "BlockedDate",
    "Board",
    "Booking",
    "BreachNotice",
    "Campaign",
    "CampaignDelivery",
    "Comment",
    "Complaint",
    "ConsentEvent",
    "ContactProvision",
    "DormantRecord",
    "Member",
    "MemberSession",
    "ModerationAction",
    "Notice",
    "OutboxMessage",
    "PhotographerProfile",
    "PolicyVersion",
    "PortfolioPhoto",
    "Post",
    "RecoveryCode",
    "ProfileRegion",
    "ProfileSpecialty",
    "Report",
    "RetentionRecord",
    "Review",
    "RoleChange",
    "SHOWN_WITH_PROFILE",
    "ShootRequest",
    "SignInEvent",
    "StaffAccess",
    "TemporaryMeasure",
    "ThrottleCounter",
    "WithdrawnAddress",
]
