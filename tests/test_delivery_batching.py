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


def test_a_batch_is_sent_once_each_in_a_few_claims(app, monkeypatch):
    ids = queue(app, 12)
    recorder = Recorder()
    use(monkeypatch, recorder)
    claims = []
    real = delivery.claim_many
    monkeypatch.setattr(
        delivery, "claim_many", lambda chunk, now=None: claims.append(chunk) or real(chunk, now)
    )
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


def test_what_was_sent_before_a_crash_is_recorded_and_not_sent_again(app, monkeypatch):
    ids = queue(app, 4)
    use(monkeypatch, Recorder({2: SystemExit(143)}))  # a worker told to stop mid-send
    with app.app_context(), pytest.raises(SystemExit):
        delivery.deliver(ids)
    found = states(app)
    assert [found[message_id] for message_id in ids] == [
        ("sent", 1),
        ("sent", 1),
        ("sending", 1),  # the relay takes these back once the lease runs out
        ("sending", 1),
    ]


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


def test_warm_up_finds_every_email_template(app, monkeypatch):
    with app.app_context():
        mail.warm_up()
        cached = {name for (_loader, name) in app.jinja_env.cache}
        assert {f"email/{name}.{kind}" for name in mail.EMAIL_SUBJECTS for kind in ("txt", "html")} <= cached
        monkeypatch.setitem(mail.EMAIL_SUBJECTS, "no_such_mail", "x")
        with pytest.raises(Exception, match="no_such_mail"):
            mail.warm_up()
