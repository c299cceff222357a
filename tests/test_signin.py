"""Signing in and out, throttling, password resets (SPEC §13)."""

import re

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from extensions import db
from models import Member, MemberSession, OutboxMessage, SignInEvent, ThrottleCounter

PASSWORD = "a long enough passphrase"


@pytest.fixture
def member(make_member):
    """An active member, as a signup plus verification would leave it."""
    return make_member(email="member@example.com", name="김회원")


def sign_in(client, email="member@example.com", password=PASSWORD, lang="ko"):
    return client.post(f"/{lang}/signin", data={"email": email, "password": password})


def test_sign_in_starts_a_fresh_session_and_reminds_about_shared_computers(client, member):
    with client.session_transaction() as session:
        session["left_over"] = "from before"
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/ko/")
    with client.session_transaction() as session:
        assert "left_over" not in session and session["_user_id"].startswith(f"{member}:")
    home = client.get("/ko/").get_data(as_text=True)
    assert "김회원" in home and "여러 사람이 쓰는 컴퓨터라면" in home
    assert 'action="/ko/signout"' in home


def test_a_sign_in_is_one_transaction_with_no_reloads(app, client, member):
    """Sign-in should cost bcrypt and little else (issue #9): one commit, each row read once."""
    sign_in(client, password="wrong password here")  # a failure counter the sign-in must clear
    with app.app_context():
        engine = db.engine
    statements, commits = [], []
    hooks = [
        (engine, "before_cursor_execute", lambda conn, cursor, sql, *args: statements.append(sql)),
        (Session, "after_commit", commits.append),  # the visit's own write is no ORM commit
    ]
    for target, name, hook in hooks:
        event.listen(target, name, hook)
    try:
        assert sign_in(client).status_code == 302
    finally:
        for target, name, hook in hooks:
            event.remove(target, name, hook)
    assert len(commits) == 1
    member_reads = [sql for sql in statements if sql.lstrip().startswith("SELECT members.")]
    # The lookup by address, and the access log asking whether the committed (expired) member is in.
    assert len(member_reads) == 2, statements
    assert len([sql for sql in statements if "throttle_counters" in sql and sql.startswith("SELECT")]) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SignInEvent)) == 1
        assert db.session.scalar(select(func.count()).select_from(MemberSession)) == 1
        assert db.session.scalar(select(func.count()).select_from(ThrottleCounter)) == 1  # the address's


@pytest.mark.parametrize("app_overrides", [{"PROPAGATE_EXCEPTIONS": False}])
def test_a_sign_in_whose_session_cannot_open_counts_nothing(app, client, member, monkeypatch):
    sign_in(client, password="wrong password here")
    with app.app_context():
        active_before = db.session.get(Member, member).last_active_at

    def broken(*args, **kwargs):
        raise RuntimeError("the session table is unreachable")

    monkeypatch.setattr("services.auth.open_session", broken)
    assert sign_in(client).status_code == 500
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SignInEvent)) == 0
        assert db.session.scalar(select(func.count()).select_from(MemberSession)) == 0
        # The account's failure is still counted: that sign-in never happened.
        assert db.session.scalar(select(func.count()).select_from(ThrottleCounter)) == 2
        assert db.session.get(Member, member).last_active_at == active_before


@pytest.mark.parametrize(
    ("email", "password"), [("member@example.com", "wrong password here"), ("nobody@example.com", PASSWORD)]
)
def test_wrong_password_and_unknown_address_look_the_same(client, member, email, password):
    response = sign_in(client, email, password, lang="en")
    assert response.status_code == 400
    assert "The e-mail address or password is not right." in response.get_data(as_text=True)


def test_unverified_member_is_asked_to_verify(app, client, member):
    with app.app_context():
        db.session.get(Member, member).status = "pending"
        db.session.commit()
    response = sign_in(client, lang="en")
    assert "Please verify your e-mail address first" in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_repeated_failures_are_throttled_in_both_languages(client, member, lang):
    for _ in range(5):
        assert sign_in(client, password="wrong password here", lang=lang).status_code == 400
    blocked = sign_in(client, lang=lang)  # even the right password waits now
    assert blocked.status_code == 429
    text = blocked.get_data(as_text=True)
    assert ("15분 뒤에 다시 시도해 주세요" if lang == "ko" else "Please wait 15 minutes") in text


@pytest.mark.parametrize("app_overrides", [{"SIGNIN_MAX_FAILURES_PER_ADDRESS": 3}])
def test_one_address_guessing_many_accounts_is_throttled(client, member):
    for index in range(3):
        sign_in(client, email=f"guess{index}@example.com", password="wrong password here")
    assert sign_in(client).status_code == 429


def test_sign_out_is_a_post(client, member):
    sign_in(client)
    assert client.get("/ko/signout").status_code == 405
    response = client.post("/ko/signout")
    assert response.status_code == 302
    assert "김회원" not in client.get("/ko/").get_data(as_text=True)


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_sign_out_needs_its_csrf_token(client, member):
    page = client.get("/ko/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/ko/signin", data={"email": "member@example.com", "password": PASSWORD, "csrf_token": token})
    assert client.post("/ko/signout").status_code == 400  # no token: still signed in
    assert "김회원" in client.get("/ko/").get_data(as_text=True)
    home = client.get("/ko/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', home).group(1)
    client.post("/ko/signout", data={"csrf_token": token})
    assert "김회원" not in client.get("/ko/").get_data(as_text=True)


def reset_token(app) -> str:
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "password_reset")
        ).one()
        return message.context["token"]


def test_password_reset_by_e_mail_works_once_and_ends_other_sessions(app, client, member):
    other_device = app.test_client()
    sign_in(other_device)
    assert "김회원" in other_device.get("/ko/").get_data(as_text=True)
    response = client.post("/ko/password/forgot", data={"email": "MEMBER@example.com"})
    assert response.status_code == 302
    token = reset_token(app)
    new_password = "완전히 새로운 비밀번호 문장"
    changed = client.post(
        f"/ko/password/reset/{token}", data={"password": new_password, "password_confirm": new_password}
    )
    assert changed.status_code == 302
    assert "김회원" not in other_device.get("/ko/").get_data(as_text=True)  # signed out everywhere
    assert sign_in(client, password=PASSWORD).status_code == 400
    assert sign_in(client, password=new_password).status_code == 302
    again = client.post(
        f"/ko/password/reset/{token}",
        data={"password": "another new one!", "password_confirm": "another new one!"},
    )
    assert again.status_code == 400 and "이미 사용된 링크입니다" in again.get_data(as_text=True)


def test_reset_for_an_unknown_address_says_the_same_and_sends_nothing(app, client, member):
    known = client.post("/en/password/forgot", data={"email": "member@example.com"}, follow_redirects=True)
    unknown = client.post("/en/password/forgot", data={"email": "nobody@example.com"}, follow_redirects=True)
    phrase = "If that address belongs to a member, a reset link is on its way."
    assert phrase in known.get_data(as_text=True) and phrase in unknown.get_data(as_text=True)
    with app.app_context():
        recipients = [
            m.recipient for m in db.session.scalars(select(OutboxMessage)) if m.template == "password_reset"
        ]
    assert recipients == ["member@example.com"]


def test_a_raised_bcrypt_cost_rehashes_at_sign_in(app, client, member):
    with app.app_context():
        assert db.session.get(Member, member).password_hash.startswith("$2b$04$")
    app.config["BCRYPT_COST"] = 5
    sign_in(client)
    with app.app_context():
        assert db.session.get(Member, member).password_hash.startswith("$2b$05$")


@pytest.mark.parametrize("app_overrides", [{"RESET_MAILS_PER_HOUR": 2}])
def test_the_reset_form_cannot_flood_a_mailbox(app, client, member):
    for _ in range(4):
        response = client.post("/en/password/forgot", data={"email": "member@example.com"})
        assert response.status_code == 302  # the same answer every time
    with app.app_context():
        sent = [m for m in db.session.scalars(select(OutboxMessage)) if m.template == "password_reset"]
    assert len(sent) == 2
