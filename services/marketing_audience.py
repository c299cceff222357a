"""Who may receive advertising, and when: current consent from the ledger, and the night hold (SPEC §10)."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask import current_app
from sqlalchemy import Select, func, select

from extensions import db
from models.consent import ConsentEvent
from models.member import Member
from services.clock import SEOUL, now_utc
from services.personal_access import is_frozen

log = logging.getLogger(__name__)


def _latest_event_ids(*items: str) -> Select:
    """The id of each member's latest ledger event for each of items (the ledger is append-only)."""
    return (
        select(func.max(ConsentEvent.id))
        .where(ConsentEvent.item.in_(items))
        .group_by(ConsentEvent.member_id, ConsentEvent.item)
    )


def consenting_member_ids(item: str) -> Select:
    """The ids of members whose latest decision on item is a grant."""
    return select(ConsentEvent.member_id).where(
        ConsentEvent.id.in_(_latest_event_ids(item)), ConsentEvent.granted.is_(True)
    )


def consenting_members(item: str = "marketing_email") -> Select:
    """Active members who consent to item now, as one query (fan_out adds the order and the limit)."""
    return select(Member).where(Member.status == "active", Member.id.in_(consenting_member_ids(item)))


def has_current_consent(member_id: int, item: str) -> bool:
    """Whether the member's latest decision on item is a grant (never asked: no)."""
    latest = db.session.scalar(
        select(ConsentEvent.granted)
        .where(ConsentEvent.member_id == member_id, ConsentEvent.item == item)
        .order_by(ConsentEvent.id.desc())
        .limit(1)
    )
    return bool(latest)


def _clock(setting: str) -> time:
    hours, minutes = current_app.config[setting].split(":")
    return time(int(hours), int(minutes))


def in_night(now: datetime) -> bool:
    """Whether now falls within the night hours (Asia/Seoul) when advertising needs its own consent."""
    start, end = _clock("MARKETING_NIGHT_START"), _clock("MARKETING_NIGHT_END")
    local = now.astimezone(SEOUL).time()
    if start > end:  # the night runs over midnight, as 21:00 to 08:00 does
        return local >= start or local < end
    return start <= local < end


def night_ends(now: datetime) -> datetime:
    """The next end of the night hours after now (the morning a held message goes out)."""
    local = now.astimezone(SEOUL)
    morning = datetime.combine(local.date(), _clock("MARKETING_NIGHT_END"), tzinfo=SEOUL)
    if morning <= local:
        morning += timedelta(days=1)
    return morning.astimezone(UTC)


def may_send_now(member_id: int, now: datetime) -> bool:
    """Whether advertising may go to the member at this moment (daytime, or night-time consent)."""
    return not in_night(now) or has_current_consent(member_id, "marketing_night")


@dataclass(frozen=True)
class Forecast:
    """How many members a campaign sent now would reach at once, and how many would wait for morning."""

    now: int
    held: int


def forecast(now: datetime | None = None) -> Forecast:
    """A campaign's audience now: reached at once, or held for the morning (flagged addresses left out)."""
    now = now or now_utc()
    rows = db.session.execute(
        select(Member.id, Member.corrections_requested).where(
            Member.id.in_(consenting_members().with_only_columns(Member.id))
        )
    ).all()
    reachable = {row.id for row in rows if "email" not in (row.corrections_requested or [])}
    if not in_night(now):
        return Forecast(now=len(reachable), held=0)
    night = set(db.session.scalars(consenting_member_ids("marketing_night")))
    at_once = len(reachable & night)
    return Forecast(now=at_once, held=len(reachable) - at_once)


def reachable(member: Member | None) -> bool:
    """Whether advertising may go to this member at all: active, consenting, address not flagged as wrong."""
    return (
        member is not None
        and member.status == "active"
        and not is_frozen(member, "email")
        and has_current_consent(member.id, "marketing_email")
    )
