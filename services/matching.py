"""Ranking photographers for a shoot request, in one documented order (SPEC §8).

Candidates are the active photographers who serve the request's region. They
are ordered by, in turn:

1. free on the day: no blocked day and no confirmed booking then;
2. the kind of shoot is one of their specialties;
3. their starting price is within the budget;
4. their rating (average stars);
5. recent responsiveness: the share of their asks of the last 90 days they answered;
6. the profile id, so the order is total and stable.

All of it is computed in one query over indexed lookups, and each result
carries the reasons it matched, for the customer to read.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, case, exists, func, literal, select

from extensions import db
from models.member import Member
from models.photographer import BlockedDate, PhotographerProfile, ProfileRegion, ProfileSpecialty
from models.shoot import Ask, Booking, ShootRequest
from services.clock import now_utc
from services.directory import covers

RESULTS = 30


@dataclass
class Match:
    """One ranked photographer and why they are where they are."""

    profile: PhotographerProfile
    free: bool
    specialty: bool
    within_budget: bool
    responsiveness: float


def rank(request: ShootRequest, limit: int = RESULTS) -> tuple[list[Match], dict]:
    """The ranked photographers for a request, and the first portfolio photo of each."""
    P = PhotographerProfile
    busy = exists().where(
        BlockedDate.profile_id == P.id, BlockedDate.day == request.shoot_date
    ) | exists().where(
        Booking.profile_id == P.id, Booking.shoot_date == request.shoot_date, Booking.status == "confirmed"
    )
    free = case((busy, literal(0)), else_=literal(1))
    specialty = case(
        (
            exists().where(
                ProfileSpecialty.profile_id == P.id, ProfileSpecialty.specialty == request.shoot_type
            ),
            1,
        ),
        else_=0,
    )
    within = case((P.starting_price <= request.budget, 1), else_=0)
    since = now_utc() - timedelta(days=90)
    answered = (
        select(
            Ask.profile_id,
            (func.sum(case((Ask.answered_at.is_not(None), 1), else_=0)) * 1.0 / func.count()).label("share"),
        )
        .where(Ask.created_at >= since)
        .group_by(Ask.profile_id)
        .subquery()
    )
    share = func.coalesce(answered.c.share, 0.0)
    query = (
        select(P, free, specialty, within, share)
        .join(Member, and_(Member.id == P.member_id, Member.status == "active"))
        .outerjoin(answered, answered.c.profile_id == P.id)
        .where(exists().where(ProfileRegion.profile_id == P.id, ProfileRegion.region == request.region))
        .where(P.member_id != request.customer_id)
        .order_by(free.desc(), specialty.desc(), within.desc(), P.rating.desc(), share.desc(), P.id)
        .limit(limit)
    )
    matches = [
        Match(profile, bool(is_free), bool(has_specialty), bool(is_within), float(rate))
        for profile, is_free, has_specialty, is_within, rate in db.session.execute(query)
    ]
    return matches, covers([match.profile for match in matches])
