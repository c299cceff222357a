"""Staff roles (SPEC §1): granted to members by the privacy officer, or by the bootstrap command."""

import logging

from extensions import db
from models.member import STAFF_ROLES
from services.members import MembershipError, find_member_by_email

log = logging.getLogger(__name__)


def set_role(email: str, role: str | None) -> int:
    """Give a member a staff role (or none); returns the member id."""
    if role is not None and role not in STAFF_ROLES:
        raise MembershipError("bad_role", "role")
    member = find_member_by_email(email)
    if member is None or member.status != "active":
        raise MembershipError("no_member", "email")
    before, member.staff_role = member.staff_role, role
    db.session.commit()
    log.info("member %s staff role changed from %s to %s", member.id, before, role)
    return member.id
