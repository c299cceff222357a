"""The privacy office's member look-up: the minimum at first, personal data only with a reason, audited."""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from extensions import db
from models.member import Member
from models.photographer import PhotographerProfile
from services.clock import now_utc, seoul_today
from services.dormancy import find_dormant
from services.members import find_member_by_email
from services.my_info import export
from services.personal_access import FrozenField, personal_value
from services.personal_data import OWNERSHIP, REGISTRY
from services.rules import RuleError, valid_id
from services.staff_audit import record_access

log = logging.getLogger(__name__)

# What an officer may tick to open, and nothing else.
VIEWABLE_FIELDS = ("name", "email", "phone", "birth_date", "preferred_region", "language")
MEMBER_NUMBER = re.compile(r"^#?\s*([0-9]{1,12})$")


class MemberDataError(RuleError):
    """Opening or exporting a member's personal data was refused."""


@dataclass(frozen=True)
class MemberSummary:
    """What the look-up shows before any personal data is opened."""

    id: int
    status: str
    joined: date
    staff_role: str | None
    photographer: bool


@dataclass(frozen=True)
class OpenedData:
    """The ticked fields' values; fields the member flagged as wrong are listed, never shown."""

    values: dict
    frozen: list[str]


def find_member(query: str) -> Member | None:
    """The member with exactly this e-mail address or member number (dormant stubs included)."""
    query = (query or "").strip()
    number = MEMBER_NUMBER.match(query)
    if number:
        member_id = int(number.group(1))
        return db.session.get(Member, member_id) if valid_id(member_id) else None
    if "@" not in query:
        return None
    return find_member_by_email(query) or find_dormant(query)


def member_by_id(member_id: int) -> Member | None:
    """The member with this id, if any."""
    return db.session.get(Member, member_id) if valid_id(member_id) else None


def summary(member: Member) -> MemberSummary:
    """The least the office needs to tell members apart: no name, address, phone or birth date."""
    photographer = db.session.scalar(
        select(PhotographerProfile.id).where(PhotographerProfile.member_id == member.id)
    )
    return MemberSummary(
        id=member.id,
        status=member.status,
        joined=seoul_today(member.created_at),
        staff_role=member.staff_role,
        photographer=photographer is not None,
    )


def _openable(member: Member) -> None:
    # A dormant member's data is sealed apart (SPEC §6): only their own sign-in brings it back.
    if member.status == "dormant":
        raise MemberDataError("dormant")


def open_personal_data(
    staff_id: int, member: Member, fields: list[str], reason: str, now: datetime | None = None
) -> OpenedData:
    """Read the ticked personal fields, writing the audit row in the same transaction; commits."""
    chosen = [name for name in VIEWABLE_FIELDS if name in set(fields or [])]
    if not chosen or len(chosen) != len(set(fields)):
        raise MemberDataError("choose_fields", "fields")
    _openable(member)
    record_access(staff_id, member.id, "member_view", chosen, reason, now=now)
    values, frozen = {}, []
    for name in chosen:
        try:
            values[name] = personal_value(member, name)
        except FrozenField:
            frozen.append(name)
    db.session.commit()
    return OpenedData(values, frozen)


def exported_categories() -> list[str]:
    """Every category of personal data the export holds (what an export opens)."""
    return sorted({f.category for f in REGISTRY if f.exported and f.table in OWNERSHIP})


def export_on_request(staff_id: int, member: Member, reason: str, now: datetime | None = None) -> dict:
    """A member's full export for the office, written to the audit in the same transaction; commits."""
    _openable(member)
    record_access(staff_id, member.id, "member_export", exported_categories(), reason, now=now or now_utc())
    data = export(member)
    db.session.commit()
    return data
