"""Advertising re-checked as it is sent (SPEC §10): since queueing, consent may be gone or night fallen."""

from datetime import datetime

from extensions import db
from models.member import Member
from services.marketing_audience import has_current_consent, may_send_now, night_ends, reachable

# services.outbox imports this module when it loads, so nothing here may import the
# outbox or a module that queues mail (services.marketing_delivery): an import cycle.

CONSENT_WITHDRAWN = "not sent: marketing consent withdrawn"
ADDRESS_FLAGGED = "not sent: address flagged as wrong"


def refusal(member_id: int | None) -> str | None:
    """Why advertising may no longer go to the member at all (None: it still may)."""
    member = db.session.get(Member, member_id) if member_id is not None else None
    if reachable(member):
        return None
    if member is not None and member.status == "active" and has_current_consent(member.id, "marketing_email"):
        return ADDRESS_FLAGGED  # still consenting, but the member marked the address as wrong
    return CONSENT_WITHDRAWN


def held_until(member_id: int, now: datetime) -> datetime | None:
    """The morning the member's advertising must wait for, or None when it may go now."""
    return None if may_send_now(member_id, now) else night_ends(now)
