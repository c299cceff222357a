"""Members: the people who signed up (14 or older), and what they chose to tell us."""

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, Date, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow

MEMBER_STATUSES = ("pending", "active", "dormant")
STAFF_ROLES = ("moderator", "privacy_officer")


class Member(UserMixin, db.Model):
    """A member account; 'pending' until the e-mail address is verified."""

    __tablename__ = "members"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'active', 'dormant')", name="status"),
        CheckConstraint("staff_role IN ('moderator', 'privacy_officer')", name="staff_role"),
        # SQLite would hand a withdrawn member's number to the next signup, and with it whatever
        # still carries that number (audit rows, advertising records, author tags).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    # Lower-cased address: uniqueness is case-insensitive on every database.
    email_key: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    phone_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    preferred_region: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8), default="ko")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # Bumped to end every session of this member at once (withdrawal, password change).
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_active_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # When the notice that the account will become dormant was sent (SPEC §6).
    dormancy_notice_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Fields the member flagged as wrong: not used or provided anywhere until corrected (SPEC §4).
    corrections_requested: Mapped[list] = mapped_column(JSON, default=list)
    # Staff work (SPEC §1); NULL for members and photographers.
    staff_role: Mapped[str | None] = mapped_column(String(24))
    # A moderator's suspension from posting and commenting; reading and booking stay open.
    posting_suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # When the member was last told their marketing consent status (every two years, SPEC §10).
    marketing_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-step sign-in (TOTP): the authenticator secret, encrypted at rest; set while enrolling
    # and kept once confirmed (two_step_enabled_at). The last accepted time step stops a replay.
    totp_secret_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    two_step_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    def get_id(self) -> str:
        """Flask-Login's session id: the member id and the session version together."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def uses_two_step(self) -> bool:
        """Whether signing in asks for a code from the authenticator app after the password."""
        return self.two_step_enabled_at is not None

    def has_role(self, *roles: str) -> bool:
        """Whether the member holds one of these staff roles (the privacy officer holds them all)."""
        return self.staff_role is not None and (
            self.staff_role == "privacy_officer" or self.staff_role in roles
        )

    def __repr__(self) -> str:
        return f"<Member {self.id} {self.status}>"
