"""Dormant accounts (SPEC §6): a notice before, separation on the day, restoration on sign-in.

After DORMANCY_MONTHS without activity a member's personal fields are sealed
(AES-GCM) into the dormant store, a database of its own, and the live row keeps
only a stub: a keyed hash to find it by address at sign-in, the password hash,
and the status. Each step commits on its own and checks what is already done,
so a run that dies half-way is finished by the next.
"""

import base64
import json
import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import Integer, LargeBinary, Select, String, any_, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from extensions import db
from models.dormant import DormantRecord
from models.member import Member
from models.sign_in import MemberSession
from services.addresses import email_key
from services.clock import now_utc, seoul_today
from services.field_crypto import decrypt_field, encrypt_field
from services.keys import keyed_hash
from services.outbox import queue_email
from services.personal_access import is_frozen
from services.retention import add_months
from services.sessions import drop_sessions

log = logging.getLogger(__name__)

STUB_PREFIX = "dormant:"
SEALED_FIELDS = ("email", "name", "birth_date", "phone_encrypted", "preferred_region")
STUB_BIRTH_DATE = date(1900, 1, 1)


def ensure_store() -> None:
    """Create the dormant store's table if it is not there (it lives outside the migrations)."""
    db.metadatas["dormant"].create_all(db.engines["dormant"], checkfirst=True)


def stub_key(email: str) -> str:
    """What a dormant member's email_key becomes: a keyed hash, so sign-in can still find the stub."""
    return STUB_PREFIX + keyed_hash(email_key(email), "dormant-address", length=64)


def _cutoff(now: datetime) -> datetime:
    return add_months(now, -current_app.config["DORMANCY_MONTHS"])


def send_notices(now: datetime | None = None) -> int:
    """E-mail the members who become dormant within the notice period; each is told once."""
    now = now or now_utc()
    notice_from = _cutoff(now) + timedelta(days=current_app.config["DORMANCY_NOTICE_DAYS"])
    due = db.session.scalars(
        select(Member).where(
            Member.status == "active",
            Member.last_active_at <= notice_from,
            Member.dormancy_notice_at.is_(None),
        )
    ).all()
    for member in due:
        if not is_frozen(member, "email"):
            dormant_on = add_months(member.last_active_at, current_app.config["DORMANCY_MONTHS"])
            on = seoul_today(dormant_on).isoformat()
            queue_email(member.email, "dormancy_notice", member.language, {"on": on}, member_id=member.id)
        member.dormancy_notice_at = now
        db.session.commit()
    return len(due)


def _seal(member) -> bytes:
    """The sealed fields of a Member or of a row selecting them (SEALED_FIELDS), encrypted together."""
    fields = {
        "email": member.email,
        "name": member.name,
        "birth_date": member.birth_date.isoformat(),
        "phone_encrypted": base64.b64encode(member.phone_encrypted).decode()
        if member.phone_encrypted
        else None,
        "preferred_region": member.preferred_region,
    }
    return encrypt_field(json.dumps(fields), "dormant.record")


def _unseal(sealed: bytes) -> dict:
    return json.loads(decrypt_field(sealed, "dormant.record"))


def separate(member: Member, now: datetime) -> None:
    """Move one member's personal fields to the dormant store and leave a stub (safe to repeat)."""
    record = db.session.get(DormantRecord, member.id)
    if member.email:  # the live row still holds the data: (re)seal it, never trust an older record
        if record is None:
            db.session.add(DormantRecord(member_id=member.id, sealed=_seal(member), moved_at=now))
        else:
            record.sealed, record.moved_at = _seal(member), now
        db.session.commit()
    member.email_key = stub_key(member.email)
    member.email, member.name, member.birth_date = "", "", STUB_BIRTH_DATE
    member.phone_encrypted = member.preferred_region = None
    member.status = "dormant"
    member.session_version += 1
    drop_sessions(member.id)
    db.session.commit()


def _due(now: datetime) -> Select:
    """Members past :last_id to make dormant now: inactive for the period, and warned long enough ago."""
    noticed_by = now - timedelta(days=current_app.config["DORMANCY_NOTICE_DAYS"])
    members = Member.__table__
    return (
        select(members.c.id, *(members.c[name] for name in SEALED_FIELDS))
        .where(
            members.c.status == "active",
            members.c.last_active_at <= _cutoff(now),
            # Only after the promised notice period: a member never warned is warned first.
            members.c.dormancy_notice_at <= noticed_by,
            # A keyset past the last batch: the rows just stubbed are not walked over again.
            members.c.id > bindparam("last_id"),
        )
        .order_by(members.c.id)
    )


def _ids():
    return bindparam("ids", type_=ARRAY(Integer))


@lru_cache(maxsize=2)
def _store_statement(on_postgresql: bool):
    """A batch's write into the dormant store: an upsert, so a record an earlier run left is replaced."""
    records = DormantRecord.__table__
    if on_postgresql:
        # One statement whatever the batch size: the ids and sealed copies travel as two arrays.
        batch = (
            func.unnest(_ids(), bindparam("sealed", type_=ARRAY(LargeBinary)))
            .table_valued("member_id", "sealed")
            .render_derived(name="batch")
        )
        moved_at = bindparam("now", type_=records.c.moved_at.type)
        upsert = pg_insert(records).from_select(
            ["member_id", "sealed", "moved_at"], select(batch.c.member_id, batch.c.sealed, moved_at)
        )
    else:  # SQLite: the same upsert as an executemany, one parameter set a member
        upsert = sqlite_insert(records).values(
            member_id=bindparam("id"), sealed=bindparam("sealed"), moved_at=bindparam("now")
        )
    return upsert.on_conflict_do_update(
        index_elements=[records.c.member_id],
        set_={"sealed": upsert.excluded.sealed, "moved_at": upsert.excluded.moved_at},
    )


@lru_cache(maxsize=2)
def _stub_statements(on_postgresql: bool) -> tuple:
    """A batch's writes to the live tables: its rows reduced to stubs, and their sessions deleted."""
    members, sessions = Member.__table__, MemberSession.__table__
    stubbed = {
        "email": "",
        "name": "",
        "birth_date": STUB_BIRTH_DATE,
        "phone_encrypted": None,
        "preferred_region": None,
        "status": "dormant",
        "session_version": members.c.session_version + 1,
    }
    if on_postgresql:
        # One UPDATE for the batch, its per-member stub keys joined in from two arrays.
        stubs = (
            func.unnest(_ids(), bindparam("keys", type_=ARRAY(String)))
            .table_valued("stub_id", "stub_key")
            .render_derived(name="stubs")
        )
        stub = (
            update(members)
            .where(members.c.id == stubs.c.stub_id, members.c.status == "active")
            .values(email_key=stubs.c.stub_key, **stubbed)
        )
        return stub, delete(sessions).where(sessions.c.member_id == any_(_ids()))
    stub = (  # SQLite: an executemany, one parameter set a member
        update(members)
        .where(members.c.id == bindparam("stub_id"), members.c.status == "active")
        .values(email_key=bindparam("stub_key"), **stubbed)
    )
    return stub, delete(sessions).where(sessions.c.member_id.in_(bindparam("ids", expanding=True)))


def _store_sealed(rows: list, now: datetime) -> None:
    """Seal a batch's rows and upsert them into the dormant store, in one transaction of its own."""
    on_postgresql = db.engines["dormant"].dialect.name == "postgresql"
    sealed = [_seal(row) for row in rows]
    if on_postgresql:
        params = {"ids": [row.id for row in rows], "sealed": sealed, "now": now}
    else:
        params = [{"id": row.id, "sealed": copy, "now": now} for row, copy in zip(rows, sealed, strict=True)]
    db.session.execute(_store_statement(on_postgresql), params)
    db.session.commit()


def _leave_stubs(rows: list) -> None:
    """Reduce a batch's live rows to stubs and end their sessions, in one transaction of its own."""
    on_postgresql = db.engine.dialect.name == "postgresql"
    stub, drop = _stub_statements(on_postgresql)
    ids = [row.id for row in rows]
    if on_postgresql:
        db.session.execute(stub, {"ids": ids, "keys": [stub_key(row.email) for row in rows]})
    else:
        db.session.execute(stub, [{"stub_id": row.id, "stub_key": stub_key(row.email)} for row in rows])
    db.session.execute(drop, {"ids": ids})
    db.session.commit()


def _separate_batch(rows: list, now: datetime) -> None:
    """Seal a batch into the dormant store, then stub its live rows: two commits, each all or nothing.

    The sealed copies are committed first, so live data is only erased once its
    copy is safe; a run killed in between re-seals the same rows next time (the
    live rows still hold the data, so an older record is replaced, never trusted).
    """
    # A row whose data is already gone (email empty) keeps the record it has.
    holding = [row for row in rows if row.email]
    if holding:
        _store_sealed(holding, now)
    _leave_stubs(rows)


def separate_inactive(
    now: datetime | None = None, batch_size: int = 500, on_batch: Callable[[int], None] | None = None
) -> int:
    """Make dormant every member inactive for the configured period, a batch at a time; return how many.

    A batch is read as plain rows (no ORM objects), sealed in Python, and written
    with one upsert into the dormant store, then one UPDATE of the stubs and one
    DELETE of their sessions in the live database. On PostgreSQL each statement
    takes the batch as arrays: the same SQL text for every batch, compiled once.
    """
    ensure_store()
    now = now or now_utc()
    done, last_id = 0, 0
    due = _due(now).limit(batch_size)
    while batch := db.session.execute(due, {"last_id": last_id}).all():
        _separate_batch(batch, now)
        last_id = batch[-1].id
        done += len(batch)
        if on_batch:
            on_batch(len(batch))
    if done:
        log.info("dormancy: %d member(s) moved to the dormant store", done)
    return done


def find_dormant(email: str) -> Member | None:
    """The dormant stub an address belongs to, if any."""
    return db.session.scalar(
        select(Member).where(Member.email_key == stub_key(email), Member.status == "dormant")
    )


def restore(member: Member) -> Member:
    """Bring a dormant member's data back to the live tables (the restore path; safe to repeat)."""
    ensure_store()
    record = db.session.get(DormantRecord, member.id)
    if record is not None and member.status == "dormant":
        fields = _unseal(record.sealed)
        member.email, member.email_key = fields["email"], email_key(fields["email"])
        member.name = fields["name"]
        member.birth_date = date.fromisoformat(fields["birth_date"])
        member.phone_encrypted = (
            base64.b64decode(fields["phone_encrypted"]) if fields["phone_encrypted"] else None
        )
        member.preferred_region = fields["preferred_region"]
        member.status, member.last_active_at, member.dormancy_notice_at = "active", now_utc(), None
        db.session.commit()
    if record is not None:
        db.session.delete(record)
        db.session.commit()
    return member
