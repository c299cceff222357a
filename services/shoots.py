"""Shoot requests and asks: a customer asks photographers, who accept (with a price) or decline (SPEC §8)."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from extensions import db
from models.member import Member
from models.photographer import PhotographerProfile, ProfileRegion
from models.shoot import TIME_WINDOWS, Ask, ShootRequest
from services.clock import now_utc, seoul_today
from services.outbox import queue_email
from services.personal_access import is_frozen
from services.regions import REGION_CODES
from services.rules import RuleError, valid_id
from services.specialties import SPECIALTY_CODES
from services.text import normalise

log = logging.getLogger(__name__)

NOTES_MAX, MESSAGE_MAX = 1_000, 1_000
PEOPLE_MAX, BUDGET_MAX = 50, 100_000_000
ASKS_AT_ONCE = 10
DAYS_AHEAD = 730


class ShootError(RuleError):
    """A rule refused a request, ask, answer or booking."""


@dataclass
class RequestDraft:
    """What the request form collected."""

    region: str
    shoot_date: date
    time_window: str
    shoot_type: str
    people: int
    budget: int
    notes: str = ""


def file_request(customer: Member, draft: RequestDraft) -> ShootRequest:
    """A new shoot request, checked against the fixed lists and sensible bounds; commits."""
    today = seoul_today()
    checks = (
        (draft.region in REGION_CODES, "bad_choice", "region"),
        (draft.shoot_type in SPECIALTY_CODES, "bad_choice", "shoot_type"),
        (draft.time_window in TIME_WINDOWS, "bad_choice", "time_window"),
        (isinstance(draft.shoot_date, date) and draft.shoot_date > today, "future_day", "shoot_date"),
        (
            isinstance(draft.shoot_date, date) and (draft.shoot_date - today).days <= DAYS_AHEAD,
            "far_day",
            "shoot_date",
        ),
        (isinstance(draft.people, int) and 1 <= draft.people <= PEOPLE_MAX, "people_range", "people"),
        (isinstance(draft.budget, int) and 0 < draft.budget <= BUDGET_MAX, "budget_range", "budget"),
    )
    for passed, code, field in checks:
        if not passed:
            raise ShootError(code, field, most=PEOPLE_MAX, days=DAYS_AHEAD, high=f"{BUDGET_MAX:,}")
    notes = normalise(draft.notes)
    if len(notes) > NOTES_MAX:
        raise ShootError("too_long", "notes", most=NOTES_MAX)
    request = ShootRequest(
        customer_id=customer.id,
        region=draft.region,
        shoot_date=draft.shoot_date,
        time_window=draft.time_window,
        shoot_type=draft.shoot_type,
        people=draft.people,
        budget=draft.budget,
        notes=notes,
    )
    db.session.add(request)
    db.session.commit()
    return request


def my_requests(customer: Member) -> list[ShootRequest]:
    """The customer's requests, newest first."""
    return list(
        db.session.scalars(
            select(ShootRequest)
            .where(ShootRequest.customer_id == customer.id)
            .order_by(ShootRequest.id.desc())
        )
    )


def request_of(customer: Member, request_id: int) -> ShootRequest | None:
    """One of the customer's own requests (None for anybody else's)."""
    request = db.session.get(ShootRequest, request_id) if valid_id(request_id) else None
    return request if request is not None and request.customer_id == customer.id else None


def send_asks(customer: Member, request: ShootRequest, profile_ids: list[int]) -> int:
    """Ask the chosen photographers; each is e-mailed. Returns how many new asks went out; commits."""
    if request.customer_id != customer.id:
        raise ShootError("not_yours")
    if request.status != "open":
        raise ShootError("request_closed")
    wanted = sorted({pid for pid in profile_ids if valid_id(pid)})[:ASKS_AT_ONCE]
    if not wanted:
        raise ShootError("choose_one", "profiles")
    already = set(db.session.scalars(select(Ask.profile_id).where(Ask.request_id == request.id)))
    now = now_utc()
    expires = now + timedelta(hours=current_app.config["ASK_EXPIRY_HOURS"])
    sent = 0
    # Only active photographers who serve the request's region: the ones the ranking could show.
    candidates = (
        select(PhotographerProfile)
        .join(Member, Member.id == PhotographerProfile.member_id)
        .join(ProfileRegion, ProfileRegion.profile_id == PhotographerProfile.id)
        .where(
            PhotographerProfile.id.in_(wanted),
            Member.status == "active",
            ProfileRegion.region == request.region,
        )
    )
    for profile in db.session.scalars(candidates):
        if profile.id in already or profile.member_id == customer.id:
            continue
        db.session.add(Ask(request_id=request.id, profile_id=profile.id, created_at=now, expires_at=expires))
        photographer = db.session.get(Member, profile.member_id)
        if photographer.status == "active" and not is_frozen(photographer, "email"):
            context = {
                "shoot_date": request.shoot_date.isoformat(),
                "region": request.region,
                "type": request.shoot_type,
            }
            queue_email(
                photographer.email, "ask_received", photographer.language, context, member_id=photographer.id
            )
        sent += 1
    db.session.commit()
    return sent


def asks_for(request: ShootRequest) -> list[tuple[Ask, PhotographerProfile]]:
    """The asks of a request with their photographers, newest first."""
    return list(
        db.session.execute(
            select(Ask, PhotographerProfile)
            .join(PhotographerProfile, PhotographerProfile.id == Ask.profile_id)
            .where(Ask.request_id == request.id)
            .order_by(Ask.id.desc())
        )
    )


def inbox(profile: PhotographerProfile) -> list[tuple[Ask, ShootRequest]]:
    """The asks a photographer received, newest first, with their requests (no customer details)."""
    return list(
        db.session.execute(
            select(Ask, ShootRequest)
            .join(ShootRequest, ShootRequest.id == Ask.request_id)
            .where(Ask.profile_id == profile.id)
            .order_by(Ask.id.desc())
            .limit(100)
        )
    )


def answer_ask(
    profile: PhotographerProfile,
    ask_id: int,
    accept: bool,
    price: int | None,
    message: str | None,
    consent: bool,
) -> Ask:
    """The photographer accepts (with a price and the consent to exchange contacts) or declines; commits."""
    ask = db.session.get(Ask, ask_id) if valid_id(ask_id) else None
    if ask is None or ask.profile_id != profile.id:
        raise ShootError("not_found")
    now = now_utc()
    if ask.status != "sent" or _expired(ask, now):
        raise ShootError("ask_closed")
    message = normalise(message)
    if len(message) > MESSAGE_MAX:
        raise ShootError("too_long", "message", most=MESSAGE_MAX)
    if accept:
        if not consent:
            raise ShootError("consent_needed", "consent")
        request = db.session.get(ShootRequest, ask.request_id)
        price = price if price is not None else profile.starting_price
        if not isinstance(price, int) or not 0 < price <= BUDGET_MAX:
            raise ShootError("budget_range", "price", high=f"{BUDGET_MAX:,}")
        ask.price, ask.photographer_consent_at = price, now
    ask.status, ask.message, ask.answered_at = ("accepted" if accept else "declined"), message, now
    request = db.session.get(ShootRequest, ask.request_id)
    customer = db.session.get(Member, request.customer_id)
    if customer and customer.status == "active" and not is_frozen(customer, "email"):
        context = {"request_id": request.id, "accepted": accept, "name": profile.display_name}
        queue_email(customer.email, "ask_answered", customer.language, context, member_id=customer.id)
    db.session.commit()
    return ask


def _expired(ask: Ask, now: datetime) -> bool:
    return ask.expires_at <= now


def expire_asks(now: datetime | None = None) -> int:
    """Mark unanswered asks past their time as expired (the daily job; safe to run twice); commits."""
    result = db.session.execute(
        update(Ask).where(Ask.status == "sent", Ask.expires_at <= (now or now_utc())).values(status="expired")
    )
    db.session.commit()
    return result.rowcount
