"""Staff roles (SPEC §1): granted and removed by the privacy officer or the bootstrap command, all logged."""

from datetime import datetime

from sqlalchemy import select

from extensions import db
from models.member import STAFF_ROLES, Member
from models.privacy_office import RoleChange
from services.clock import now_utc
from services.members import find_member_by_email
from services.retention_store import retain_until
from services.rules import RuleError, valid_id
from services.security_log import security_event


class StaffError(RuleError):
    """A staff role change was refused."""


def staff_members() -> list[Member]:
    """Every member holding a staff role, privacy officers first."""
    query = select(Member).where(Member.staff_role.is_not(None)).order_by(Member.staff_role.desc(), Member.id)
    return list(db.session.scalars(query))


def recent_changes(limit: int = 20) -> list[RoleChange]:
    """The latest role changes, newest first."""
    return list(db.session.scalars(select(RoleChange).order_by(RoleChange.id.desc()).limit(limit)))


def grant_role(email: str, role: str, actor_id: int | None, now: datetime | None = None) -> RoleChange:
    """Give the active member with this address a staff role (or change theirs); commits."""
    if role not in STAFF_ROLES:
        raise StaffError("bad_role", "role")
    member = find_member_by_email(email or "")
    # The same answer for unknown, pending and dormant addresses: staff learn no more than that.
    if member is None or member.status != "active":
        raise StaffError("no_member", "email")
    return _change(member, role, actor_id, now)


def remove_role(member_id: int, actor_id: int | None, now: datetime | None = None) -> RoleChange:
    """Take a staff member's role away (the remove button names them by id); commits."""
    member = db.session.get(Member, member_id) if valid_id(member_id) else None
    if member is None or member.staff_role is None:
        raise StaffError("not_staff")
    return _change(member, None, actor_id, now)


def revoke_role(email: str, actor_id: int | None, now: datetime | None = None) -> RoleChange:
    """Take away the staff role of the member with this address (the command line's way); commits."""
    member = find_member_by_email(email or "")
    if member is None:
        raise StaffError("no_member", "email")
    if member.staff_role is None:
        raise StaffError("not_staff", "email")
    return _change(member, None, actor_id, now)


def other_active_officers(member_id: int) -> int:
    # Locking every officer row in id order makes two officers demoting each other at
    # once run one after the other, so the second sees it would leave nobody.
    officers = db.session.scalars(
        select(Member.id)
        .where(Member.staff_role == "privacy_officer", Member.status == "active")
        .order_by(Member.id)
        .with_for_update()
    ).all()
    return len([officer for officer in officers if officer != member_id])


def record_role_change(
    member: Member, role: str | None, actor_id: int | None, now: datetime | None = None
) -> RoleChange:
    """Set the member's staff role and add its role-change row (the caller checks and commits)."""
    occurred = now or now_utc()
    change = RoleChange(
        actor_id=actor_id,
        member_id=member.id,
        before=member.staff_role,
        after=role,
        occurred_at=occurred,
        retain_until=retain_until("staff_access_log", occurred),
    )
    member.staff_role = role
    db.session.add(change)
    return change


def _change(member: Member, role: str | None, actor_id: int | None, now: datetime | None) -> RoleChange:
    before = member.staff_role
    if before == role:
        raise StaffError("no_change", "role")
    if before == "privacy_officer" and other_active_officers(member.id) == 0:
        db.session.rollback()
        raise StaffError("last_officer", "role" if role else None)
    change = record_role_change(member, role, actor_id, now)
    db.session.commit()
    security_event(
        "role_change", "ok", member.id, before=before or "none", after=role or "none", actor=actor_id or "cli"
    )
    return change
