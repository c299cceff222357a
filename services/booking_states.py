"""What happens to a booking after it is made: cancellation, completion, the review and its reply.

The state machine is small and closed: a confirmed booking may be cancelled
(by either side, with a reason) or completed (by either side, from the day of
the shoot); cancelled and completed are final. Every other move is refused.
When a booking ends, its contract and payment records go to retention storage
for five years, whatever either member does later (SPEC §5).
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from extensions import db
from models.member import Member
from models.photographer import BlockedDate, PhotographerProfile
from models.shoot import Booking, Review
from services.clock import now_utc, seoul_today
from services.outbox import queue_email
from services.personal_access import is_frozen
from services.retention_store import keep
from services.rules import valid_id
from services.shoots import ShootError
from services.text import normalise

TRANSITIONS = {"confirmed": {"cancelled", "completed"}, "cancelled": set(), "completed": set()}
REASON_MAX, REVIEW_MAX = 500, 2_000


def move(booking: Booking, to: str) -> None:
    """Change the booking's status if the state machine allows it, else refuse."""
    if to not in TRANSITIONS.get(booking.status, set()):
        raise ShootError("illegal_step")
    booking.status, booking.ended_at = to, now_utc()


def _side(member: Member, booking: Booking) -> str:
    if member.id == booking.customer_id:
        return "customer"
    if member.id == booking.photographer_id:
        return "photographer"
    raise ShootError("not_found")


def _keep_records(booking: Booking) -> None:
    """The contract and payment records of an ended booking, under each side's pseudonymous key."""
    for member_id in (booking.customer_id, booking.photographer_id):
        member = db.session.get(Member, member_id) if member_id else None
        if member is None or not member.email:
            continue
        contract = {
            "booking": booking.id,
            "shoot_date": booking.shoot_date.isoformat(),
            "status": booking.status,
        }
        keep("contract", member.email, contract)
        keep(
            "payment",
            member.email,
            {"booking": booking.id, "price": booking.price, "commission": booking.commission},
        )


def _tell_other(member: Member, booking: Booking, template: str, context: dict) -> None:
    other_id = booking.photographer_id if member.id == booking.customer_id else booking.customer_id
    other = db.session.get(Member, other_id) if other_id else None
    if other is not None and other.status == "active" and not is_frozen(other, "email"):
        queue_email(
            other.email, template, other.language, context | {"booking_id": booking.id}, member_id=other.id
        )


def cancel(member: Member, booking: Booking, reason: str | None) -> None:
    """Either side cancels a confirmed booking, saying why; the other side is told; commits."""
    side = _side(member, booking)
    reason = normalise(reason)
    if not reason:
        raise ShootError("reason_needed", "reason")
    if len(reason) > REASON_MAX:
        raise ShootError("too_long", "reason", most=REASON_MAX)
    move(booking, "cancelled")
    booking.cancelled_by, booking.cancel_reason = side, reason
    _keep_records(booking)
    _tell_other(member, booking, "booking_cancelled", {"shoot_date": booking.shoot_date.isoformat()})
    db.session.commit()


def complete(member: Member, booking: Booking) -> None:
    """Either side marks the shoot done, from its day on; commits."""
    _side(member, booking)
    if booking.shoot_date > seoul_today():
        raise ShootError("too_early")
    move(booking, "completed")
    _keep_records(booking)
    db.session.commit()


def review(customer: Member, booking: Booking, stars: int, text: str | None) -> Review:
    """The customer reviews a completed booking, once; the photographer's rating follows; commits."""
    if _side(customer, booking) != "customer":
        raise ShootError("not_yours")
    if booking.status != "completed":
        raise ShootError("not_completed")
    if db.session.scalar(select(Review.id).where(Review.booking_id == booking.id)) is not None:
        raise ShootError("already_reviewed")
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise ShootError("stars_range", "stars")
    text = normalise(text)
    if len(text) > REVIEW_MAX:
        raise ShootError("too_long", "text", most=REVIEW_MAX)
    row = Review(
        booking_id=booking.id, profile_id=booking.profile_id, customer_id=customer.id, stars=stars, text=text
    )
    db.session.add(row)
    db.session.flush()
    _rate(booking.profile_id)
    db.session.commit()
    return row


def _rate(profile_id: int) -> None:
    """The profile's rating: the average of its reviews to two places (directory cursors compare it)."""
    average, count = db.session.execute(
        select(func.avg(Review.stars), func.count()).where(Review.profile_id == profile_id)
    ).one()
    profile = db.session.get(PhotographerProfile, profile_id)
    profile.rating, profile.review_count = round(float(average or 0), 2), count


def review_to_reply(photographer: Member, review_id: int) -> Review | None:
    """A review of the photographer's own work (None for anybody else's, or none at all)."""
    row = db.session.get(Review, review_id) if valid_id(review_id) else None
    profile = db.session.get(PhotographerProfile, row.profile_id) if row else None
    return row if profile is not None and profile.member_id == photographer.id else None


def reply(photographer: Member, review_id: int, text: str | None) -> Review:
    """The photographer answers a review of theirs, once; commits."""
    row = review_to_reply(photographer, review_id)
    if row is None:
        raise ShootError("not_found")
    if row.reply is not None:
        raise ShootError("already_replied")
    text = normalise(text)
    if not text:
        raise ShootError("reason_needed", "text")
    if len(text) > REVIEW_MAX:
        raise ShootError("too_long", "text", most=REVIEW_MAX)
    row.reply, row.replied_at = text, now_utc()
    db.session.commit()
    return row


def reviews_of(profile: PhotographerProfile, limit: int = 50) -> list[Review]:
    """A photographer's reviews, newest first."""
    return list(
        db.session.scalars(
            select(Review).where(Review.profile_id == profile.id).order_by(Review.id.desc()).limit(limit)
        )
    )


def review_of(booking: Booking) -> Review | None:
    """The review of a booking, if the customer wrote one."""
    return db.session.scalar(select(Review).where(Review.booking_id == booking.id))


def earnings(profile: PhotographerProfile) -> list[dict]:
    """Completed bookings by month of the shoot: gross, commission and net, newest month first."""
    months: dict[str, dict] = defaultdict(lambda: {"gross": 0, "commission": 0, "count": 0})
    rows = db.session.execute(
        select(Booking.shoot_date, Booking.price, Booking.commission).where(
            Booking.profile_id == profile.id, Booking.status == "completed"
        )
    )
    for day, price, commission in rows:
        month = months[day.strftime("%Y-%m")]
        month["gross"] += price
        month["commission"] += commission
        month["count"] += 1
    return [
        {"month": key, **value, "net": value["gross"] - value["commission"]}
        for key, value in sorted(months.items(), reverse=True)
    ]


def calendar(profile: PhotographerProfile, days: int = 90) -> list[tuple[date, str]]:
    """The photographer's next days that are blocked or booked, in order."""
    today = seoul_today()
    end = date.fromordinal(today.toordinal() + days)
    booked = db.session.scalars(
        select(Booking.shoot_date).where(
            Booking.profile_id == profile.id,
            Booking.status == "confirmed",
            Booking.shoot_date >= today,
            Booking.shoot_date <= end,
        )
    )
    blocked = db.session.scalars(
        select(BlockedDate.day).where(
            BlockedDate.profile_id == profile.id, BlockedDate.day >= today, BlockedDate.day <= end
        )
    )
    entries = [(day, "booked") for day in booked] + [(day, "blocked") for day in blocked]
    return sorted(entries)
