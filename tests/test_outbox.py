"""The outbox in the embedded mode: written with its cause, delivered once after the commit."""

import threading
from datetime import timedelta

import pytest
from flask import abort
from sqlalchemy import select

from extensions import db
from models import OutboxMessage
from services import delivery, outbox
from services.clock import now_utc
from services.mail import build_message


class RecordingTransport:
    """Stands in for SMTP: keeps what it was given, or fails as told."""

    def __init__(self, failures: int = 0):
        self.sent, self.failures = [], failures

    def session(self):
        from contextlib import nullcontext

        return nullcontext(self)

    def send(self, message):
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("smtp said no")
        self.sent.append(message)


@pytest.fixture
def mailer(monkeypatch):
    transport = RecordingTransport()
    monkeypatch.setattr("services.delivery.transport", lambda: transport)
    return transport


@pytest.fixture
def app_with_mail_route(app):
    """A route that changes something and queues an e-mail in the same transaction."""

    @app.post("/<lang:lang_code>/_test/mail")
    def mail_route():
        from flask import request

        outbox.queue_email("member@example.com", "mail_check", "en")
        if request.args.get("fail"):
            abort(400)  # the change is abandoned: nothing may be sent
        db.session.commit()
        return "queued"

    return app


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        found = list(db.session.scalars(select(OutboxMessage)))
        db.session.expunge_all()
        return found


def test_committed_message_is_delivered_once_after_the_request(app_with_mail_route, mailer):
    client = app_with_mail_route.test_client()
    assert client.post("/ko/_test/mail").status_code == 200
    assert len(mailer.sent) == 1
    (row,) = rows(app_with_mail_route)
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None


def test_rolled_back_change_sends_nothing(app_with_mail_route, mailer):
    client = app_with_mail_route.test_client()
    assert client.post("/ko/_test/mail?fail=1").status_code == 400
    assert mailer.sent == [] and rows(app_with_mail_route) == []


def test_message_is_multipart_in_the_recipients_language(app):
    with app.app_context():
        korean = build_message(outbox.queue_email("a@example.com", "mail_check", "ko"))
        english = build_message(outbox.queue_email("b@example.com", "mail_check", "en"))
        db.session.rollback()
    assert korean["Subject"] == "USNAPER 시험 메일"
    assert english["Subject"] == "Test message from USNAPER"
    assert korean.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in korean.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text = korean.get_body(preferencelist=("plain",)).get_content()
    html = korean.get_body(preferencelist=("html",)).get_content()
    assert "시험용 메일입니다" in text and "http://localhost/ko/" in text
    assert 'lang="ko"' in html and 'href="http://localhost/ko/privacy"' in html
    assert korean["Date"] and korean["Message-ID"].startswith("<outbox.")


def test_unknown_template_is_refused(app):
    with app.app_context(), pytest.raises(ValueError, match="template"):
        outbox.queue_email("a@example.com", "no_such_mail", "ko")


def test_claim_is_atomic(app):
    with app.app_context():
        message = outbox.queue_email("a@example.com", "mail_check", "ko")
        db.session.commit()
        outbox.committed_message_ids()  # not delivered here: the test claims by hand
        token = delivery.claim(message.id)
        assert isinstance(token, str) and len(token) == 32
        assert delivery.claim(message.id) is None


def test_two_workers_racing_claim_one_message_once(app):
    with app.app_context():
        message_id = outbox.queue_email("a@example.com", "mail_check", "ko").id
        db.session.commit()
        outbox.committed_message_ids()
    results, start = [], threading.Barrier(4)

    def racer():
        with app.app_context():
            start.wait()
            results.append(delivery.claim(message_id) is not None)

    threads = [threading.Thread(target=racer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]


@pytest.mark.parametrize("app_overrides", [{"OUTBOX_MAX_ATTEMPTS": 3, "OUTBOX_RETRY_BASE_SECONDS": 60}])
def test_failures_back_off_then_fail_for_good_with_the_error_kept(app, monkeypatch):
    failing = RecordingTransport(failures=99)
    monkeypatch.setattr("services.delivery.transport", lambda: failing)
    with app.app_context():
        message_id = outbox.queue_email("a@example.com", "mail_check", "ko").id
        db.session.commit()
        outbox.committed_message_ids()
        start = now_utc()
        assert delivery.deliver([message_id])["retry"] == 1
        row = db.session.get(OutboxMessage, message_id)
        assert row.status == "pending" and row.attempts == 1 and "smtp said no" in row.last_error
        assert timedelta(seconds=59) < row.next_attempt_at - start < timedelta(seconds=70)
        assert delivery.deliver([message_id])["skipped"] == 1  # not due yet
        db.session.get(OutboxMessage, message_id).next_attempt_at = start
        db.session.commit()
        assert delivery.deliver([message_id])["retry"] == 1
        row = db.session.get(OutboxMessage, message_id)
        assert row.next_attempt_at - now_utc() > timedelta(seconds=110)  # doubled
        row.next_attempt_at = start
        db.session.commit()
        assert delivery.deliver([message_id])["failed"] == 1
        row = db.session.get(OutboxMessage, message_id)
        assert row.status == "failed" and row.attempts == 3 and "ConnectionRefusedError" in row.last_error


@pytest.mark.parametrize("app_overrides", [{"OUTBOX_RELAY_AFTER_SECONDS": 60, "OUTBOX_LEASE_SECONDS": 300}])
def test_relay_finds_lost_retrying_and_abandoned_messages_only(app):
    now = now_utc()
    with app.app_context():

        def add(**fields):
            row = OutboxMessage(recipient="a@example.com", template="mail_check", locale="ko", **fields)
            db.session.add(row)
            db.session.flush()
            return row.id

        fresh = add(created_at=now, next_attempt_at=now)
        lost = add(created_at=now - timedelta(minutes=5), next_attempt_at=now - timedelta(minutes=5))
        retry_due = add(attempts=1, next_attempt_at=now - timedelta(seconds=1))
        retry_later = add(attempts=1, next_attempt_at=now + timedelta(minutes=5))
        abandoned = add(status="sending", attempts=1, claimed_at=now - timedelta(minutes=10))
        working = add(status="sending", attempts=1, claimed_at=now - timedelta(seconds=5))
        done = add(status="sent", created_at=now - timedelta(days=1))
        db.session.commit()
        due = outbox.due_for_relay(now)
    assert sorted(due) == sorted([lost, retry_due, abandoned])
    assert not {fresh, retry_later, working, done} & set(due)


def test_dev_outbox_page_only_in_debug(app, client):
    with app.app_context():
        message_id = outbox.queue_email("a@example.com", "mail_check", "en").id
        db.session.commit()
    assert client.get("/ko/dev/outbox").status_code == 404
    app.debug = True
    listing = client.get("/ko/dev/outbox").get_data(as_text=True)
    assert "a@example.com" in listing and "발송함(개발용)" in listing
    detail = client.get(f"/en/dev/outbox/{message_id}").get_data(as_text=True)
    assert "Test message from USNAPER" in detail
    html = client.get(f"/en/dev/outbox/{message_id}/html")
    assert html.mimetype == "text/html" and b"This is a test message." in html.data
    assert client.get("/en/dev/outbox/999999").status_code == 404


def test_mail_check_command(app, runner, mailer):
    bad = runner.invoke(args=["mail", "check", "not-an-address"])
    assert bad.exit_code == 2 and "ADDRESS" in bad.output
    good = runner.invoke(args=["mail", "check", "Someone@Example.com", "--lang", "en"])
    assert good.exit_code == 0 and "queued" in good.output
    (row,) = rows(app)
    assert row.recipient == "Someone@example.com" and row.locale == "en"


def queued(app, locale: str = "ko") -> int:
    """Commit one message without delivering it (the test drives delivery)."""
    with app.app_context():
        message_id = outbox.queue_email("a@example.com", "mail_check", locale).id
        db.session.commit()
        outbox.committed_message_ids()
    return message_id


def test_a_worker_that_lost_its_claim_cannot_overwrite_the_next_owner(app):
    message_id = queued(app)
    with app.app_context():
        late = delivery.claim(message_id)
        db.session.get(OutboxMessage, message_id).claimed_at = now_utc() - timedelta(hours=1)
        db.session.commit()
        current = delivery.claim(message_id)  # the lease ran out: another worker takes over
        assert current and current != late
        assert delivery.record_failure(message_id, late, ConnectionError("late")) == "retry"
        row = db.session.get(OutboxMessage, message_id)
        assert row.status == "sending" and row.claim_token == current  # untouched
        assert delivery._finish(message_id, current, status="sent", sent_at=now_utc())
        assert db.session.get(OutboxMessage, message_id).status == "sent"


@pytest.mark.parametrize("app_overrides", [{"OUTBOX_MAX_ATTEMPTS": 2, "OUTBOX_LEASE_SECONDS": 60}])
def test_a_message_whose_workers_keep_dying_ends_failed(app):
    from jobs.tasks import relay_outbox

    message_id = queued(app)
    with app.app_context():
        for _ in range(2):
            assert delivery.claim(message_id)
            db.session.get(OutboxMessage, message_id).claimed_at = now_utc() - timedelta(minutes=5)
            db.session.commit()
        assert delivery.claim(message_id) is None  # no attempts left
        relay_outbox()
        row = db.session.get(OutboxMessage, message_id)
        assert row.status == "failed" and "abandoned" in row.last_error


def test_a_message_that_cannot_be_rendered_fails_at_once(app, mailer):
    with app.app_context():
        row = OutboxMessage(recipient="a@example.com", template="no_such_template", locale="ko")
        db.session.add(row)
        db.session.commit()
        assert delivery.deliver([row.id]) == {"sent": 0, "retry": 0, "failed": 1, "skipped": 0}
        failed = db.session.get(OutboxMessage, row.id)
        assert failed.status == "failed" and "could not render" in failed.last_error


def test_smtp_refusing_the_address_is_permanent(app, monkeypatch):
    import smtplib

    class Refusing(RecordingTransport):
        def send(self, message):
            raise smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"no such user")})

    monkeypatch.setattr("services.delivery.transport", Refusing)
    message_id = queued(app)
    with app.app_context():
        assert delivery.deliver([message_id])["failed"] == 1


def test_greylisting_at_rcpt_is_retried_and_a_421_stops_the_batch_before_the_next_claim(app, monkeypatch):
    """Found by tests/drills/test_smtp_refusing.py: a 450 at RCPT TO failed mail for good, and after a
    421 (smtplib closes the connection) the next message spent an attempt without reaching the server."""
    import smtplib

    replies = [
        smtplib.SMTPRecipientsRefused({"a@example.com": (450, b"4.2.0 greylisted")}),
        smtplib.SMTPDataError(421, b"4.3.2 closing the connection"),
    ]

    class Refusing(RecordingTransport):
        def send(self, message):
            raise replies.pop(0)

    monkeypatch.setattr("services.delivery.transport", Refusing)
    first, second, third = queued(app), queued(app), queued(app)
    with app.app_context():
        assert delivery.deliver([first, second, third]) == {"sent": 0, "retry": 2, "failed": 0, "skipped": 0}
        attempts = {row.id: (row.status, row.attempts) for row in db.session.scalars(select(OutboxMessage))}
    assert attempts == {first: ("pending", 1), second: ("pending", 1), third: ("pending", 0)}


def test_message_id_is_the_same_on_every_attempt(app):
    message_id = queued(app)
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        first, second = build_message(row)["Message-ID"], build_message(row)["Message-ID"]
    assert first == second and first.startswith(f"<outbox.{message_id}.")


def test_savepoint_rollback_does_not_lose_the_outer_message(app, mailer):
    with app.app_context():
        outbox.queue_email("a@example.com", "mail_check", "ko")
        with db.session.begin_nested() as savepoint:
            outbox.queue_email("b@example.com", "mail_check", "ko")
            savepoint.rollback()
        db.session.commit()
    assert [message["To"] for message in mailer.sent] == ["a@example.com"]


def test_inline_delivery_never_commits_what_the_request_left_unfinished(app_with_mail_route, mailer):
    from models import Notice

    @app_with_mail_route.post("/<lang:lang_code>/_test/half")
    def half_done():
        outbox.queue_email("member@example.com", "mail_check", "en")
        db.session.commit()
        db.session.add(Notice(title_ko="미완", title_en="half", body_ko="x", body_en="x"))
        return "left uncommitted"

    app_with_mail_route.test_client().post("/ko/_test/half")
    assert len(mailer.sent) == 1
    with app_with_mail_route.app_context():
        assert db.session.scalars(select(Notice)).all() == []


@pytest.mark.parametrize("app_overrides", [{"OUTBOX_RELAY_AFTER_SECONDS": 0, "OUTBOX_LEASE_SECONDS": 300}])
def test_the_relay_does_not_enqueue_a_backlog_again_and_again(app, monkeypatch):
    from jobs import tasks

    handed = []
    monkeypatch.setattr(tasks, "enqueue", lambda func, ids, queue: handed.append(list(ids)))
    message_id = queued(app)
    with app.app_context():
        assert tasks.relay_outbox() == 1
        assert tasks.relay_outbox() == 0  # still in its queue
    assert handed == [[message_id]]


@pytest.mark.parametrize(
    ("recipient", "context"),
    [("not-an-address", {}), ("a@example.com\r\nBcc: x@example.com", {}), ("a@example.com", {"locale": "x"})],
)
def test_bad_messages_are_refused_when_queued(app, recipient, context):
    with app.app_context(), pytest.raises(ValueError):
        outbox.queue_email(recipient, "mail_check", "ko", context)


def test_finished_messages_are_purged_after_the_keep_period(app):
    with app.app_context():
        old = now_utc() - timedelta(days=app.config["OUTBOX_KEEP_DAYS"] + 1)
        for status in ("sent", "failed", "pending"):
            db.session.add(
                OutboxMessage(
                    recipient="a@example.com",
                    template="mail_check",
                    locale="ko",
                    status=status,
                    created_at=old,
                )
            )
        db.session.add(
            OutboxMessage(recipient="b@example.com", template="mail_check", locale="ko", status="sent")
        )
        db.session.commit()
        assert outbox.purge_finished() == 2
        assert sorted(row.status for row in db.session.scalars(select(OutboxMessage))) == ["pending", "sent"]


def test_production_refuses_to_print_mail_instead_of_sending_it(app, monkeypatch):
    from services.mail import transport

    app.config["MAIL_CONSOLE"] = False  # as in production
    with app.app_context(), pytest.raises(RuntimeError, match="MAIL_SERVER"):
        transport()


def test_console_transport_prints_the_mail(app, capsys):
    from services.mail import ConsoleTransport

    with app.app_context():
        row = outbox.queue_email("printed@example.com", "mail_check", "en")
        ConsoleTransport().send(build_message(row))
        db.session.rollback()
    printed = capsys.readouterr().out
    assert "To: printed@example.com" in printed and "Subject: Test message from USNAPER" in printed
    assert "This is a test message." in printed
