"""Becoming and being a photographer: the profile, blocked dates and the portfolio (SPEC §8)."""

import logging
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import delete, func, select

from extensions import db
from models.member import Member
from models.photographer import (
    BlockedDate,
    PhotographerProfile,
    PortfolioPhoto,
    ProfileRegion,
    ProfileSpecialty,
)
from services import photos
from services.clock import now_utc, seoul_today
from services.regions import REGION_CODES
from services.rules import RuleError, valid_id
from services.specialties import SPECIALTY_CODES, SPOKEN_CODES
from services.text import normalise, single_line

log = logging.getLogger(__name__)

NAME_MAX, BIO_MAX = 60, 3_000
PRICE_MIN, PRICE_MAX = 10_000, 100_000_000
PORTFOLIO_MAX = 30
BLOCKED_DAYS_AHEAD = 730


class ProfileError(RuleError):
    """A rule refused a profile change or upload."""


@dataclass
class ProfileChange:
    """What the profile form collected."""

    display_name: str
    starting_price: int
    regions: list[str]
    specialties: list[str]
    languages: list[str] = field(default_factory=list)
    bio_ko: str = ""
    bio_en: str = ""


def profile_of(member: Member) -> PhotographerProfile | None:
    """The member's photographer profile, if they have one."""
    return db.session.scalar(select(PhotographerProfile).where(PhotographerProfile.member_id == member.id))


def _checked(change: ProfileChange) -> ProfileChange:
    name = single_line(change.display_name)
    if not name:
        raise ProfileError("empty", "display_name")
    if len(name) > NAME_MAX:
        raise ProfileError("too_long", "display_name", most=NAME_MAX)
    bios = {lang: normalise(getattr(change, f"bio_{lang}")) for lang in ("ko", "en")}
    for lang, bio in bios.items():
        if len(bio) > BIO_MAX:
            raise ProfileError("too_long", f"bio_{lang}", most=BIO_MAX)
    if not isinstance(change.starting_price, int) or not PRICE_MIN <= change.starting_price <= PRICE_MAX:
        raise ProfileError("price_range", "starting_price", low=PRICE_MIN, high=PRICE_MAX)
    for name_of_list, allowed in (("regions", REGION_CODES), ("specialties", SPECIALTY_CODES)):
        chosen = getattr(change, name_of_list)
        if not chosen:
            raise ProfileError("choose_one", name_of_list)
        if not set(chosen) <= allowed:
            raise ProfileError("bad_choice", name_of_list)
    if not set(change.languages) <= SPOKEN_CODES:
        raise ProfileError("bad_choice", "languages")
    return ProfileChange(
        display_name=name,
        starting_price=change.starting_price,
        regions=sorted(set(change.regions)),
        specialties=sorted(set(change.specialties)),
        languages=sorted(set(change.languages)),
        bio_ko=bios["ko"],
        bio_en=bios["en"],
    )


def save_profile(member: Member, change: ProfileChange) -> PhotographerProfile:
    """Create or update the member's photographer profile; commits."""
    change = _checked(change)
    profile = profile_of(member)
    if profile is None:
        profile = PhotographerProfile(member_id=member.id)
        db.session.add(profile)
        log.info("member %s became a photographer", member.id)
    profile.display_name, profile.starting_price = change.display_name, change.starting_price
    profile.bio_ko, profile.bio_en, profile.languages = change.bio_ko, change.bio_en, change.languages
    profile.regions = [ProfileRegion(region=code) for code in change.regions]
    profile.specialties = [ProfileSpecialty(specialty=code) for code in change.specialties]
    profile.updated_at = now_utc()
    db.session.commit()
    return profile


def blocked_days(profile: PhotographerProfile, start: date | None = None) -> list[date]:
    """The photographer's blocked days from start (today in Korea) on."""
    start = start or seoul_today()
    return list(
        db.session.scalars(
            select(BlockedDate.day)
            .where(BlockedDate.profile_id == profile.id, BlockedDate.day >= start)
            .order_by(BlockedDate.day)
        )
    )


def block_day(profile: PhotographerProfile, day: date) -> None:
    """Mark a day as not available (once; the past and the far future are refused); commits."""
    today = seoul_today()
    if day < today:
        raise ProfileError("past_day", "day")
    if (day - today).days > BLOCKED_DAYS_AHEAD:
        raise ProfileError("far_day", "day", days=BLOCKED_DAYS_AHEAD)
    if db.session.get(BlockedDate, (profile.id, day)) is None:
        db.session.add(BlockedDate(profile_id=profile.id, day=day))
        db.session.commit()


def unblock_day(profile: PhotographerProfile, day: date) -> None:
    """Make a day available again; commits."""
    db.session.execute(
        delete(BlockedDate).where(BlockedDate.profile_id == profile.id, BlockedDate.day == day)
    )
    db.session.commit()


def portfolio(profile: PhotographerProfile) -> list[PortfolioPhoto]:
    """The profile's photos, oldest first."""
    return list(
        db.session.scalars(
            select(PortfolioPhoto).where(PortfolioPhoto.profile_id == profile.id).order_by(PortfolioPhoto.id)
        )
    )


def add_photo(profile: PhotographerProfile, data: bytes) -> PortfolioPhoto:
    """Check, clean and store an upload as a portfolio photo; commits (the file goes if the row cannot)."""
    count = db.session.scalar(
        select(func.count()).select_from(PortfolioPhoto).where(PortfolioPhoto.profile_id == profile.id)
    )
    if count >= PORTFOLIO_MAX:
        raise ProfileError("portfolio_full", "photo", most=PORTFOLIO_MAX)
    try:
        clean = photos.clean(data)
    except photos.PhotoError as error:
        limits = {"most": current_app.config["PHOTO_MAX_BYTES"] // (1024 * 1024)}
        raise ProfileError(error.code, "photo", **limits) from None
    name = photos.store(clean)
    try:
        photo = PortfolioPhoto(
            profile_id=profile.id, stored_name=name, width=clean.width, height=clean.height
        )
        db.session.add(photo)
        db.session.commit()
    except Exception:
        db.session.rollback()
        photos.remove(name)
        raise
    return photo


def remove_photo(profile: PhotographerProfile, photo_id: int) -> bool:
    """Delete one of the profile's photos, row and files; commits. False when it is not theirs."""
    photo = db.session.get(PortfolioPhoto, photo_id) if valid_id(photo_id) else None
    if photo is None or photo.profile_id != profile.id:
        return False
    name = photo.stored_name
    db.session.delete(photo)
    db.session.commit()
    photos.remove(name)
    return True


def photo_by_name(name: str) -> PortfolioPhoto | None:
    """A stored photo by its random name, if its photographer is active."""
    return db.session.scalar(
        select(PortfolioPhoto)
        .join(PhotographerProfile, PhotographerProfile.id == PortfolioPhoto.profile_id)
        .join(Member, Member.id == PhotographerProfile.member_id)
        .where(PortfolioPhoto.stored_name == name, Member.status == "active")
    )


def stored_names_of(member_id: int) -> list[str]:
    """The file names of a member's portfolio (withdrawal removes the files after the rows)."""
    return list(
        db.session.scalars(
            select(PortfolioPhoto.stored_name)
            .join(PhotographerProfile, PhotographerProfile.id == PortfolioPhoto.profile_id)
            .where(PhotographerProfile.member_id == member_id)
        )
    )
