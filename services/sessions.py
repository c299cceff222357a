"""Signed-in sessions on the server: listed in My info, ended one by one or all at once (ASVS 7.4, 7.5.2).

The session cookie is signed, not stored; what makes it revocable is this record.
A sign-in opens one (the cookie carries its random key, the table only the key's
hash), every request checks it is still there, and ending a session deletes it.
The member's session version stays the one switch that ends every session at once.
"""

import hashlib
import re
import secrets
from datetime import datetime

from flask import current_app
from sqlalchemy import delete, distinct, func, select, update

from extensions import db
from models.member import Member
from models.sign_in import MemberSession
from services.clock import now_utc
from services.security_log import security_event

KEY_BYTES = 32  # 256 bits from the CSPRNG (ASVS 7.2.3 asks for 128 at least)
DEVICE_MAX = 60
# Checked in this order: Edge and Whale say "Chrome" too, Chrome says "Safari".
BROWSERS = (
    ("Edg/", "Edge"),
    ("Whale/", "Whale"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)
_PRINTABLE = re.compile(r"[^\w .,()/-]")


def key_hash(key: str) -> str:
    """What the table keeps of a session key."""
    return hashlib.sha256(key.encode()).hexdigest()


def device_label(user_agent: str) -> str:
    """A coarse label for a User-Agent ("Chrome, Windows"), or "" when nothing is recognised."""
    browser = next((name for token, name in BROWSERS if token in user_agent), "")
    system = next((name for token, name in SYSTEMS if token in user_agent), "")
    label = ", ".join(part for part in (browser, system) if part)
    return _PRINTABLE.sub("", label)[:DEVICE_MAX]


def open_session(member: Member, user_agent: str, two_step: bool, now: datetime | None = None) -> str:
    """Record a new sign-in of member in the caller's transaction and return its key for the cookie.

    Past MAX_SESSIONS_PER_MEMBER, the sessions seen least recently end, so an old
    forgotten browser cannot stay signed in for ever behind a busy one.
    """
    now = now or now_utc()
    key = secrets.token_urlsafe(KEY_BYTES)
    db.session.add(
        MemberSession(
            member_id=member.id,
            key_hash=key_hash(key),
            device=device_label(user_agent),
            created_at=now,
            last_seen_at=now,
            two_step_at=now if two_step else None,
        )
    )
    db.session.flush()
    keep = current_app.config["MAX_SESSIONS_PER_MEMBER"]
    newest = (
        select(MemberSession.id)
        .where(MemberSession.member_id == member.id)
        .order_by(MemberSession.last_seen_at.desc(), MemberSession.id.desc())
        .limit(keep)
    )
    db.session.execute(
        delete(MemberSession).where(
            MemberSession.member_id == member.id, MemberSession.id.not_in(newest.scalar_subquery())
        )
    )
    return key


def mark_seen(record: MemberSession, now: datetime) -> None:
    """Move the session's last-seen time on (the caller decides how often)."""
    record.last_seen_at = now
    db.session.commit()


def mark_two_step(record: MemberSession, now: datetime | None = None) -> None:
    """Note that this session has now passed a two-step code (after enrolling, say)."""
    record.two_step_at = now or now_utc()
    db.session.commit()


def sessions_of(member: Member) -> list[MemberSession]:
    """The member's signed-in sessions, the most recently seen first."""
    return list(
        db.session.scalars(
            select(MemberSession)
            .where(MemberSession.member_id == member.id)
            .order_by(MemberSession.last_seen_at.desc(), MemberSession.id.desc())
        )
    )


def end_session(member: Member, session_id: int) -> bool:
    """End one of the member's own sessions; False when it is not theirs or already over."""
    ended = db.session.execute(
        delete(MemberSession).where(MemberSession.id == session_id, MemberSession.member_id == member.id)
    ).rowcount
    db.session.commit()
    if ended:
        security_event("session_ended", "one", member.id)
    return bool(ended)


def drop_sessions(member_id: int, keep_key: str | None = None) -> int:
    """Delete the member's session records (but keep_key's) in the caller's transaction; how many went."""
    keep = key_hash(keep_key) if keep_key else ""
    return db.session.execute(
        delete(MemberSession).where(MemberSession.member_id == member_id, MemberSession.key_hash != keep)
    ).rowcount


def end_other_sessions(member: Member, current_key: str | None) -> int:
    """End every session of the member but the one this key names; returns how many ended."""
    ended = drop_sessions(member.id, current_key)
    db.session.commit()
    security_event("session_ended", "others", member.id, count=ended)
    return ended


def end_all_sessions(member: Member, outcome: str | None = None, actor_id: int | None = None) -> None:
    """End every session of the member, on every device: the records go and the version moves on.

    outcome names the sign-out in the security log (None: the caller logs its own event).
    """
    member.session_version += 1
    drop_sessions(member.id)
    db.session.commit()
    if outcome is not None:
        codes = {} if actor_id is None else {"actor": actor_id}
        security_event("signout", outcome, member.id, **codes)


def signed_in_counts() -> tuple[int, int]:
    """How many sessions are signed in now, and for how many members."""
    sessions, members = db.session.execute(
        select(func.count(MemberSession.id), func.count(distinct(MemberSession.member_id)))
    ).one()
    return sessions, members


def end_everyones_sessions(actor: Member, keep_key: str | None) -> int:
    """Sign every member out (a breach response), except the officer's own session; returns how many."""
    keep = key_hash(keep_key) if keep_key else ""
    signed_in = db.session.scalar(
        select(func.count(distinct(MemberSession.member_id))).where(MemberSession.key_hash != keep)
    )
    db.session.execute(
        update(Member).where(Member.id != actor.id).values(session_version=Member.session_version + 1)
    )
    db.session.execute(delete(MemberSession).where(MemberSession.key_hash != keep))
    db.session.commit()
    security_event("signout", "everyone", None, actor=actor.id, members=signed_in)
    return signed_in
