"""Drill: the SMTP server refuses for a while, then accepts; a real worker and the relay deliver.

Every message is first refused at RCPT TO with 450 (greylisting), then at
DATA with 421 (the server closes the connection), then accepted. One address is refused for good
with 550, one is refused with 451 every time. Each good message must arrive
exactly once after exactly three tries at the server; the two bad ones end
"failed" within OUTBOX_MAX_ATTEMPTS and the office's mail dashboard shows them.
"""

from collections import Counter

import pytest
from sqlalchemy import select

from extensions import db
from jobs.tasks import relay_outbox
from models import OutboxMessage
from services.members import find_member_by_email
from services.outbox import queue_email
from tests.conftest import MEMBER_PASSWORD
from tests.drills.servers import wait_for
from tests.support import two_step_code

MAX_ATTEMPTS = 4
BOUNCE, FLAKY = "bounce@example.com", "flaky@example.com"
GOOD = [f"reader{i:02d}@example.com" for i in range(10)]


@pytest.fixture
def drill_settings() -> dict:
    return {"OUTBOX_MAX_ATTEMPTS": MAX_ATTEMPTS}


def refuse_then_accept(stage: str, to: str, attempt: int) -> str | None:
    if to == BOUNCE and stage == "RCPT":
        return "550 5.1.1 mailbox unavailable"
    if to == FLAKY:
        return "451 4.3.0 try again later" if stage == "DATA" else None
    if attempt == 1 and stage == "RCPT":
        return "450 4.2.0 greylisted, come back later"
    if attempt == 2 and stage == "DATA":
        return "421 4.3.2 closing the connection, try later"
    return None


def outbox(app) -> dict[str, OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage)))
        db.session.expunge_all()
    return {row.recipient: row for row in rows}


def test_smtp_refusing_for_a_while_delivers_each_message_once_and_bounds_the_retries(
    app, processes, smtp, make_member, live, visitor
):
    make_member(email="officer@example.com", staff_role="privacy_officer", language="en")
    smtp.inbox.answer = refuse_then_accept
    processes.start_worker("emails")
    with app.app_context():
        for address in [*GOOD, BOUNCE, FLAKY]:
            queue_email(address, "mail_check", "en")
        db.session.commit()
    # Leaving the context handed the batch to the worker; the relay (cron's minute job) does the rest.

    def settled() -> bool:
        with app.app_context():
            relay_outbox()
        return all(row.status in ("sent", "failed") for row in outbox(app).values())

    wait_for(settled, "every message to be sent or failed", timeout=120, every=0.3)

    rows = outbox(app)
    received = Counter(message.to for message in smtp.inbox.accepted)
    assert set(received) == {*GOOD, "officer@example.com"} and set(received.values()) == {1}
    for address in [*GOOD, "officer@example.com"]:
        row = rows[address]
        assert row.status == "sent" and row.last_error is None
        # Every attempt counted on the row reached the server: none was spent on a closed connection.
        assert row.attempts == 3 == smtp.inbox.tried.count(address), address
    assert rows[BOUNCE].status == "failed" and rows[BOUNCE].attempts == 1
    assert "550" in rows[BOUNCE].last_error
    assert rows[FLAKY].status == "failed" and rows[FLAKY].attempts == MAX_ATTEMPTS
    assert smtp.inbox.tried.count(FLAKY) == MAX_ATTEMPTS and smtp.inbox.tried.count(BOUNCE) == 1
    assert "451" in rows[FLAKY].last_error

    officer = visitor()
    signin = {"email": "officer@example.com", "password": MEMBER_PASSWORD}
    assert officer.post("/en/signin", signin).headers["Location"].endswith("/en/signin/code")
    with app.app_context():
        code = two_step_code(find_member_by_email("officer@example.com").id)
    assert officer.post("/en/signin/code", {"code": code}).status == 302
    page = officer.get("/en/office/mail")
    assert page.status == 200
    assert "b•••@example.com" in page.text and "f•••@example.com" in page.text
    assert "5.1.1 mailbox unavailable" in page.text and "4.3.0 try again later" in page.text
    assert BOUNCE not in page.text and FLAKY not in page.text
    assert visitor().get("/healthz").status == 200
    assert visitor().get("/ko/").status == 200
