"""Drill: the private Redis down for a minute while the site is used, then back.

While Redis is down the site keeps answering: pages, sign-in (the rate limit,
counted in Redis, lets requests through rather than failing them), signup, a
password reset and a booking, each writing its e-mails to the outbox. When
Redis is back, the worker that ran all along reconnects, `flask jobs relay`
hands the waiting e-mails on, and the SMTP server receives each exactly once.
"""

import os
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from extensions import db
from models import Ask, Member, OutboxMessage
from services.clock import seoul_today
from services.field_crypto import encrypt_field
from tests.conftest import MEMBER_PASSWORD
from tests.drills.servers import wait_for

# The issue asks for a minute; DRILL_REDIS_DOWN_SECONDS shortens it while working on the drill.
REDIS_DOWN_SECONDS = int(os.environ.get("DRILL_REDIS_DOWN_SECONDS", "60"))
CUSTOMER, PHOTOGRAPHER, NEWCOMER = "customer@example.com", "shooter@example.com", "newcomer@example.com"
REQUEST = {
    "region": "jeju",
    "shoot_date": (seoul_today() + timedelta(days=30)).isoformat(),
    "time_window": "morning",
    "shoot_type": "wedding",
    "people": "2",
    "budget": "200,000",
}
SIGNUP = {
    "email": NEWCOMER,
    "password": "a long enough passphrase",
    "password_confirm": "a long enough passphrase",
    "name": "홍길동",
    "birth_date": "1990-05-17",
    "privacy_notice": "y",
    "terms": "y",
}


@pytest.fixture
def drill_settings(private_redis) -> dict:
    """Rate limits on and counted in the private Redis, tight enough to reach in a few sign-ins."""
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": private_redis.url(1),
        "RATELIMIT_SIGNIN": "3 per minute",
    }


def accepted_ask(app, make_member, make_photographer, sign_in) -> int:
    """A Jeju wedding request asked of a photographer who accepted it; returns the ask's id."""
    make_member(email=CUSTOMER, name="김고객", phone="010-3333-4444")
    member_id, profile_id = make_photographer(PHOTOGRAPHER, specialties=["wedding"], starting_price=150_000)
    with app.app_context():
        db.session.get(Member, member_id).phone_encrypted = encrypt_field("010-7777-8888", "member.phone")
        db.session.commit()
    customer, shooter = sign_in(CUSTOMER), sign_in(PHOTOGRAPHER)
    filed = customer.post("/ko/requests/new", data=REQUEST)
    request_id = int(filed.headers["Location"].rsplit("/", 1)[1])
    customer.post(f"/ko/requests/{request_id}/asks", data={"profile": [str(profile_id)]})
    with app.app_context():
        ask_id = db.session.scalar(select(Ask.id).where(Ask.request_id == request_id))
    shooter.post(f"/ko/asks/{ask_id}/answer", data={"decision": "accept", "consent": "y"})
    return ask_id


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
    return rows


def test_redis_down_for_a_minute_the_site_works_and_every_mail_arrives_once(
    app, private_redis, processes, smtp, live, visitor, make_member, make_photographer, sign_in
):
    worker = processes.start_worker("emails")  # runs through the outage
    ask_id = accepted_ask(app, make_member, make_photographer, sign_in)
    wait_for(lambda: all(row.status == "sent" for row in outbox(app)), "the mail before the outage")
    before = {row.id for row in outbox(app)}
    # With Redis up the sign-in limit bites (the two sign-ins above counted too).
    stranger = visitor()
    tries = [
        stranger.post("/en/signin", {"email": "x@example.com", "password": "wrong one"}) for _ in range(2)
    ]
    assert tries[-1].status == 429 and "Retry-After" in tries[-1].headers

    private_redis.stop()
    down_since = time.monotonic()
    health = visitor().get("/healthz")
    assert health.status == 503 and '"redis":"unreachable"' in health.text.replace(" ", "")
    assert '"database":"ok"' in health.text.replace(" ", "")
    customer = visitor()
    # Over its limit a minute ago, the same address signs in: the limiter fails open.
    signed_in = customer.post("/en/signin", {"email": CUSTOMER, "password": MEMBER_PASSWORD})
    assert signed_in.status == 302 and customer.get("/en/me/").status == 200
    assert visitor().post("/en/signup", SIGNUP).status == 302
    assert visitor().post("/en/password/forgot", {"email": CUSTOMER}).status == 302
    booked = customer.post(f"/ko/asks/{ask_id}/confirm", {"consent": "y"})
    assert booked.status == 302 and "/bookings/" in booked.headers["Location"]
    while time.monotonic() - down_since < REDIS_DOWN_SECONDS:
        for path in ("/ko/", "/en/privacy", "/ko/photographers/"):
            assert visitor().get(path).status == 200, path
        assert customer.get("/en/me/").status == 200
        time.sleep(1)
    waiting = [row for row in outbox(app) if row.id not in before]
    assert sorted(row.template for row in waiting) == sorted(
        ["verify_email", "password_reset", "booking_confirmed", "booking_confirmed"]
    )
    assert {(row.status, row.attempts) for row in waiting} == {("pending", 0)}
    assert len(smtp.inbox.accepted) == len(before), "nothing of the outage was sent yet"

    private_redis.start()
    relayed = processes.run("jobs", "relay")
    assert f"relay: {len(waiting)} message(s) handed to delivery" in relayed.stdout
    wait_for(lambda: all(row.status == "sent" for row in outbox(app)), "the worker to deliver", timeout=120)

    assert worker.poll() is None, "the worker should have waited for Redis, not died"
    rows = outbox(app)
    received = Counter(message.message_id for message in smtp.inbox.accepted)
    assert set(received.values()) == {1} and len(received) == len(rows), "each e-mail exactly once"
    assert {message.to for message in smtp.inbox.accepted} >= {CUSTOMER, PHOTOGRAPHER, NEWCOMER}
    assert visitor().get("/healthz").status == 200
    assert visitor().get("/ko/").status == 200
