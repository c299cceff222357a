"""Bookings, the brokerage contract: contact details cross only here, with both sides' consent (SPEC §7).

A booking is made when the customer confirms an accepted ask, ticking their
consent; the photographer ticked theirs when accepting. Then, and only then,
each side can see the other's necessary contact details (name, and phone or
e-mail), each provision is recorded (what, to whom, when, on what basis) and
both are e-mailed. A field its owner flagged as wrong is never provided.
One photographer cannot be booked twice on one day: a partial unique index
settles any race between confirmations.
"""

import logging

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from extensions import db
from models.member import Member
from models.photographer import PhotographerProfile
from models.shoot import Ask, Booking, ContactProvision, ShootRequest
from services.clock import now_utc, seoul_today
from services.outbox import queue_email
from services.personal_access import FrozenField, is_frozen, personal_value
from services.rules import valid_id
from services.shoots import ShootError

log = logging.getLogger(__name__)

CONTACT_FIELDS = ("name", "phone", "email")


def provided_fields(member: Member) -> dict:
    """The contact details of a member that may be provided now (flagged fields left out)."""
    shown = {}
    for field in CONTACT_FIELDS:
        try:
            value = personal_value(member, field)
        except FrozenField:
            continue
        if value:
            shown[field] = value
    return shown


def confirm(customer: Member, ask_id: int, consent: bool) -> Booking:
    """Make the booking from an accepted ask; commits. Refused without the customer's consent."""
    ask = db.session.get(Ask, ask_id) if valid_id(ask_id) else None
    request = db.session.get(ShootRequest, ask.request_id) if ask else None
    if ask is None or request.customer_id != customer.id:
        raise ShootError("not_found")
    if (
        ask.status != "accepted"
        or ask.photographer_consent_at is None
        or request.status != "open"
        or request.shoot_date <= seoul_today()
    ):
        raise ShootError("ask_closed")
    if not consent:
        raise ShootError("consent_needed", "consent")
    profile = db.session.get(PhotographerProfile, ask.profile_id)
    photographer = db.session.get(Member, profile.member_id)
    if photographer.status != "active":
        raise ShootError("ask_closed")
    now = now_utc()
    rate = current_app.config["COMMISSION_RATE_BP"]
    booking = Booking(
        request_id=request.id,
        ask_id=ask.id,
        customer_id=customer.id,
        profile_id=profile.id,
        photographer_id=photographer.id,
        shoot_date=request.shoot_date,
        price=ask.price,
        commission_rate_bp=rate,
        commission=ask.price * rate // 10_000,
        customer_consent_at=now,
        photographer_consent_at=ask.photographer_consent_at,
        created_at=now,
    )
    db.session.add(booking)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ShootError("date_taken") from None
    ask.status, request.status = "booked", "booked"
    for other in db.session.scalars(select(Ask).where(Ask.request_id == request.id, Ask.id != ask.id)):
        if other.status in ("sent", "accepted"):
            other.status = "lapsed"
    for owner, recipient in ((customer, photographer), (photographer, customer)):
        fields = sorted(provided_fields(owner))
        db.session.add(
            ContactProvision(
                booking_id=booking.id, owner_id=owner.id, recipient_id=recipient.id, fields=fields
            )
        )
    for member in (customer, photographer):
        if not is_frozen(member, "email"):
            context = {"booking_id": booking.id, "shoot_date": booking.shoot_date.isoformat()}
            queue_email(member.email, "booking_confirmed", member.language, context, member_id=member.id)
    db.session.commit()
    log.info("booking %s made", booking.id)
    return booking


def booking_for(member: Member, booking_id: int) -> Booking | None:
    """A booking the member is a side of (None for anybody else)."""
    booking = db.session.get(Booking, booking_id) if valid_id(booking_id) else None
    if booking is None or member.id not in (booking.customer_id, booking.photographer_id):
        return None
    return booking


def counterpart_contacts(member: Member, booking: Booking) -> dict:
    """What the member may see of the other side: the fields recorded as provided to them, if still usable."""
    other_id = booking.photographer_id if member.id == booking.customer_id else booking.customer_id
    other = db.session.get(Member, other_id) if other_id else None
    provision = db.session.scalar(
        select(ContactProvision).where(
            ContactProvision.booking_id == booking.id,
            ContactProvision.owner_id == other_id,
            ContactProvision.recipient_id == member.id,
        )
    )
    if other is None or provision is None or booking.status != "confirmed":
        return {}
    current = provided_fields(other)
    return {field: current[field] for field in provision.fields if field in current}


def my_bookings(member: Member) -> list[Booking]:
    """Bookings where the member is the customer or the photographer, newest first."""
    return list(
        db.session.scalars(
            select(Booking)
            .where(or_(Booking.customer_id == member.id, Booking.photographer_id == member.id))
            .order_by(Booking.id.desc())
        )
    )


def provisions_about(member: Member) -> list[ContactProvision]:
    """Every provision of the member's contact details, for My info (SPEC §4, §7)."""
    return list(
        db.session.scalars(
            select(ContactProvision)
            .where(ContactProvision.owner_id == member.id)
            .order_by(ContactProvision.id.desc())
        )
    )


def tell_of_corrections(member: Member, changed: set[str]) -> int:
    """E-mail the other side of each booking that received a field the member has now corrected (SPEC §4).

    The caller commits with the correction itself. Returns how many people were told.
    """
    told = 0
    provisions = db.session.scalars(
        select(ContactProvision).where(
            ContactProvision.owner_id == member.id, ContactProvision.recipient_id.is_not(None)
        )
    )
    for provision in provisions:
        fields = sorted(changed & set(provision.fields))
        recipient = db.session.get(Member, provision.recipient_id)
        if not fields or recipient is None or recipient.status != "active" or is_frozen(recipient, "email"):
            continue
        context = {"booking_id": provision.booking_id, "fields": fields}
        queue_email(recipient.email, "contact_corrected", recipient.language, context, member_id=recipient.id)
        told += 1
    return told
