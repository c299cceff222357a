"""Drills: a real worker SIGKILLed during the purge, and during a fan-out and its mail batches.

"Mid-way" is made deterministic with PostgreSQL's own locks rather than
timing: the drill holds a lock the worker's next statement needs, waits until
the server shows the worker waiting on it, and kills the worker there. What
the killed worker committed stays, what it had begun is rolled back by the
server, and a re-run or the daily maintenance finishes the rest exactly once.
"""

from collections import Counter
from datetime import timedelta

import pytest
from redis import Redis
from rq import Queue
from sqlalchemy import create_engine, func, insert, select, text

from extensions import db
from jobs import enqueue
from jobs.breach import send_breach_notice
from jobs.policy_notices import send_policy_notice
from jobs.tasks import relay_outbox, run_daily_maintenance
from models import BreachNotice, Member, OutboxMessage, PolicyVersion, RetentionRecord
from services import breach, policy_drafts
from services.clock import now_utc, seoul_today
from services.policy_drafts import DraftText
from tests.drills.servers import wait_for

PURGE_BATCH = 100
FANOUT_BATCH = 40
FANOUT_MEMBERS = 200
# The member whose e-mail the fan-out's worker is killed in front of: in its 4th batch.
GATED_MEMBER_INDEX = 3 * FANOUT_BATCH + 10
GATE_LOCK = 4242


@pytest.fixture
def drill_settings() -> dict:
    # The relay leaves a message to the job it was handed to for a few seconds (in production a
    # minute), so relaying every second does not queue each batch again and again.
    return {
        "PURGE_BATCH_SIZE": PURGE_BATCH,
        "FANOUT_BATCH_SIZE": FANOUT_BATCH,
        "OUTBOX_RELAY_AFTER_SECONDS": 5,
    }


@pytest.fixture
def side_connection(app):
    """A connection of the drill's own to the private cluster, to hold locks and read pg_stat_activity."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    yield engine
    engine.dispose()


def worker_waits_on_a_lock(engine) -> bool:
    with engine.connect() as conn:
        return bool(
            conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        )


def site_answers(visitor) -> None:
    someone = visitor()
    assert someone.get("/ko/").status == 200
    assert someone.get("/healthz").status == 200


def count(app, *where, model=RetentionRecord) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_worker_killed_during_the_purge_then_a_rerun_delete_exactly_what_is_due(
    app, processes, side_connection, live, visitor
):
    now = now_utc()
    past, future = now - timedelta(days=1), now + timedelta(days=3650)
    categories = ("advertising", "contract", "complaint", "access_log")
    with app.app_context():
        db.session.execute(
            insert(RetentionRecord),
            [
                {
                    "category": categories[i % 4],
                    "subject_key": f"s{i}",
                    "payload": {},
                    "created_at": past,
                    "retain_until": future if i % 5 == 0 else past,  # not-due rows among the due ones
                }
                for i in range(6000)
            ],
        )
        db.session.commit()
        due = list(db.session.scalars(select(RetentionRecord.id).where(RetentionRecord.retain_until <= now)))
        kept = set(db.session.scalars(select(RetentionRecord.id).where(RetentionRecord.retain_until > now)))
    assert len(due) == 4800 and len(kept) == 1200
    locked = due[len(due) // 2]  # the purge deletes in id order, PURGE_BATCH at a time
    committed_before_it = (len(due) // 2) // PURGE_BATCH * PURGE_BATCH
    purge = Queue("purge", connection=Redis.from_url(app.config["REDIS_URL"]))

    with side_connection.connect() as holder:
        holder.execute(text("SELECT id FROM retention_records WHERE id = :id FOR UPDATE"), {"id": locked})
        purge.enqueue(run_daily_maintenance, job_timeout=600)  # what `flask jobs cron` does at 03:00
        worker = processes.start_worker("purge")
        wait_for(lambda: worker_waits_on_a_lock(side_connection), "the purge to reach the locked row")
        processes.kill(worker)
        holder.rollback()

    left = count(app, RetentionRecord.retain_until <= now)
    # Each batch is one DELETE in autocommit: the batches before the kill are gone, and the one the
    # server was running (waiting on the lock) finishes whole once the lock goes, or not at all.
    assert left in (len(due) - committed_before_it, len(due) - committed_before_it - PURGE_BATCH), left
    rerun = purge.enqueue(run_daily_maintenance, job_timeout=600)
    second = processes.start_worker("purge", burst=True)
    assert second.wait(120) == 0
    assert rerun.get_status(refresh=True) == "finished", second.log_path.read_text()[-3000:]
    assert sum(rerun.return_value().get(category, 0) for category in categories) == left
    assert "Traceback" not in second.log_path.read_text()
    assert count(app, RetentionRecord.retain_until <= now) == 0
    with app.app_context():
        assert set(db.session.scalars(select(RetentionRecord.id))) == kept
    site_answers(visitor)


def add_members(app) -> list[str]:
    """FANOUT_MEMBERS active members, every third one reading English; returns their addresses."""
    addresses = [f"member{i:03d}@example.com" for i in range(FANOUT_MEMBERS)]
    with app.app_context():
        db.session.execute(
            insert(Member),
            [
                {
                    "email": address,
                    "email_key": address,
                    "password_hash": "-",
                    "name": "회원",
                    "birth_date": seoul_today().replace(year=1990),
                    "language": "en" if i % 3 == 0 else "ko",
                    "status": "active",
                    "email_verified_at": now_utc(),
                    "corrections_requested": [],
                }
                for i, address in enumerate(addresses)
            ],
        )
        db.session.commit()
    return addresses


def start_policy_change(app) -> tuple[type, int]:
    """An important change to the privacy policy, announced, its member e-mails queued as the office does."""
    with app.app_context():
        row = policy_drafts.create_draft(
            1,
            "privacy",
            DraftText(
                version="1.1",
                importance="important",
                summary_ko="이용 목적을 넓힙니다.",
                summary_en="We widen the purposes of use.",
                body_ko="제1조 목적\n새 목적",
                body_en="Article 1 Purpose\nA new purpose",
            ),
        )
        policy_drafts.schedule(row, seoul_today() + timedelta(days=30))
        enqueue(send_policy_notice, row.id, queue="emails")
        return PolicyVersion, row.id


def start_breach_notice(app) -> tuple[type, int]:
    """A breach notice to every member, queued as the office's form does."""
    with app.app_context():
        officer = db.session.scalar(select(Member).order_by(Member.id).limit(1))
        draft = breach.BreachDraft("개인정보 유출 안내", "A notice about a data leak", "본문", "Body")
        notice = breach.create_notice(officer, draft)
        enqueue(send_breach_notice, notice.id, queue="emails")
        return BreachNotice, notice.id


FAN_OUTS = {
    "policy_change": (start_policy_change, "notice_cursor", "Notice of an important change"),
    "breach_notice": (start_breach_notice, "cursor", "Important notice from USNAPER"),
}


def gate_the_mail_of(app, engine, member_address: str) -> None:
    """A trigger that makes the outbox insert for one member wait for the drill's advisory lock."""
    with app.app_context():
        member_id = db.session.scalar(select(Member.id).where(Member.email == member_address))
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE FUNCTION drill_gate() RETURNS trigger LANGUAGE plpgsql AS"
                f" $$ BEGIN PERFORM pg_advisory_xact_lock_shared({GATE_LOCK}); RETURN NEW; END $$"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER drill_gate BEFORE INSERT ON outbox_messages FOR EACH ROW"
                f" WHEN (NEW.member_id = {int(member_id)}) EXECUTE FUNCTION drill_gate()"
            )
        )


def drop_the_gate(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER drill_gate ON outbox_messages"))
        conn.execute(text("DROP FUNCTION drill_gate()"))


def unsent(app, template: str) -> int:
    return count(app, OutboxMessage.template == template, OutboxMessage.status != "sent", model=OutboxMessage)


@pytest.mark.parametrize("template", FAN_OUTS)
def test_a_worker_killed_mid_fan_out_and_mid_mail_batch_still_mails_every_member_once(
    app, processes, side_connection, smtp, live, visitor, template
):
    start, cursor_column, english_subject = FAN_OUTS[template]
    addresses = add_members(app)
    gate_the_mail_of(app, side_connection, addresses[GATED_MEMBER_INDEX])

    # 1. The fan-out's worker dies inside its 4th batch: three batches committed, the 4th half-written.
    with side_connection.connect() as holder:
        holder.execute(text(f"SELECT pg_advisory_lock({GATE_LOCK})"))
        model, row_id = start(app)
        fan_out = processes.start_worker("emails")
        wait_for(lambda: worker_waits_on_a_lock(side_connection), "the fan-out to reach the gated member")
        processes.kill(fan_out)
        holder.execute(text(f"SELECT pg_advisory_unlock({GATE_LOCK})"))
        holder.commit()
    drop_the_gate(side_connection)  # waits until the dead worker's transaction is rolled back
    assert count(app, OutboxMessage.template == template, model=OutboxMessage) == 3 * FANOUT_BATCH
    with app.app_context():
        assert getattr(db.session.get(model, row_id), cursor_column) > 0

    # 2. The next worker dies while the SMTP server holds the 50th message, in its second batch.
    smtp.inbox.hang_at = 50
    delivering = processes.start_worker("emails")
    assert smtp.inbox.hanging.wait(60), "the worker never reached the 50th message"
    processes.kill(delivering)
    smtp.inbox.release.set()
    assert len(smtp.inbox.accepted) == 49

    # 3. The daily maintenance resumes the dead fan-out; the relay hands on what was lost.
    processes.run("jobs", "run-daily")
    processes.start_worker("emails")
    with app.app_context():

        def finished() -> bool:
            relay_outbox()
            db.session.commit()
            return unsent(app, template) == 0 and len(smtp.inbox.accepted) >= FANOUT_MEMBERS

        wait_for(finished, "every member's e-mail to be delivered", timeout=120, every=1)

    received = Counter(message.to for message in smtp.inbox.accepted)
    assert set(received) == set(addresses) and set(received.values()) == {1}, "one e-mail per member"
    assert len(smtp.inbox.accepted) == FANOUT_MEMBERS
    english = {address for i, address in enumerate(addresses) if i % 3 == 0}
    for message in smtp.inbox.accepted:
        assert (english_subject in message.subject) == (message.to in english), message
    with app.app_context():
        rows = db.session.execute(
            select(OutboxMessage.member_id, func.count())
            .where(OutboxMessage.template == template)
            .group_by(OutboxMessage.member_id)
        ).all()
        assert len(rows) == FANOUT_MEMBERS and {n for _, n in rows} == {1}
        row = db.session.get(model, row_id)
        last_member = db.session.scalar(select(func.max(Member.id)))
        assert getattr(row, cursor_column) == last_member
        if model is BreachNotice:
            assert row.recipients == FANOUT_MEMBERS and row.finished_at is not None
        else:
            assert row.notice_finished_at is not None
    site_answers(visitor)
