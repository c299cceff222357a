"""Photographers' public profiles: regions, specialties, blocked dates and portfolio photos (SPEC §8)."""

from datetime import date, datetime

from sqlalchemy import JSON, Date, FetchedValue, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.types import UTCDateTime, utcnow


class PhotographerProfile(db.Model):
    """What makes a member a photographer: the profile customers search and read."""

    __tablename__ = "photographer_profiles"
    __table_args__ = (
        # The directory sorts by price or by rating, each with the id as the keyset tiebreak.
        Index("ix_photographer_profiles_price", "starting_price", "id"),
        Index("ix_photographer_profiles_rating", "rating", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    bio_ko: Mapped[str] = mapped_column(Text, default="")
    bio_en: Mapped[str] = mapped_column(Text, default="")
    starting_price: Mapped[int] = mapped_column(Integer)  # KRW
    languages: Mapped[list] = mapped_column(JSON, default=list)
    # Average review stars (0 until the first review) and how many there are.
    rating: Mapped[float] = mapped_column(Float, default=0.0)
    review_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moved on by the database on every change the public page shows (models/profile_versions.py).
    content_version: Mapped[int] = mapped_column(
        Integer, default=1, server_default="1", server_onupdate=FetchedValue()
    )

    regions: Mapped[list["ProfileRegion"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProfileRegion.region"
    )
    specialties: Mapped[list["ProfileSpecialty"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ProfileSpecialty.specialty"
    )

    def bio(self, locale: str) -> str:
        """The bio in the reader's language when written, else the other one."""
        first, other = (self.bio_en, self.bio_ko) if locale == "en" else (self.bio_ko, self.bio_en)
        return first or other

    # A listing query may hand the codes over with the row (services.directory.with_codes), sparing
    # the two relationship loads; set only on profiles read that way, never written back.
    listed_codes = None  # (region codes, specialty codes) or None

    @property
    def region_codes(self) -> list[str]:
        if self.listed_codes is not None:
            return self.listed_codes[0]
        return [row.region for row in self.regions]

    @property
    def specialty_codes(self) -> list[str]:
        if self.listed_codes is not None:
            return self.listed_codes[1]
        return [row.specialty for row in self.specialties]


class ProfileRegion(db.Model):
    """A region a photographer serves."""

    __tablename__ = "profile_regions"
    __table_args__ = (Index("ix_profile_regions_region", "region", "profile_id"),)

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("photographer_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    region: Mapped[str] = mapped_column(String(16), primary_key=True)


class ProfileSpecialty(db.Model):
    """A kind of shoot a photographer offers."""

    __tablename__ = "profile_specialties"
    __table_args__ = (Index("ix_profile_specialties_specialty", "specialty", "profile_id"),)

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("photographer_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    specialty: Mapped[str] = mapped_column(String(16), primary_key=True)


class BlockedDate(db.Model):
    """A day the photographer does not take shoots."""

    __tablename__ = "blocked_dates"
    __table_args__ = (Index("ix_blocked_dates_day", "day", "profile_id"),)

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("photographer_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)


class PortfolioPhoto(db.Model):
    """A portfolio photo: the file lives under PHOTO_DIR by its random name."""

    __tablename__ = "portfolio_photos"
    __table_args__ = (Index("ix_portfolio_photos_profile", "profile_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("photographer_profiles.id", ondelete="CASCADE"))
    stored_name: Mapped[str] = mapped_column(String(40), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
