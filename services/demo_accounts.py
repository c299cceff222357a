"""The demo accounts `make run` prints: one for each part a newcomer may want to try."""

from datetime import date, timedelta

from extensions import db
from models.member import Member
from services.clock import now_utc
from services.members import SignupRequest, find_member_by_email, sign_up
from services.staff import grant_role
from services.two_step import current_code, enable_with_key

DEMO_MEMBER = {"email": "member@usnaper.example", "password": "demo-member-password", "name": "데모 회원"}
DEMO_NEIGHBOUR = {
    "email": "neighbour@usnaper.example",
    "password": "demo-neighbour-password",
    "name": "데모 이웃",
}
DEMO_TROLL = {"email": "troll@usnaper.example", "password": "demo-troll-password", "name": "데모 광고꾼"}
DEMO_PHOTOGRAPHER = {
    "email": "photographer@usnaper.example",
    "password": "demo-photographer-password",
    "name": "데모 사진작가",
}
# Staff sign in with a two-step code too. Their demo keys are published like the passwords:
# `flask demo code EMAIL` prints the current code, or add the key to any authenticator app.
DEMO_MODERATOR = {
    "email": "moderator@usnaper.example",
    "password": "demo-moderator-password",
    "name": "데모 운영자",
    "two_step_key": "DEMOMODERATORTWOSTEPKEYUSNAPERAB",
}
DEMO_OFFICER = {
    "email": "officer@usnaper.example",
    "password": "demo-officer-password",
    "name": "데모 보호책임자",
    "two_step_key": "DEMOOFFICERTWOSTEPKEYUSNAPERABCD",
}
DEMO_STAFF = (DEMO_MODERATOR, DEMO_OFFICER)


def ensure_account(
    spec: dict, days_old: int = 60, role: str | None = None, **optional
) -> tuple[Member, bool]:
    """The active demo account of spec, made through the real signup rules if missing; commits.

    Returns the member and whether it was made now. Accounts are back-dated by
    days_old, so the new-account spam rule holds only the one meant to show it.
    """
    member = find_member_by_email(spec["email"])
    made = member is None
    if made:
        member = sign_up(
            SignupRequest(
                email=spec["email"],
                password=spec["password"],
                name=spec["name"],
                birth_date=date(1994, 4, 4),
                language="ko",
                preferred_region=optional.get("preferred_region"),
                consents={"privacy_notice": True, "terms": True, "optional_profile": bool(optional)},
            )
        )
        member.status, member.email_verified_at = "active", now_utc()
        member.created_at = now_utc() - timedelta(days=days_old)
    db.session.commit()
    if role is not None and member.staff_role != role:
        # Through the staff service, so the demo's grants are logged like the bootstrap command's.
        grant_role(spec["email"], role, actor_id=None)
    if "two_step_key" in spec and not member.uses_two_step:
        enable_with_key(member, spec["two_step_key"])
    return member, made


def demo_code(email: str) -> str | None:
    """The current two-step code of a demo staff account (None for any other address)."""
    spec = next((spec for spec in DEMO_STAFF if spec["email"] == email.strip().lower()), None)
    member = find_member_by_email(email) if spec else None
    return current_code(member) if member is not None and member.uses_two_step else None
