"""The one accessor for using a member's personal fields (SPEC §4's correction freeze).

Code that uses a personal field (mail to the member, contact data provided at a
booking) reads it here: a field the member flagged as wrong is unusable until
corrected, with no scattered checks.
"""

from models.member import Member
from services.field_crypto import decrypt_field


class FrozenField(Exception):
    """The member flagged this field as wrong; it may not be used until corrected."""


def is_frozen(member: Member, field: str) -> bool:
    """Whether the member has flagged this field as wrong."""
    return field in (member.corrections_requested or [])


def personal_value(member: Member, field: str):
    """A personal field's value for use; FrozenField while the member has flagged it wrong."""
    if is_frozen(member, field):
        raise FrozenField(field)
    if field == "phone":
        return decrypt_field(member.phone_encrypted, "member.phone") if member.phone_encrypted else None
    return getattr(member, field)
