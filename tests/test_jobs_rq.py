"""RQ mode against real servers: PostgreSQL, Redis, a real worker process and a real SMTP server.

The fault drills (Redis down, SMTP refusing, workers killed during the purge and
a fan-out) run on private servers of their own: tests/drills/.

The SMTP server is aiosmtpd in this process on 127.0.0.1; the worker is
`flask jobs worker --burst` in a child process sharing the test database.
"""

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from redis import Redis
from rq import Queue

from extensions import db
from jobs.tasks import relay_outbox
from models import OutboxMessage
from services.outbox import queue_email
from tests.support import POSTGRES_PROBLEM, POSTGRES_URL, REDIS_PROBLEM, REDIS_URL

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.postgres, pytest.mark.redis]
LEASE_SECONDS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An SMTP handler that records what it accepts; it can hang on the first message."""

    def __init__(self):
        self.messages, self.hang_first = [], False
        self.first_data, self.release = threading.Event(), threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.hang_first and not self.first_data.is_set():
            self.first_data.set()
            while not self.release.is_set():  # the worker is killed meanwhile; nothing is accepted
                await asyncio.sleep(0.05)
            return "451 4.3.0 gave up"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def backend():
    """These tests need the real servers: PostgreSQL and Redis (CI fails without them)."""
    for problem in (POSTGRES_PROBLEM, REDIS_PROBLEM):
        if problem:
            pytest.skip(problem)
    return "postgresql"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    inbox.release.set()
    controller.stop()


@pytest.fixture
def redis_db():
    connection = Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()


@pytest.fixture
def app_overrides(smtp, redis_db):
    return {
        "REDIS_URL": REDIS_URL,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp[1],
        "MAIL_USE_TLS": False,
        "OUTBOX_RELAY_AFTER_SECONDS": 0,
        "OUTBOX_RETRY_BASE_SECONDS": 0,
        "OUTBOX_LEASE_SECONDS": LEASE_SECONDS,
    }


def child_env(app, **extra) -> dict:
    """The environment of a worker or CLI process that shares this test's servers."""
    cfg = app.config
    return (
        os.environ
        | {
            "APP_ENV": "development",
            "DATABASE_URL": POSTGRES_URL,
            "REDIS_URL": REDIS_URL,
            "SECRET_KEY": cfg["SECRET_KEY"],
            "FIELD_ENCRYPTION_KEY": cfg["FIELD_ENCRYPTION_KEY"],
            "SERVER_NAME": cfg["SERVER_NAME"],
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(cfg["MAIL_PORT"]),
            "MAIL_USE_TLS": "false",
            "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
            "OUTBOX_RETRY_BASE_SECONDS": "0",
            # So the worker can import job functions defined in this test module.
            "PYTHONPATH": str(ROOT / "tests"),
        }
        | extra
    )


def kill_tree(pid: int) -> None:
    """SIGKILL a process and its descendants (RQ's work horse leaves the worker's session)."""
    children = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    pending, everyone = [pid], []
    while pending:
        current = pending.pop()
        everyone.append(current)
        pending += children.get(current, [])
    for victim in reversed(everyone):
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)


def flask_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "app", *args]


def run_worker(app, *queues: str) -> None:
    """Run a real RQ worker until its queues (the e-mail queue by default) are empty."""
    result = subprocess.run(
        flask_command("jobs", "worker", *(queues or ("emails",)), "--burst"),
        cwd=ROOT,
        env=child_env(app),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Work-horse terminated unexpectedly" not in result.stdout, result.stdout[-3000:]


def relay(app) -> int:
    with app.app_context():
        return relay_outbox()


def queue_one(app, locale: str = "ko") -> int:
    with app.app_context():
        message_id = queue_email("member@example.com", "mail_check", locale).id
        db.session.commit()
    return message_id  # leaving the context handed it to RQ


def outbox_row(app, message_id: int) -> OutboxMessage:
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        db.session.expunge(row)
        return row


def test_a_queued_message_is_received_once_with_language_subject_and_both_parts(app, smtp, redis_db):
    inbox, _ = smtp
    message_id = queue_one(app, "ko")
    assert Queue("emails", connection=redis_db).count == 1
    run_worker(app)
    run_worker(app)
    assert relay(app) == 0
    (received,) = inbox.messages
    assert received["Subject"] == "USNAPER 시험 메일"
    assert received.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in received.iter_parts()] == ["text/plain", "text/html"]
    assert "http://localhost/ko/" in received.get_body(preferencelist=("plain",)).get_content()
    assert outbox_row(app, message_id).status == "sent"


def test_smtp_unreachable_then_back_in_embedded_mode(app, smtp):
    inbox, port = smtp
    app.config.update(REDIS_URL=None, MAIL_PORT=free_port())  # nothing listens on that port
    message_id = queue_one(app)
    row = outbox_row(app, message_id)
    assert row.status == "pending" and row.attempts == 0  # an outage burns no attempts
    app.config["MAIL_PORT"] = port
    relay(app)
    assert outbox_row(app, message_id).status == "sent" and len(inbox.messages) == 1


def test_a_worker_killed_mid_delivery_still_delivers_exactly_once(app, smtp):
    inbox, _ = smtp
    inbox.hang_first = True
    message_id = queue_one(app)
    worker = subprocess.Popen(
        flask_command("jobs", "worker", "emails", "--burst"),
        cwd=ROOT,
        env=child_env(app),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert inbox.first_data.wait(60), "the worker never reached the SMTP server"
    finally:
        kill_tree(worker.pid)
        worker.wait(10)
    assert outbox_row(app, message_id).status == "sending"
    assert relay(app) == 0  # its lease has not run out yet
    time.sleep(LEASE_SECONDS + 0.5)
    assert relay(app) == 1
    run_worker(app)
    relay(app)
    run_worker(app)
    assert len(inbox.messages) == 1
    assert outbox_row(app, message_id).status == "sent"


def test_unknown_queue_is_refused(app):
    result = subprocess.run(
        flask_command("jobs", "worker", "bogus"),
        cwd=ROOT,
        env=child_env(app),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "unknown queue" in result.stderr


def queue_mail_job(address: str) -> None:
    """A job that queues an e-mail, as later features' jobs will (run by the worker process)."""
    queue_email(address, "mail_check", "en")
    db.session.commit()


def test_mail_queued_by_a_job_is_handed_on_without_waiting_for_the_relay(app, smtp, redis_db):
    inbox, _ = smtp
    Queue("default", connection=redis_db).enqueue(queue_mail_job, "from-a-job@example.com")
    run_worker(app, "default", "emails")
    assert [message["To"] for message in inbox.messages] == ["from-a-job@example.com"]
