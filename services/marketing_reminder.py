"""The two-yearly reminder of each member's marketing consent (SPEC §10; Korean law asks for it).

A member is due when a marketing consent they hold now (e-mail or SMS) was
given, and they were last reminded, MARKETING_REMINDER_YEARS or more ago. The
reminder is queued with the new marketing_reminded_at in one transaction, so a
second run on the same day finds nobody.
"""

import logging
from datetime import datetime

from flask import current_app
from sqlalchemy import func, or_, select

from extensions import db
from models.consent import ConsentEvent
from models.member import Member
from services.clock import now_utc, seoul_today
from services.outbox import queue_email
from services.personal_access import is_frozen
from services.retention import add_months

log = logging.getLogger(__name__)

REMINDED_ITEMS = ("marketing_email", "marketing_sms")
TOLD_ITEMS = ("marketing_email", "marketing_sms", "marketing_night")
REMINDER_BATCH = 200


def _cutoff(now: datetime) -> datetime:
    return add_months(now, -12 * current_app.config["MARKETING_REMINDER_YEARS"])


def _latest_ids(items: tuple[str, ...], member_id: int | None = None):
    """The id of the latest ledger event per member and item (of one member, when given)."""
    query = select(func.max(ConsentEvent.id)).where(ConsentEvent.item.in_(items))
    if member_id is not None:
        query = query.where(ConsentEvent.member_id == member_id)
    return query.group_by(ConsentEvent.member_id, ConsentEvent.item)


def due_members(now: datetime, after_id: int = 0, limit: int = REMINDER_BATCH) -> list[Member]:
    """Active members holding a marketing consent given, and last reminded, long enough ago."""
    cutoff = _cutoff(now)
    old_grants = select(ConsentEvent.member_id).where(
        ConsentEvent.id.in_(_latest_ids(REMINDED_ITEMS)),
        ConsentEvent.granted.is_(True),
        ConsentEvent.occurred_at <= cutoff,
    )
    return list(
        db.session.scalars(
            select(Member)
            .where(
                Member.status == "active",
                Member.id > after_id,
                or_(Member.marketing_reminded_at.is_(None), Member.marketing_reminded_at <= cutoff),
                Member.id.in_(old_grants),
            )
            .order_by(Member.id)
            .limit(limit)
        )
    )


def consent_status(member: Member) -> dict[str, str | None]:
    """For each marketing item, the Korean date it was given if the member holds it now, else None."""
    status = dict.fromkeys(TOLD_ITEMS)
    latest = select(ConsentEvent).where(ConsentEvent.id.in_(_latest_ids(TOLD_ITEMS, member.id)))
    for event in db.session.scalars(latest):
        if event.granted:
            status[event.item] = seoul_today(event.occurred_at).isoformat()
    return status


def send_reminders(now: datetime | None = None, batch_size: int = REMINDER_BATCH) -> int:
    """E-mail every due member what they consented to and when; return how many were reminded."""
    now = now or now_utc()
    reminded, last_id = 0, 0
    while batch := due_members(now, last_id, batch_size):
        last_id = batch[-1].id
        for member in batch:
            if is_frozen(member, "email"):
                continue  # told once the address is corrected: the next daily run finds them again
            status = consent_status(member)
            context = {"email_on": status["marketing_email"], "sms_on": status["marketing_sms"]}
            context["night_on"] = status["marketing_night"]
            queue_email(member.email, "marketing_reminder", member.language, context, member_id=member.id)
            member.marketing_reminded_at = now
            reminded += 1
        db.session.commit()
    if reminded:
        log.info("marketing reminder: %d member(s) told their consent status", reminded)
    return reminded
