"""The outbox in the embedded mode: written with its cause, delivered once after the commit."""

import threading
from datetime import timedelta

import pytest
from flask import abort
from sqlalchemy import select

from extensions import db
from models import OutboxMessage
from services import outbox
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
    monkeypatch.setattr("services.outbox.transport", lambda: transport)
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
        return list(db.session.scalars(select(OutboxMessage)))


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
        assert outbox.claim(message.id) is True
        assert outbox.claim(message.id) is False


def test_two_workers_racing_claim_one_message_once(app):
    with app.app_context():
        message_id = outbox.queue_email("a@example.com", "mail_check", "ko").id
        db.session.commit()
        outbox.committed_message_ids()
    results, start = [], threading.Barrier(4)

    def racer():
        with app.app_context():
            start.wait()
            results.append(outbox.claim(message_id))

    threads = [threading.Thread(target=racer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]


@pytest.mark.parametrize("app_overrides", [{"OUTBOX_MAX_ATTEMPTS": 3, "OUTBOX_RETRY_BASE_SECONDS": 60}])
def test_failures_back_off_then_fail_for_good_with_the_error_kept(app, monkeypatch):
    failing = RecordingTransport(failures=99)
    monkeypatch.setattr("services.outbox.transport", lambda: failing)
    with app.app_context():
        message_id = outbox.queue_email("a@example.com", "mail_check", "ko").id
        db.session.commit()
        outbox.committed_message_ids()
        start = now_utc()
        assert outbox.deliver([message_id])["retry"] == 1
        row = db.session.get(OutboxMessage, message_id)
        assert row.status == "pending" and row.attempts == 1 and "smtp said no" in row.last_error
        assert timedelta(seconds=59) < row.next_attempt_at - start < timedelta(seconds=70)
        assert outbox.deliver([message_id])["skipped"] == 1  # not due yet
        db.session.get(OutboxMessage, message_id).next_attempt_at = start
        db.session.commit()
        assert outbox.deliver([message_id])["retry"] == 1
        row = db.session.get(OutboxMessage, message_id)
        assert row.next_attempt_at - now_utc() > timedelta(seconds=110)  # doubled
        row.next_attempt_at = start
        db.session.commit()
        assert outbox.deliver([message_id])["failed"] == 1
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
