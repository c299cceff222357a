"""The public photographer directory: filters, three orders, keyset pages (SPEC §8).

Every order carries the id as a tiebreak, and a page starts after the last
(value, id) pair of the one before, so page 1,000 costs what page 1 costs.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

from flask import current_app
from sqlalchemy import Select, String, and_, bindparam, exists, func, literal_column, or_, select
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
from services import reads
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


class Cover(NamedTuple):
    """A card's photo: the profile's first portfolio photo."""

    stored_name: str
    width: int
    height: int


class Card(NamedTuple):
    """One photographer as the directory lists them: all a card shows, read in the listing's own row."""

    id: int
    display_name: str
    starting_price: int
    rating: float
    review_count: int
    region_codes: tuple[str, ...]
    specialty_codes: tuple[str, ...]
    cover: Cover | None


@dataclass(frozen=True)
class DirectoryPage:
    """One page of cards and the cursor to the next page (None on the last)."""

    cards: tuple[Card, ...]
    next_cursor: str | None


_SORT_VALUE = {
    "rating": attrgetter("rating"),
    "price": attrgetter("starting_price"),
    "newest": attrgetter("id"),
}


def _cursor_values(cursor: str | None) -> tuple[float, int] | None:
    """(sort value, last id) of a 'value_id' cursor; None for a bad or missing one."""
    match = _CURSOR.match(cursor or "")
    if not match or not valid_id(int(match.group(2))):
        return None
    return float(match.group(1)), int(match.group(2))


def _after(order: str):
    """The keyset condition for the page after (:cursor_value, :cursor_id)."""
    P = PhotographerProfile
    value, last_id = bindparam("cursor_value"), bindparam("cursor_id")
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
    """Active photographers matching the filters, in the chosen order, one page after cursor; one read."""
    order = filters.order if filters.order in ORDERS else "rating"
    after = _cursor_values(cursor)
    asked = (bool(filters.region), bool(filters.specialty), bool(filters.day), filters.max_price is not None)
    size = current_app.config["DIRECTORY_PAGE_SIZE"]
    params = {
        "region": filters.region,
        "specialty": filters.specialty,
        "day": filters.day,
        "max_price": filters.max_price,
        "limit": size + 1,
    }
    if after is not None:
        params["cursor_value"], params["cursor_id"] = after
    cards = [_card(row) for row in reads.read(_listing(*asked, order, after is not None), params)]
    more, cards = len(cards) > size, cards[:size]
    last = cards[-1] if cards else None
    # repr() of a float reads back exactly, so equal ratings compare equal across pages.
    next_cursor = f"{_SORT_VALUE[order](last)!r}_{last.id}" if more and last else None
    return DirectoryPage(tuple(cards), next_cursor)


@lru_cache(maxsize=128)
def _listing(region: bool, specialty: bool, day: bool, price: bool, order: str, keyset: bool) -> Select:
    """The listing statement for one combination of filters, built once so its compiled form is reused."""
    P = PhotographerProfile
    query = (
        select(
            P.id,
            P.display_name,
            P.starting_price,
            P.rating,
            P.review_count,
            _codes_of(ProfileRegion.region, ProfileRegion.profile_id),
            _codes_of(ProfileSpecialty.specialty, ProfileSpecialty.profile_id),
            _first_photo(PortfolioPhoto.stored_name),
            _first_photo(PortfolioPhoto.width),
            _first_photo(PortfolioPhoto.height),
        )
        .join(Member, Member.id == P.member_id)
        .where(Member.status == "active")
    )
    if region:
        query = query.where(
            exists().where(ProfileRegion.profile_id == P.id, ProfileRegion.region == _facet("region"))
        )
    if specialty:
        query = query.where(
            exists().where(
                ProfileSpecialty.profile_id == P.id, ProfileSpecialty.specialty == _facet("specialty")
            )
        )
    if day:
        query = query.where(
            ~exists().where(BlockedDate.profile_id == P.id, BlockedDate.day == bindparam("day"))
        )
    if price:
        query = query.where(P.starting_price <= bindparam("max_price"))
    if keyset:
        query = query.where(_after(order))
    ordering = {
        "rating": (P.rating.desc(), P.id.desc()),
        "price": (P.starting_price, P.id),
        "newest": (P.id.desc(),),
    }[order]
    return query.order_by(*ordering).limit(reads.literal_limit())


def _facet(name: str):
    """A region or kind-of-shoot code written into the statement's text, not sent as a parameter.

    A prepared statement may be planned once for every value, and the codes differ a hundredfold
    in how many photographers they hold: one plan walked the rating index through thousands of
    profiles for a rare region and kind (66 ms for Jeonnam pets up to 50,000 won), while planning
    every run anew cost 2.5 ms for the common ones (EXPLAIN ANALYZE, 100k photographers). With the
    codes in the text, each of the 17 x 8 pairs gets a plan made for it; the forms accept only
    listed codes, and SQLAlchemy quotes the literal.
    """
    return bindparam(name, type_=String(16), literal_execute=True)


def _first_photo(column):
    """A column of a listed profile's first photo, as a select-list subquery: run for the rows shown only.

    As a join it made PostgreSQL find the first photo of every matching profile before the sort.
    """
    return (
        select(column)
        .where(PortfolioPhoto.profile_id == PhotographerProfile.id)
        .order_by(PortfolioPhoto.id)
        .limit(literal_column("1"))
        .scalar_subquery()
    )


def _card(row) -> Card:
    """A card from a listing row; codes sorted, as the profile's relationships keep them."""
    ident, name, price, rating, reviews, regions, specialties, photo, width, height = row
    return Card(
        ident,
        name,
        price,
        rating,
        reviews,
        tuple(sorted(filter(None, (regions or "").split(",")))),
        tuple(sorted(filter(None, (specialties or "").split(",")))),
        Cover(photo, width, height) if photo else None,
    )


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


# What a profile page needs on every request: the number its cached copy is kept by, and its title.
_SHOWN_VERSION = (
    select(PhotographerProfile.content_version, PhotographerProfile.display_name)
    .join(Member, Member.id == PhotographerProfile.member_id)
    .where(PhotographerProfile.id == bindparam("profile_id"), Member.status == "active")
)


def public_profile_version(profile_id: int):
    """(content_version, display_name) of a profile the public may see, or None; one plain read."""
    if not valid_id(profile_id):
        return None
    return reads.read(_SHOWN_VERSION, {"profile_id": profile_id}).first()
