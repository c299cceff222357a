"""Delivery in batches: a handful claimed at once, sent messages recorded together, renderings shared."""

import email
import smtplib
from contextlib import nullcontext
from email import policy

import pytest
from sqlalchemy import select

from extensions import db
from models import OutboxMessage
from services import delivery, mail, outbox


class Recorder:
    """Stands in for SMTP; `fail_on` maps a send's position (from 0) to the exception it raises."""

    def __init__(self, fail_on: dict | None = None):
        self.sent, self.fail_on, self.calls = [], fail_on or {}, 0

    def session(self):
        return nullcontext(self)

    def send(self, message):
        position, self.calls = self.calls, self.calls + 1
        if position in self.fail_on:
            raise self.fail_on[position]
        self.sent.append(message.as_bytes())


def queue(app, count: int, locale: str = "ko", **extra) -> list[int]:
    """Commit `count` policy notices (same words for all) without delivering them."""
    context = {"kind": "privacy", "version": "2", "on": "2027-01-01", "summary": "바뀌는 점"}
    with app.app_context():
        rows = [
            outbox.queue_email(f"m{n}@example.com", "policy_change", locale, context, flush=False, **extra)
            for n in range(count)
        ]
        db.session.commit()
        outbox.committed_message_ids()
        return [row.id for row in rows]


def states(app) -> dict[int, tuple[str, int]]:
    with app.app_context():
        return {row.id: (row.status, row.attempts) for row in db.session.scalars(select(OutboxMessage))}


def use(monkeypatch, transport) -> None:
    monkeypatch.setattr("services.delivery.transport", lambda: transport)


@pytest.fixture
def claims(monkeypatch) -> list[list[int]]:
    """The ids each claim_many call was asked for, in order."""
    asked = []
    real = delivery.claim_many
    monkeypatch.setattr(
        delivery, "claim_many", lambda chunk, now=None: asked.append(chunk) or real(chunk, now)
    )
    return asked


@pytest.mark.parametrize(
    ("lease", "timeout", "expected"), [(300, 30, 5), (60, 30, 1), (10, 30, 1), (3600, 5, 10)]
)
def test_a_claim_takes_no_more_than_the_lease_can_cover(app, lease, timeout, expected):
    app.config.update(OUTBOX_LEASE_SECONDS=lease, MAIL_TIMEOUT=timeout)
    with app.app_context():
        assert delivery.claim_ahead() == expected


def test_claim_many_takes_only_the_claimable_in_the_order_asked(app):
    first, second, third = queue(app, 3)
    with app.app_context():
        assert delivery.claim(second)
        token, rows = delivery.claim_many([third, second, first])
    assert [row.id for row in rows] == [third, first]
    with app.app_context():
        tokens = {row.id: row.claim_token for row in db.session.scalars(select(OutboxMessage))}
    assert tokens[first] == tokens[third] == token and tokens[second] != token


def test_a_batch_is_sent_once_each_in_a_few_claims(app, monkeypatch, claims):
    ids = queue(app, 12)
    recorder = Recorder()
    use(monkeypatch, recorder)
    with app.app_context():
        assert delivery.deliver(ids) == {"sent": 12, "retry": 0, "failed": 0, "skipped": 0}
        assert delivery.deliver(ids)["skipped"] == 12  # a second run sends nothing again
    assert [len(chunk) for chunk in claims] == [5, 5, 2, 5, 5, 2]
    assert states(app) == dict.fromkeys(ids, ("sent", 1))
    recipients = [email.message_from_bytes(raw, policy=policy.default)["To"] for raw in recorder.sent]
    assert sorted(recipients) == sorted(f"m{n}@example.com" for n in range(12))


def test_a_lost_connection_gives_back_the_rest_of_the_handful_and_leaves_the_others(app, monkeypatch):
    ids = queue(app, 8)
    use(monkeypatch, Recorder({1: smtplib.SMTPServerDisconnected("gone")}))
    with app.app_context():
        assert delivery.deliver(ids) == {"sent": 1, "retry": 1, "failed": 0, "skipped": 0}
        db.session.expire_all()
        tokens = [db.session.get(OutboxMessage, message_id).claim_token for message_id in ids]
    assert (
        states(app)
        == {
            ids[0]: ("sent", 1),
            ids[1]: ("pending", 1),  # its attempt counted: it reached the server
            **dict.fromkeys(ids[2:], ("pending", 0)),  # released or never claimed
        }
    )
    assert tokens == [None] * 8


def test_a_worker_stopped_mid_handful_keeps_what_was_sent_and_gives_back_the_untried(app, monkeypatch):
    ids = queue(app, 5)
    use(monkeypatch, Recorder({2: SystemExit(143)}))  # a worker told to stop mid-send
    with app.app_context(), pytest.raises(SystemExit):
        delivery.deliver(ids)
    found = states(app)
    assert [found[message_id] for message_id in ids] == [
        ("sent", 1),
        ("sent", 1),
        ("sending", 1),  # it may have reached the server: the relay takes it back after the lease
        ("pending", 0),  # never tried: given back, attempt and all
        ("pending", 0),
    ]


def test_each_sent_message_is_recorded_before_the_next_is_sent(app, monkeypatch):
    """A worker killed mid-handful (no handler runs then) re-sends at most the message in flight."""
    ids = queue(app, 5)
    seen = []

    class Watching(Recorder):
        def send(self, message):
            with app.app_context():
                seen.append(sorted(states(app).values()).count(("sent", 1)))
            super().send(message)

    use(monkeypatch, Watching())
    with app.app_context():
        assert delivery.deliver(ids)["sent"] == 5
    assert seen == [0, 1, 2, 3, 4]


def test_a_handful_outrunning_half_its_lease_is_claimed_again(app, monkeypatch, claims):
    app.config.update(OUTBOX_LEASE_SECONDS=300, MAIL_TIMEOUT=30)  # five a claim
    ids = queue(app, 5)
    clock = [0.0]
    monkeypatch.setattr("services.delivery.time.monotonic", lambda: clock[0])

    class Slow(Recorder):
        def send(self, message):
            clock[0] += 151  # past half the lease
            super().send(message)

    use(monkeypatch, Slow())
    with app.app_context():
        assert delivery.deliver(ids) == {"sent": 5, "retry": 0, "failed": 0, "skipped": 0}
    assert [len(chunk) for chunk in claims] == [5, 4, 3, 2, 1]
    assert states(app) == dict.fromkeys(ids, ("sent", 1))  # a given-back claim costs no attempt


def test_what_sending_does_to_one_message_never_reaches_the_next(app):
    """Flattening may rewrite a part (an 8-bit body line "From ..." becomes ">From ..."): each
    message built from a shared rendering must have parts of its own."""
    with app.app_context():
        rows = [outbox.queue_email(f"b{n}@example.com", "mail_check", "ko") for n in range(2)]
        db.session.commit()
        prototypes = {}
        first, second = (mail.build_message(row, prototypes) for row in rows)
        before = second.as_bytes().split(b"\n\n", 1)[1]
        first.get_body(("plain",)).set_payload(">From the generator")
        after = second.as_bytes().split(b"\n\n", 1)[1]
        alone = mail.build_message(rows[1]).get_body(("plain",)).get_content()
    assert second.get_body(("plain",)).get_content() == alone
    assert before.count(b"--") == after.count(b"--") and b">From" not in after


def test_a_withdrawal_receipt_is_erased_once_sent_and_the_rest_kept(app, monkeypatch):
    kept = queue(app, 1)
    erased = queue(app, 1, erase_after_send=True)
    use(monkeypatch, Recorder())
    with app.app_context():
        assert delivery.deliver(kept + erased)["sent"] == 2
        rows = {row.id: row for row in db.session.scalars(select(OutboxMessage))}
        assert (rows[erased[0]].recipient, rows[erased[0]].context) == ("", {})
        assert rows[kept[0]].recipient == "m0@example.com" and rows[kept[0]].context["version"] == "2"


def test_one_rendering_serves_everyone_with_the_same_words(app, monkeypatch):
    korean, english = queue(app, 3, "ko"), queue(app, 2, "en")
    renders = []
    real = mail.render_words
    monkeypatch.setattr(mail, "render_words", lambda *args: renders.append(args[:2]) or real(*args))
    recorder = Recorder()
    use(monkeypatch, recorder)
    with app.app_context():
        assert delivery.deliver(korean + english)["sent"] == 5
    assert renders == [("policy_change", "ko"), ("policy_change", "en")]
    messages = [email.message_from_bytes(raw, policy=policy.default) for raw in recorder.sent]
    assert len({message["Message-ID"] for message in messages}) == 5
    assert len({message.get_boundary() for message in messages}) == 5  # each flattened on its own
    bodies = {}
    for message in messages:
        assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
        bodies.setdefault(message["Subject"], set()).add(message.get_body(("plain",)).get_content())
    assert {len(texts) for texts in bodies.values()} == {1} and len(bodies) == 2


def test_a_shared_rendering_matches_one_built_alone(app):
    (message_id,) = queue(app, 1, "en")
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        prototypes = {}
        build = mail.build_message(row, prototypes)
        again = mail.build_message(row, prototypes)
        alone = mail.build_message(row)
    for header in ("Subject", "From", "To", "Message-ID", "MIME-Version"):
        assert build[header] == again[header] == alone[header]
    assert build.get_body(("html",)).get_content() == alone.get_body(("html",)).get_content()


def test_messages_queued_without_flushing_are_handed_over_after_the_commit_only(app):
    with app.app_context():
        outbox.queue_email("a@example.com", "mail_check", "ko", flush=False)
        db.session.rollback()
        assert outbox.committed_message_ids() == []
        message = outbox.queue_email("b@example.com", "mail_check", "ko", flush=False)
        db.session.flush()
        assert outbox.committed_message_ids() == []  # not before the commit
        db.session.commit()
        assert outbox.committed_message_ids() == [message.id]


def test_a_message_dropped_with_its_savepoint_is_never_handed_over(app):
    with app.app_context():
        kept = outbox.queue_email("a@example.com", "mail_check", "ko", flush=False)
        savepoint = db.session.begin_nested()
        outbox.queue_email("b@example.com", "mail_check", "ko", flush=False)
        savepoint.rollback()
        db.session.commit()
        assert outbox.committed_message_ids() == [kept.id]
        later = outbox.queue_email("c@example.com", "mail_check", "ko", flush=False)
        db.session.commit()
        assert outbox.committed_message_ids() == [later.id]  # nothing of the dropped one is left behind


def test_warm_up_finds_every_email_template(app, monkeypatch):
    with app.app_context():
        mail.warm_up()
        cached = {name for (_loader, name) in app.jinja_env.cache}
        assert {f"email/{name}.{kind}" for name in mail.EMAIL_SUBJECTS for kind in ("txt", "html")} <= cached
        monkeypatch.setitem(mail.EMAIL_SUBJECTS, "no_such_mail", "x")
        with pytest.raises(Exception, match="no_such_mail"):
            mail.warm_up()
