"""Signed-in sessions held on the server: listed in My info, ended one by one, all at once, or by the
privacy office (ASVS 7.4.5, 7.5.2), each proven by replaying the ended session's cookie."""

import logging

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Member, MemberSession
from services.sessions import device_label
from tests.conftest import MEMBER_PASSWORD

EMAIL = "member@example.com"
CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


@pytest.fixture
def member(make_member) -> int:
    return make_member(email=EMAIL, name="김회원")


def signed_in_from(app, user_agent: str, email: str = EMAIL):
    """A client that signs in with this User-Agent."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    response = client.post("/en/signin", data={"email": email, "password": MEMBER_PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_out(client) -> bool:
    response = client.get("/en/me/")
    return response.status_code == 302 and "/signin" in response.headers["Location"]


def replayed(app, client):
    """Another client presenting a copy of this client's session cookie."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def session_ids(app, member_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(MemberSession.id)
                .where(MemberSession.member_id == member_id)
                .order_by(MemberSession.id)
            )
        )


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (CHROME_WINDOWS, "Chrome, Windows"),
        (SAFARI_IPHONE, "Safari, iOS"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox, Linux"),
        (CHROME_WINDOWS.replace("Safari/537.36", "Safari/537.36 Edg/131.0.0.0"), "Edge, Windows"),
        (CHROME_WINDOWS + " Whale/3.28.266.14", "Whale, Windows"),
        ("curl/8.5.0", ""),
        ("<script>alert(1)</script>", ""),
        ("", ""),
    ],
)
def test_a_browser_is_named_coarsely_and_never_by_its_raw_header(user_agent, label):
    assert device_label(user_agent) == label


def test_my_info_lists_each_signed_in_browser_and_marks_this_one(app, member):
    laptop = signed_in_from(app, CHROME_WINDOWS)
    signed_in_from(app, SAFARI_IPHONE)
    response = laptop.get("/en/me/sessions")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "Chrome, Windows <strong>(this session)</strong>" in page
    assert "Safari, iOS" in page and "Safari, iOS <strong>" not in page
    assert "AppleWebKit" not in page  # the raw header is never kept or shown
    korean = laptop.get("/ko/me/sessions").get_data(as_text=True)
    assert "로그인된 곳" in korean and "(지금 이 세션)" in korean


def test_ending_another_session_needs_the_password_and_signs_that_browser_out(app, member, caplog):
    laptop, phone = signed_in_from(app, CHROME_WINDOWS), signed_in_from(app, SAFARI_IPHONE)
    phone_session = session_ids(app, member)[1]
    refused = laptop.post("/en/me/sessions", data={"target": str(phone_session), "password": "not it at all"})
    assert refused.status_code == 400 and "That password is not right." in refused.get_data(as_text=True)
    assert not is_signed_out(phone)
    with caplog.at_level(logging.INFO, logger="security"):
        ended = laptop.post(
            "/en/me/sessions", data={"target": str(phone_session), "password": MEMBER_PASSWORD}
        )
    assert ended.status_code == 302
    assert is_signed_out(phone) and is_signed_out(replayed(app, phone))
    assert not is_signed_out(laptop)
    assert [r.getMessage() for r in caplog.records if getattr(r, "event", "") == "session_ended"] == [
        f"event=session_ended member={member} outcome=one"
    ]


def test_ending_every_other_session_keeps_only_this_one(app, member):
    here = signed_in_from(app, CHROME_WINDOWS)
    others = [signed_in_from(app, SAFARI_IPHONE) for _ in range(3)]
    response = here.post("/ko/me/sessions", data={"target": "others", "password": MEMBER_PASSWORD})
    assert response.status_code == 302
    assert all(is_signed_out(client) for client in others)
    assert not is_signed_out(here)
    assert len(session_ids(app, member)) == 1


def test_a_session_id_of_someone_else_or_nonsense_ends_nothing(app, member, make_member):
    make_member(email="other@example.com")
    theirs = signed_in_from(app, SAFARI_IPHONE, "other@example.com")
    mine = signed_in_from(app, CHROME_WINDOWS)
    with app.app_context():
        other_id = db.session.scalar(select(MemberSession.id).where(MemberSession.member_id != member))
    for target in (str(other_id), "0", "99999999999999999999", "others; DROP", ""):
        response = mine.post("/en/me/sessions", data={"target": target, "password": MEMBER_PASSWORD})
        assert response.status_code == 400, target
        assert "Choose which sessions to end." in response.get_data(as_text=True), target
    assert not is_signed_out(theirs)


def test_past_the_limit_a_new_sign_in_ends_the_least_recently_used_session(app, member):
    app.config["MAX_SESSIONS_PER_MEMBER"] = 3
    first = signed_in_from(app, CHROME_WINDOWS)
    rest = [signed_in_from(app, SAFARI_IPHONE) for _ in range(3)]
    assert is_signed_out(first)
    assert not any(is_signed_out(client) for client in rest)
    assert len(session_ids(app, member)) == 3


def test_sign_out_removes_every_record_and_a_password_change_keeps_only_this_one(app, member):
    first, second, third = (signed_in_from(app, CHROME_WINDOWS) for _ in range(3))
    new = "another long passphrase"
    changed = first.post(
        "/en/me/password",
        data={"current_password": MEMBER_PASSWORD, "password": new, "password_confirm": new},
    )
    assert changed.status_code == 302
    assert len(session_ids(app, member)) == 1
    assert is_signed_out(second) and is_signed_out(third) and not is_signed_out(first)
    assert first.post("/en/signout").status_code == 302
    assert session_ids(app, member) == []


def test_a_cookie_from_before_session_records_is_asked_to_sign_in_again(app, member):
    client = signed_in_from(app, CHROME_WINDOWS)
    with client.session_transaction() as cookie_session:
        del cookie_session["sid"]  # what a cookie issued before this release looks like
    response = client.get("/en/me/")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


@pytest.fixture
def officer(board_people, sign_in):
    return sign_in("officer@example.com")


def test_the_officer_signs_one_member_out_on_every_device(app, board_people, officer, caplog):
    reader = [signed_in_from(app, CHROME_WINDOWS, "reader1@example.com") for _ in range(2)]
    page = officer.get("/en/office/sessions")
    assert page.status_code == 200 and "Sign one member out" in page.get_data(as_text=True)
    for bad in ("", "abc", "0", "99999999999"):
        refused = officer.post("/en/office/sessions/member", data={"member_id": bad})
        assert refused.status_code == 400, bad
    with caplog.at_level(logging.INFO, logger="security"):
        done = officer.post("/ko/office/sessions/member", data={"member_id": str(board_people["reader1"])})
    assert done.status_code == 302
    assert all(is_signed_out(client) for client in reader)
    lines = [r.getMessage() for r in caplog.records if getattr(r, "event", "") == "signout"]
    assert lines == [
        f"event=signout member={board_people['reader1']} outcome=by_staff actor={board_people['officer']}"
    ]
    assert not is_signed_out(officer)


def test_the_officer_signs_everyone_out_but_keeps_this_session(app, board_people, officer, sign_in):
    others = [signed_in_from(app, CHROME_WINDOWS, f"reader{n}@example.com") for n in (1, 2, 3)]
    moderator = sign_in("mod@example.com")
    unconfirmed = officer.post("/en/office/sessions/everyone", data={})
    assert unconfirmed.status_code == 400 and "Tick this box to confirm." in unconfirmed.get_data(
        as_text=True
    )
    assert not is_signed_out(others[0])
    done = officer.post("/en/office/sessions/everyone", data={"confirm": "y"})
    assert done.status_code == 302
    assert all(is_signed_out(client) for client in [*others, moderator])
    assert not is_signed_out(officer)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MemberSession)) == 1
        assert db.session.get(Member, board_people["officer"]).session_version == 1


def test_members_and_moderators_cannot_end_other_peoples_sessions(app, board_people, sign_in):
    victim = signed_in_from(app, CHROME_WINDOWS, "reader2@example.com")
    for email in ("reader1@example.com", "mod@example.com"):
        client = sign_in(email)
        assert (
            client.post(
                "/en/office/sessions/member", data={"member_id": str(board_people["reader2"])}
            ).status_code
            == 403
        )
        assert client.post("/en/office/sessions/everyone", data={"confirm": "y"}).status_code == 403
    assert not is_signed_out(victim)
