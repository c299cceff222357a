"""Twenty customers confirm one photographer for one day at once: exactly one booking (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Ask, Booking, Member
from services.bookings import confirm
from services.clock import now_utc, seoul_today
from services.shoots import RequestDraft, ShootError, answer_ask, file_request, send_asks
from tests.support import POSTGRES_PROBLEM

CUSTOMERS = 20
pytestmark = pytest.mark.skipif(bool(POSTGRES_PROBLEM), reason=str(POSTGRES_PROBLEM))


@pytest.fixture
def backend() -> str:
    """Row locks and unique indexes behave as in production only on the real server."""
    return "postgresql"


def test_twenty_parallel_confirmations_make_one_booking(app, make_member, make_photographer):
    from models import PhotographerProfile

    _, profile_id = make_photographer("busy@example.com")
    customer_ids = [make_member(email=f"c{n}@example.com") for n in range(CUSTOMERS)]
    day = seoul_today() + timedelta(days=20)
    asks = []
    with app.app_context():
        profile = db.session.get(PhotographerProfile, profile_id)
        for customer_id in customer_ids:
            member = db.session.get(Member, customer_id)
            request = file_request(member, RequestDraft("jeju", day, "morning", "snap", 2, 200_000))
            send_asks(member, request, [profile_id])
            ask = db.session.scalar(select(Ask).where(Ask.request_id == request.id))
            answer_ask(profile, ask.id, True, None, "", True)
            asks.append((member.id, ask.id))
    outcomes, barrier = [], threading.Barrier(CUSTOMERS)

    def attempt(member_id: int, ask_id: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                confirm(db.session.get(Member, member_id), ask_id, True)
                outcomes.append("booked")
            except ShootError as error:
                outcomes.append(error.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=pair) for pair in asks]
    started = now_utc()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert now_utc() - started < timedelta(seconds=60)
    assert sorted(outcomes) == ["booked"] + ["date_taken"] * (CUSTOMERS - 1)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Booking)) == 1
