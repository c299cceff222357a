"""Drill: the private PostgreSQL cluster restarted while a request is half-way through its transaction.

The app is served by a real HTTP server against the cluster. A signup is held
right after its first flush (its member row written, not committed) while the
cluster goes down: it gets the 503 page in its language, nothing of it stays,
and the very next requests work again with the same app (pool pre-ping).
"""

import threading

import pytest
from flask import has_request_context, request
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from extensions import db
from models import Member, OutboxMessage
from tests.conftest import MEMBER_PASSWORD

NEWCOMER = "newcomer@example.com"
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
def drill_settings() -> dict:
    """Embedded mode: the verification mail goes to SMTP from the request itself."""
    return {"REDIS_URL": None}


class HeldAfterFirstFlush:
    """Holds the first request to `path` right after its first flush: rows sent, transaction open."""

    def __init__(self, path: str) -> None:
        self.path, self.taken = path, False
        self.inside, self.resume = threading.Event(), threading.Event()

    def __call__(self, session, flush_context) -> None:
        if self.taken or not has_request_context() or request.path != self.path:
            return
        self.taken = True
        self.inside.set()
        self.resume.wait(60)


@pytest.fixture
def hold_after_first_flush():
    holds = []

    def make(path: str) -> HeldAfterFirstFlush:
        hold = HeldAfterFirstFlush(path)
        event.listen(Session, "after_flush", hold)
        holds.append(hold)
        return hold

    yield make
    for hold in holds:
        hold.resume.set()
        event.remove(Session, "after_flush", hold)


def newcomer_rows(app) -> tuple[int, int]:
    with app.app_context():
        members = db.session.scalar(select(func.count()).select_from(Member).where(Member.email == NEWCOMER))
        mail = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.recipient == NEWCOMER)
        )
        return members, mail


def assert_unavailable_page(response, language: str, words: str) -> None:
    assert response.status == 503, response.text[-500:]
    assert response.headers["Retry-After"] == "30"
    assert f'<html lang="{language}">' in response.text and words in response.text
    assert "Traceback" not in response.text and "psycopg" not in response.text


@pytest.mark.parametrize("how", ["stop, look, start", "restart -m immediate"])
def test_postgresql_restarted_mid_request(
    app, live, visitor, smtp, private_postgres, make_member, hold_after_first_flush, how
):
    make_member(email="member@example.com", language="en")
    member = visitor()
    signin = {"email": "member@example.com", "password": MEMBER_PASSWORD}
    assert member.post("/en/signin", signin).status == 302
    hold = hold_after_first_flush("/en/signup")
    newcomer, answer = visitor(), {}
    signup = threading.Thread(target=lambda: answer.setdefault("signup", newcomer.post("/en/signup", SIGNUP)))
    signup.start()
    assert hold.inside.wait(30), "the signup never reached its first flush"

    if how == "restart -m immediate":
        private_postgres.restart("immediate")
        hold.resume.set()
        signup.join(60)
    else:
        private_postgres.stop("fast")
        hold.resume.set()
        signup.join(60)
        health = visitor().get("/healthz")
        assert health.status == 503 and '"database":"unreachable"' in health.text.replace(" ", "")
        assert_unavailable_page(visitor().get("/ko/"), "ko", "일시적으로 이용할 수 없습니다")
        # A signed-in member gets the same page (the member cannot be read without the database).
        assert_unavailable_page(member.get("/en/me/"), "en", "Temporarily unavailable")
        private_postgres.start()

    assert_unavailable_page(answer["signup"], "en", "Nothing you sent was saved")
    # The same app, not restarted: the very next requests work.
    assert visitor().get("/healthz").status == 200
    assert visitor().get("/en/").status == 200
    assert member.get("/en/me/").status == 200, "the member should still be signed in"
    assert newcomer_rows(app) == (0, 0), "the interrupted signup left rows behind"
    assert not any(message.to == NEWCOMER for message in smtp.inbox.accepted)

    assert newcomer.post("/en/signup", SIGNUP).status == 302
    assert newcomer_rows(app) == (1, 1)
    assert [message.to for message in smtp.inbox.accepted].count(NEWCOMER) == 1
    assert visitor().get("/ko/").status == 200
