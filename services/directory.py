"""The public photographer directory: filters, three orders, keyset pages (SPEC §8).

Every order carries the id as a tiebreak, and a page starts after the last
(value, id) pair of the one before, so page 1,000 costs what page 1 costs.
"""

import re
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import lazyload

from extensions import db
from models.member import Member
from models.photographer import (
    BlockedDate,
    PhotographerProfile,
    PortfolioPhoto,
    ProfileRegion,
    ProfileSpecialty,
)
from services.rules import valid_id

ORDERS = ("rating", "price", "newest")
_CURSOR = re.compile(r"^(-?\d{1,12}(?:\.\d{1,17})?)_(\d{1,10})$")


@dataclass(frozen=True)
class Filters:
    """What the visitor asked for; None means any."""

    region: str | None = None
    specialty: str | None = None
    day: date | None = None
    max_price: int | None = None
    order: str = "rating"


@dataclass
class DirectoryPage:
    """One page of profiles, the first photo of each, and the cursor to the next page."""

    profiles: list[PhotographerProfile]
    covers: dict[int, PortfolioPhoto]
    next_cursor: str | None


def _sort_value(profile: PhotographerProfile, order: str):
    return {"rating": profile.rating, "price": profile.starting_price, "newest": profile.id}[order]


def _after(order: str, cursor: str | None):
    """The keyset condition for the page after cursor ('value_id'); None for a bad or missing cursor."""
    match = _CURSOR.match(cursor or "")
    if not match or not valid_id(int(match.group(2))):
        return None
    value, last_id = float(match.group(1)), int(match.group(2))
    P = PhotographerProfile
    if order == "price":
        return or_(P.starting_price > value, and_(P.starting_price == value, P.id > last_id))
    if order == "rating":
        return or_(P.rating < value, and_(P.rating == value, P.id < last_id))
    return P.id < last_id


def _codes_of(column, profile_column):
    """One profile's codes of a kind, comma-joined in a correlated subquery (codes hold no comma)."""
    return (
        select(func.aggregate_strings(column, ","))
        .where(profile_column == PhotographerProfile.id)
        .scalar_subquery()
    )


def with_codes(query: Select) -> Select:
    """A profile query that also reads each profile's region and kind-of-shoot codes in the same row."""
    return query.add_columns(
        _codes_of(ProfileRegion.region, ProfileRegion.profile_id),
        _codes_of(ProfileSpecialty.specialty, ProfileSpecialty.profile_id),
    ).options(lazyload(PhotographerProfile.regions), lazyload(PhotographerProfile.specialties))


def _listed(rows) -> list[PhotographerProfile]:
    """Profiles from with_codes rows, their codes set in the order the relationships keep (by code)."""
    profiles = []
    for profile, regions, specialties in rows:
        profile.listed_codes = (
            sorted(filter(None, (regions or "").split(","))),
            sorted(filter(None, (specialties or "").split(","))),
        )
        profiles.append(profile)
    return profiles


def search(filters: Filters, cursor: str | None = None) -> DirectoryPage:
    """Active photographers matching the filters, in the chosen order, one page after cursor."""
    P = PhotographerProfile
    size = current_app.config["DIRECTORY_PAGE_SIZE"]
    order = filters.order if filters.order in ORDERS else "rating"
    query = select(P).join(Member, Member.id == P.member_id).where(Member.status == "active")
    if filters.region:
        query = query.where(
            exists().where(ProfileRegion.profile_id == P.id, ProfileRegion.region == filters.region)
        )
    if filters.specialty:
        query = query.where(
            exists().where(
                ProfileSpecialty.profile_id == P.id, ProfileSpecialty.specialty == filters.specialty
            )
        )
    if filters.day:
        query = query.where(~exists().where(BlockedDate.profile_id == P.id, BlockedDate.day == filters.day))
    if filters.max_price is not None:
        query = query.where(P.starting_price <= filters.max_price)
    keyset = _after(order, cursor)
    if keyset is not None:
        query = query.where(keyset)
    query = query.order_by(
        *{
            "rating": (P.rating.desc(), P.id.desc()),
            "price": (P.starting_price, P.id),
            "newest": (P.id.desc(),),
        }[order]
    )
    rows = _listed(db.session.execute(with_codes(query.limit(size + 1))))
    more, rows = len(rows) > size, rows[:size]
    last = rows[-1] if rows else None
    # repr() of a float reads back exactly, so equal ratings compare equal across pages.
    next_cursor = f"{_sort_value(last, order)!r}_{last.id}" if more and last else None
    return DirectoryPage(rows, covers(rows), next_cursor)


def covers(profiles: list[PhotographerProfile]) -> dict[int, PortfolioPhoto]:
    """The first portfolio photo of each profile, in one query for the whole page."""
    if not profiles:
        return {}
    first = (
        select(func.min(PortfolioPhoto.id))
        .where(PortfolioPhoto.profile_id.in_([p.id for p in profiles]))
        .group_by(PortfolioPhoto.profile_id)
    )
    return {
        photo.profile_id: photo
        for photo in db.session.scalars(select(PortfolioPhoto).where(PortfolioPhoto.id.in_(first)))
    }


def public_profile(profile_id: int) -> PhotographerProfile | None:
    """A profile the public may see: its member is active."""
    if not valid_id(profile_id):
        return None
    query = (
        select(PhotographerProfile)
        .join(Member, Member.id == PhotographerProfile.member_id)
        .where(PhotographerProfile.id == profile_id, Member.status == "active")
    )
    shown = _listed(db.session.execute(with_codes(query)))
    return shown[0] if shown else None
