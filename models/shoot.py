"""Shoot requests, the asks sent to photographers, and bookings: the brokerage contract (SPEC §7, §8)."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime, utcnow

TIME_WINDOWS = ("morning", "afternoon", "evening", "flexible")


class ShootRequest(db.Model):
    """What a customer wants shot: where, when, what, for how many, for about how much."""

    __tablename__ = "shoot_requests"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'booked', 'closed')", name="status"),
        Index("ix_shoot_requests_customer", "customer_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    region: Mapped[str] = mapped_column(String(16))
    shoot_date: Mapped[date] = mapped_column(Date)
    time_window: Mapped[str] = mapped_column(String(16))
    shoot_type: Mapped[str] = mapped_column(String(16))
    people: Mapped[int] = mapped_column(Integer)
    budget: Mapped[int] = mapped_column(Integer)  # KRW
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Ask(db.Model):
    """A customer's request put to one photographer, and the photographer's answer."""

    __tablename__ = "asks"
    __table_args__ = (
        UniqueConstraint("request_id", "profile_id", name="one_ask_each"),
        CheckConstraint(
            "status IN ('sent', 'accepted', 'declined', 'expired', 'booked', 'lapsed')", name="status"
        ),
        Index("ix_asks_profile", "profile_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("shoot_requests.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("photographer_profiles.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="sent")
    price: Mapped[int | None] = mapped_column(Integer)  # the photographer's price, when accepting
    message: Mapped[str] = mapped_column(Text, default="")
    # The photographer's own consent to give their contact details if the customer confirms.
    photographer_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Booking(db.Model):
    """The brokerage contract: made once both sides consented to exchange contact details."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("status IN ('confirmed', 'cancelled', 'completed')", name="status"),
        # One confirmed shoot per photographer and day, whatever races the confirmations run.
        Index(
            "uq_bookings_photographer_day",
            "profile_id",
            "shoot_date",
            unique=True,
            sqlite_where=text("status = 'confirmed'"),
            postgresql_where=text("status = 'confirmed'"),
        ),
        Index("ix_bookings_customer", "customer_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("shoot_requests.id", ondelete="SET NULL"))
    ask_id: Mapped[int | None] = mapped_column(ForeignKey("asks.id", ondelete="SET NULL"), unique=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("photographer_profiles.id", ondelete="SET NULL")
    )
    photographer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    shoot_date: Mapped[date] = mapped_column(Date)
    price: Mapped[int] = mapped_column(Integer)
    commission_rate_bp: Mapped[int] = mapped_column(Integer)  # basis points, fixed at booking
    commission: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="confirmed")
    customer_consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    photographer_consent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # How it ended: who cancelled and why, or when it was completed.
    cancelled_by: Mapped[str | None] = mapped_column(String(16))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Review(db.Model):
    """The customer's review of a completed booking (one each), and the photographer's one reply."""

    __tablename__ = "reviews"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars"),
        Index("ix_reviews_profile", "profile_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="SET NULL"), unique=True
    )
    profile_id: Mapped[int] = mapped_column(ForeignKey("photographer_profiles.id", ondelete="CASCADE"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    stars: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    reply: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ContactProvision(db.Model):
    """A record that contact details were given to the other side (SPEC §7): what, to whom, when, why."""

    __tablename__ = "contact_provisions"
    __table_args__ = (
        Index("ix_contact_provisions_owner", "owner_id", "id"),
        Index("ix_contact_provisions_recipient", "recipient_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="SET NULL"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    fields: Mapped[list] = mapped_column(db.JSON, default=list)
    basis: Mapped[str] = mapped_column(String(32), default="booking_contract")
    provided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
