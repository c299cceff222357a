"""Privacy complaints and questions (SPEC §12): sent from the site, answered and closed by the officer.

A member's complaint keeps no copy of their address: the answer goes to their
account address as it is when answered, unless they have flagged it as wrong
(then the answer waits in My info). A visitor's complaint keeps the address
they gave, since there is no other way to answer them.
"""

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select, update

from extensions import db
from models.complaint import COMPLAINT_KINDS, COMPLAINT_STATUSES, Complaint
from models.member import Member
from services import throttle
from services.clock import now_utc, seoul_today
from services.outbox import queue_email
from services.personal_access import FrozenField, personal_value
from services.retention_store import retain_until
from services.rules import RuleError, valid_id
from services.staff_audit import record_access
from services.text import normalise, single_line

log = logging.getLogger(__name__)

SUBJECT_MAX, BODY_MAX, ANSWER_MAX = 200, 5_000, 10_000
EMAIL_MAX = 254
# What delivery accepts; the form checks the address more strictly before it gets here.
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+$")
# Between a first answer and a follow-up: the record keeps every answer, the e-mail only the new one.
FOLLOW_UP = "\n\n―――\n\n"
PAGE_SIZE = 25


class ComplaintError(RuleError):
    """A rule refused a complaint, an answer or a step of the officer's work."""


@dataclass(frozen=True)
class Sender:
    """Who sends a complaint: a signed-in member, or a visitor with the address to answer."""

    member: Member | None
    email: str
    locale: str
    client_address: str


@dataclass(frozen=True)
class ComplaintPage:
    """One page of the officer's queue."""

    status: str
    rows: list[Complaint]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _clean(text: str | None, field: str, most: int, one_line: bool = False) -> str:
    cleaned = single_line(text) if one_line else normalise(text)
    if not cleaned:
        raise ComplaintError("empty", field)
    if len(cleaned) > most:
        raise ComplaintError("too_long", field, most=most)
    return cleaned


def _throttle_key(sender: Sender) -> str:
    # Visitors are counted by client address; throttle keeps only a keyed hash of it.
    return f"member:{sender.member.id}" if sender.member else f"address:{sender.client_address}"


def member_address(member: Member) -> str | None:
    """The member's account address when it may be used for mail (not flagged as wrong, not dormant)."""
    try:
        return personal_value(member, "email") or None
    except FrozenField:
        return None


def send_complaint(
    sender: Sender, kind: str, subject: str | None, body: str | None, now: datetime | None = None
) -> Complaint:
    """Store a complaint or question and queue its acknowledgement; commits. Nothing is stored if refused."""
    now = now or now_utc()
    limit = current_app.config["COMPLAINTS_PER_HOUR"]
    key = _throttle_key(sender)
    if throttle.is_blocked("complaint", key, limit, now):
        raise ComplaintError("rate_limited", limit=limit)
    if kind not in COMPLAINT_KINDS:
        raise ComplaintError("bad_choice", "kind")
    complaint = Complaint(
        kind=kind,
        subject=_clean(subject, "subject", SUBJECT_MAX, one_line=True),
        body=_clean(body, "body", BODY_MAX),
        status="open",
        created_at=now,
    )
    if sender.member is not None:
        complaint.member_id, complaint.email, complaint.locale = sender.member.id, "", sender.member.language
        recipient = member_address(sender.member)
    else:
        recipient = (sender.email or "").strip()
        if not _ADDRESS.match(recipient) or len(recipient) > EMAIL_MAX:
            raise ComplaintError("email_needed", "email")
        complaint.email, complaint.locale = recipient, sender.locale
    db.session.add(complaint)
    db.session.flush()
    if recipient:
        context = {"complaint_id": complaint.id, "kind": kind, "topic": complaint.subject}
        queue_email(recipient, "complaint_received", complaint.locale, context, member_id=complaint.member_id)
    db.session.commit()
    throttle.record_failure("complaint", key, timedelta(hours=1), now)
    log.info("complaint %s received (%s, %s)", complaint.id, kind, "member" if sender.member else "visitor")
    return complaint


def find_complaint(complaint_id: int | None) -> Complaint | None:
    """One complaint by id; None for unknown or impossible ids."""
    return db.session.get(Complaint, complaint_id) if valid_id(complaint_id) else None


def status_counts() -> dict[str, int]:
    """How many complaints are in each status (the queue's tabs)."""
    rows = db.session.execute(select(Complaint.status, func.count()).group_by(Complaint.status))
    counts = dict(rows.all())
    return {status: counts.get(status, 0) for status in COMPLAINT_STATUSES}


def complaint_page(status: str, page: int | None, per_page: int = PAGE_SIZE) -> ComplaintPage:
    """A page of complaints in one status: open ones oldest first (answer in turn), others newest first."""
    if status not in COMPLAINT_STATUSES:
        status = "open"
    total = status_counts()[status]
    pages = max(1, -(-total // per_page))
    page = min(max(page or 1, 1), pages)  # any number from the URL lands on a real page
    order = Complaint.id.asc() if status == "open" else Complaint.id.desc()
    rows = db.session.scalars(
        select(Complaint)
        .where(Complaint.status == status)
        .order_by(order)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return ComplaintPage(status, list(rows), page, pages, total)


def open_complaint(staff: Member, complaint: Complaint, now: datetime | None = None) -> Complaint:
    """Record that the officer opened a complaint's subject and body (the audit row); commits."""
    # The workflow supplies the reason: opening a complaint from the queue is how it gets handled.
    record_access(
        staff.id,
        subject_id=complaint.member_id,
        purpose="complaint",
        fields=["subject", "body"],
        reason=f"complaint #{complaint.id}",
        now=now,
    )
    db.session.commit()
    return complaint


def contact_address(complaint: Complaint) -> str | None:
    """Where an answer can go now: the member's usable account address, or the visitor's address."""
    if complaint.member_id is not None:
        member = db.session.get(Member, complaint.member_id)
        return member_address(member) if member else None
    return complaint.email or None


def reveal_contact(
    staff: Member, complaint: Complaint, reason: str | None, now: datetime | None = None
) -> str:
    """The complaint's contact address for the officer, with an audit row naming their reason; commits."""
    address = contact_address(complaint)
    if address is None:
        raise ComplaintError("no_address")
    record_access(
        staff.id,
        subject_id=complaint.member_id,
        purpose="complaint_contact",
        fields=["email"],
        reason=reason or "",
        now=now,
    )
    db.session.commit()
    return address


def answer_locale(complaint: Complaint) -> str:
    """The complainant's language: a member's current setting, else the language they wrote in."""
    member = db.session.get(Member, complaint.member_id) if complaint.member_id is not None else None
    return member.language if member else complaint.locale


def answer_complaint(
    staff: Member, complaint: Complaint, text: str | None, now: datetime | None = None
) -> bool:
    """Store the officer's answer (a follow-up goes after it) and e-mail it; commits. True if mailed."""
    if complaint.status == "closed":
        raise ComplaintError("closed")
    now = now or now_utc()
    answer = _clean(text, "answer", ANSWER_MAX)
    complaint.answer = f"{complaint.answer}{FOLLOW_UP}{answer}" if complaint.answer else answer
    complaint.status, complaint.answered_by, complaint.answered_at = "answered", staff.id, now
    recipient = contact_address(complaint)
    if recipient:
        context = {
            "complaint_id": complaint.id,
            "kind": complaint.kind,
            "topic": complaint.subject,
            "answer": answer,
        }
        queue_email(
            recipient, "complaint_answer", answer_locale(complaint), context, member_id=complaint.member_id
        )
    db.session.commit()
    log.info("complaint %s answered by staff %s (mailed: %s)", complaint.id, staff.id, bool(recipient))
    return bool(recipient)


def _close(complaint: Complaint, now: datetime) -> None:
    complaint.status, complaint.closed_at = "closed", now
    # Consumer complaint records: kept 3 years after closing, then the purge deletes them.
    complaint.retain_until = retain_until("complaint", now)


def close_complaint(staff: Member, complaint: Complaint, now: datetime | None = None) -> Complaint:
    """Close a complaint: it becomes read-only and its retention period starts; commits."""
    if complaint.status == "closed":
        raise ComplaintError("closed")
    _close(complaint, now or now_utc())
    db.session.commit()
    log.info("complaint %s closed by staff %s", complaint.id, staff.id)
    return complaint


def complaints_of(member: Member) -> list[Complaint]:
    """The member's complaints and questions, newest first (My info)."""
    query = select(Complaint).where(Complaint.member_id == member.id).order_by(Complaint.id.desc())
    return list(db.session.scalars(query))


def keep_after_withdrawal(member_id: int, now: datetime) -> list[dict]:
    """Unlink a leaving member's complaints and close the unfinished ones (the caller commits).

    They are consumer complaint records the law keeps for 3 years after closing;
    what stays names nobody. Returns the receipt's "kept" entry, if there were any.
    """
    rows = db.session.scalars(select(Complaint).where(Complaint.member_id == member_id)).all()
    for complaint in rows:
        if complaint.status != "closed":
            _close(complaint, now)
    if not rows:
        return []
    db.session.flush()
    db.session.execute(
        update(Complaint).where(Complaint.member_id == member_id).values(member_id=None, email="")
    )
    until = max(complaint.retain_until for complaint in rows)
    return [{"category": "complaint", "until": seoul_today(until).isoformat()}]
