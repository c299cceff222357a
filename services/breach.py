"""Breach notification (SPEC §13): the privacy officer e-mails affected members, and it is logged."""

import logging
import re
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Select, select, update

from extensions import db
from models.marketing import BreachNotice
from models.member import Member
from services.clock import now_utc
from services.fanout import fan_out
from services.outbox import queue_email
from services.personal_access import FrozenField, personal_value
from services.rules import RuleError, valid_id
from services.text import normalise, single_line

log = logging.getLogger(__name__)

MAX_CHOSEN = 10_000
SUBJECT_MAX = 150
BODY_MAX = 10_000


class BreachError(RuleError):
    """A breach notice that cannot be sent as written."""


@dataclass(frozen=True)
class BreachDraft:
    """What the privacy officer wrote: both languages, and who is affected ('' means everyone)."""

    subject_ko: str
    subject_en: str
    body_ko: str
    body_en: str
    member_ids: str = ""


def parse_member_ids(text: str) -> list[int] | None:
    """Member ids typed as numbers separated by commas, spaces or lines; None for an empty list (everyone)."""
    parts = [part for part in re.split(r"[\s,]+", text or "") if part]
    if not parts:
        return None
    # Only ASCII digits: str.isdigit() also accepts characters like "²" that int() refuses.
    if not all(re.fullmatch(r"[0-9]{1,10}", part) for part in parts) or not all(
        valid_id(int(part)) for part in parts
    ):
        raise BreachError("bad_ids", "member_ids")
    ids = sorted({int(part) for part in parts})
    if len(ids) > MAX_CHOSEN:
        raise BreachError("too_many_ids", "member_ids", max=MAX_CHOSEN)
    return ids


def _audience(member_ids: list[int] | None) -> Select:
    query = select(Member).where(Member.status == "active")
    return query if member_ids is None else query.where(Member.id.in_(member_ids))


def unknown_ids(member_ids: list[int]) -> list[int]:
    """The chosen ids that name no active member (shown to the officer before sending)."""
    found = set(
        db.session.scalars(select(Member.id).where(Member.id.in_(member_ids), Member.status == "active"))
    )
    return [member_id for member_id in member_ids if member_id not in found]


def _clean(draft: BreachDraft) -> dict:
    values = {
        "subject_ko": single_line(draft.subject_ko),
        "subject_en": single_line(draft.subject_en),
        "body_ko": normalise(draft.body_ko).strip(),
        "body_en": normalise(draft.body_en).strip(),
    }
    for name, text in values.items():
        if not text:
            raise BreachError("required", name)
        limit = SUBJECT_MAX if name.startswith("subject") else BODY_MAX
        if len(text) > limit:
            raise BreachError("too_long", name, max=limit)
    return values


def create_notice(officer: Member, draft: BreachDraft) -> BreachNotice:
    """Record a breach notice to send (the record is the log of who sent what to whom)."""
    values = _clean(draft)
    member_ids = parse_member_ids(draft.member_ids)
    if member_ids is not None and len(unknown_ids(member_ids)) == len(member_ids):
        raise BreachError("no_recipients", "member_ids")
    notice = BreachNotice(**values, member_ids=member_ids, sent_by=officer.id)
    db.session.add(notice)
    db.session.commit()
    log.info("breach notice %s recorded by staff %s for %s", notice.id, officer.id, member_ids or "everyone")
    return notice


def send_notice(notice_id: int, after_batch=None) -> int:
    """E-mail the notice to every member it names who has not had it yet; return how many this run."""
    notice = db.session.get(BreachNotice, notice_id)
    if notice is None or notice.finished_at is not None:
        return 0
    member_ids = notice.member_ids

    def handle(member: Member) -> bool:
        try:
            address = personal_value(member, "email")
        except FrozenField:
            # A breach notice must still reach them: the address they asked to correct is the one we hold.
            address = member.email
        locale = member.language
        queue_email(
            address,
            "breach_notice",
            locale,
            {
                "title": notice.subject_en if locale == "en" else notice.subject_ko,
                "body": notice.body_en if locale == "en" else notice.body_ko,
            },
            member_id=member.id,
            flush=False,  # the batch is inserted at once when fan_out moves its cursor
        )
        return True

    sent = fan_out(
        BreachNotice,
        notice_id,
        "cursor",
        _audience(member_ids),
        handle,
        current_app.config["FANOUT_BATCH_SIZE"],
        after_batch,
        count_column="recipients",
    )
    db.session.execute(
        update(BreachNotice)
        .where(BreachNotice.id == notice_id, BreachNotice.finished_at.is_(None))
        .values(finished_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return sent


def unfinished_notices() -> list[int]:
    """Notices whose sending stopped part-way (a killed worker): the daily job finishes them."""
    return list(db.session.scalars(select(BreachNotice.id).where(BreachNotice.finished_at.is_(None))))


def recent_notices(limit: int = 20) -> list[BreachNotice]:
    """The latest breach notices, newest first."""
    return list(db.session.scalars(select(BreachNotice).order_by(BreachNotice.id.desc()).limit(limit)))
