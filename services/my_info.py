"""My info: everything the site holds about a member, for the page and the JSON export (SPEC §4)."""

from datetime import date, datetime

from sqlalchemy import func, select

from extensions import db
from models.board import Comment, Post
from models.consent import CONSENT_ITEMS, ConsentEvent
from models.member import Member
from models.sign_in import SignInEvent
from services.clock import now_utc
from services.members import record_consents
from services.personal_data import OWNERSHIP, fields_of
from services.posts import posting_suspended_until

OPTIONAL_CONSENTS = ("optional_profile", "marketing_email", "marketing_sms", "marketing_night")


def consent_history(member: Member) -> list[ConsentEvent]:
    """Every consent decision of the member, newest first."""
    query = (
        select(ConsentEvent)
        .where(ConsentEvent.member_id == member.id)
        .order_by(ConsentEvent.occurred_at.desc(), ConsentEvent.id.desc())
    )
    return list(db.session.scalars(query))


def current_consents(member: Member) -> dict[str, bool]:
    """Each consent item's state now: the latest decision in the ledger (never given: False)."""
    state = dict.fromkeys(CONSENT_ITEMS, False)
    for event in reversed(consent_history(member)):
        state[event.item] = event.granted
    return state


def recent_sign_ins(member: Member, limit: int = 10) -> list[SignInEvent]:
    """The member's latest sign-ins."""
    query = (
        select(SignInEvent)
        .where(SignInEvent.member_id == member.id)
        .order_by(SignInEvent.occurred_at.desc(), SignInEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def my_writing(member: Member, limit: int = 20) -> dict:
    """The member's latest posts, how many comments they wrote, and any posting suspension."""
    posts = db.session.scalars(
        select(Post).where(Post.author_id == member.id).order_by(Post.id.desc()).limit(limit)
    )
    comments = db.session.scalar(
        select(func.count()).select_from(Comment).where(Comment.author_id == member.id)
    )
    return {
        "posts": list(posts),
        "comment_count": comments,
        "suspended_until": posting_suspended_until(member),
    }


def change_optional_consents(member: Member, wanted: dict[str, bool]) -> list[str]:
    """Record the optional consents that changed; return their items. Marketing stops at once.

    Withdrawing the optional-information consent also erases the optional items.
    """
    now = current_consents(member)
    changed = {item: bool(wanted[item]) for item in OPTIONAL_CONSENTS if bool(wanted[item]) != now[item]}
    if changed:
        record_consents(member, changed, "my_info")
        if changed.get("optional_profile") is False:
            member.phone_encrypted = None
            member.preferred_region = None
        db.session.commit()
    return sorted(changed)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export(member: Member) -> dict:
    """Everything held about the member, as JSON-ready data, read through the registry."""
    data: dict = {"exported_at": now_utc().isoformat(), "provided_to_others": []}
    for table, (model, owned_by) in OWNERSHIP.items():
        fields = fields_of(table, exported_only=True)
        rows = db.session.scalars(select(model).where(owned_by(member))).all()
        records = [
            {
                f.column: _plain(f.reader(getattr(row, f.column)) if f.reader else getattr(row, f.column))
                for f in fields
            }
            for row in rows
        ]
        if table == "members":
            data["profile"] = records[0] if records else {}
        elif fields:
            data[table] = records
    data["consents_now"] = current_consents(member)
    return data
