"""Two-step sign-in (ASVS 6.3.2, 6.4.3, 6.5): an app code after the password, once each, with recovery
codes; required for staff; no path around it (reset, dormancy) and nothing of the secret in the clear."""

import logging
import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from extensions import db
from models import Member, RecoveryCode
from services.clock import now_utc
from services.two_step import current_code
from tests.conftest import MEMBER_PASSWORD
from tests.support import two_step_code

EMAIL = "member@example.com"
SECRET_ON_PAGE = re.compile(r'<code class="secret-key">([A-Z2-7 ]+)</code>')
RECOVERY_ON_PAGE = re.compile(r"<li><code>([A-Z0-9-]+)</code></li>")


@pytest.fixture
def member(make_member) -> int:
    return make_member(email=EMAIL, name="김회원")


def code_of(secret: str, offset_steps: int = 0) -> str:
    """What an authenticator app holding secret shows, offset_steps steps from now."""
    return pyotp.TOTP(secret).at(int(now_utc().timestamp()) + 30 * offset_steps)


def set_up(client, lang: str = "en") -> tuple[str, list[str]]:
    """Go through the set-up page as a member would; returns the secret read off it and the recovery codes."""
    assert client.post(f"/{lang}/me/two-step/start").status_code == 302
    page = client.get(f"/{lang}/me/two-step")
    assert page.headers["Cache-Control"] == "no-store"
    secret = SECRET_ON_PAGE.search(page.get_data(as_text=True)).group(1).replace(" ", "")
    shown = client.post(
        f"/{lang}/me/two-step/confirm", data={"code": code_of(secret), "password": MEMBER_PASSWORD}
    )
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    return secret, RECOVERY_ON_PAGE.findall(shown.get_data(as_text=True))


def password_step(client, lang: str = "en", email: str = EMAIL):
    return client.post(f"/{lang}/signin", data={"email": email, "password": MEMBER_PASSWORD})


def is_signed_in(client) -> bool:
    return client.get("/en/me/").status_code == 200


def test_a_member_sets_it_up_and_then_signs_in_with_password_and_code(app, member, sign_in, caplog):
    client = sign_in(EMAIL)
    assert client.post("/en/me/two-step/start").status_code == 302
    qr = client.get("/en/me/two-step/qr.svg")
    assert qr.mimetype == "image/svg+xml" and qr.headers["Cache-Control"] == "no-store"
    assert b"<svg" in qr.data
    secret = SECRET_ON_PAGE.search(client.get("/en/me/two-step").get_data(as_text=True)).group(1)
    secret = secret.replace(" ", "")
    wrong = client.post("/en/me/two-step/confirm", data={"code": "000000", "password": MEMBER_PASSWORD})
    assert wrong.status_code == 400 and "That code is not right." in wrong.get_data(as_text=True)
    with caplog.at_level(logging.INFO, logger="security"):
        shown = client.post(
            "/en/me/two-step/confirm", data={"code": code_of(secret), "password": MEMBER_PASSWORD}
        )
    codes = RECOVERY_ON_PAGE.findall(shown.get_data(as_text=True))
    assert len(codes) == len(set(codes)) == 10 and all(len(code) == 19 for code in codes)
    assert f"event=two_step member={member} outcome=enabled" in caplog.text
    assert client.get("/en/me/two-step/qr.svg").status_code == 404  # the secret is never shown again
    client.post("/en/signout")

    first = password_step(client)
    assert first.status_code == 302 and first.headers["Location"].endswith("/en/signin/code")
    assert not is_signed_in(client)  # the password alone signs nobody in
    refused = client.post("/en/signin/code", data={"code": "123456"})
    assert refused.status_code == 400
    assert "That code is not right." in refused.get_data(as_text=True)
    assert client.post("/en/signin/code", data={"code": code_of(secret, 1)}).status_code == 302
    assert is_signed_in(client)
    overview = client.get("/en/me/").get_data(as_text=True)
    assert "Two-step sign-in</a>: on" in overview


def test_the_korean_pages_say_it_in_korean(app, member, sign_in):
    client = sign_in(EMAIL)
    set_up(client, "ko")
    client.post("/ko/signout")
    password_step(client, "ko")
    page = client.post("/ko/signin/code", data={"code": "12"}).get_data(as_text=True)
    assert "2단계 로그인" in page and "코드가 맞지 않습니다" in page


def test_a_code_is_good_once_and_only_near_the_present(app, member, sign_in):
    client = sign_in(EMAIL)
    secret, _ = set_up(client)
    client.post("/en/signout")
    code = code_of(secret, 1)
    password_step(client)
    assert client.post("/en/signin/code", data={"code": code}).status_code == 302
    client.post("/en/signout")
    password_step(client)
    assert client.post("/en/signin/code", data={"code": code}).status_code == 400  # replayed
    for far in (-3, 3):
        assert client.post("/en/signin/code", data={"code": code_of(secret, far)}).status_code == 400


def test_a_recovery_code_signs_in_once(app, member, sign_in):
    client = sign_in(EMAIL)
    _, codes = set_up(client)
    client.post("/en/signout")
    password_step(client)
    typed = codes[3].lower().replace("-", " ")  # read off paper: case and separators do not matter
    assert client.post("/en/signin/code", data={"code": typed}).status_code == 302
    client.post("/en/signout")
    password_step(client)
    assert client.post("/en/signin/code", data={"code": codes[3]}).status_code == 400
    with app.app_context():
        assert (
            len(db.session.scalars(select(RecoveryCode).where(RecoveryCode.member_id == member)).all()) == 9
        )
        hashes = " ".join(row.code_hash for row in db.session.scalars(select(RecoveryCode)))
        assert all(code.replace("-", "")[4:] not in hashes for code in codes)


def test_five_wrong_codes_send_the_member_back_to_the_password(app, member, sign_in, caplog):
    client = sign_in(EMAIL)
    secret, _ = set_up(client)
    client.post("/en/signout")
    password_step(client)
    with caplog.at_level(logging.INFO, logger="security"):
        for _ in range(5):
            assert client.post("/en/signin/code", data={"code": "000000"}).status_code == 400
        blocked = client.post("/en/signin/code", data={"code": code_of(secret)})
    assert blocked.status_code == 302 and blocked.headers["Location"].endswith("/en/signin")
    assert "outcome=code_throttled" in caplog.text and caplog.text.count("outcome=wrong_code") == 5
    assert not is_signed_in(client)
    password_step(client)  # the password again does not reopen the code step within the window
    again = client.post("/en/signin/code", data={"code": code_of(secret, 1)})
    assert again.status_code == 302 and not is_signed_in(client)


def test_the_code_step_expires_and_cannot_be_skipped_or_forged(app, member, make_member, sign_in):
    client = sign_in(EMAIL)
    secret, _ = set_up(client)
    client.post("/en/signout")
    assert (
        client.post("/en/signin/code", data={"code": code_of(secret)}).status_code == 302
    )  # no password yet
    assert not is_signed_in(client)
    password_step(client)
    with client.session_transaction() as cookie_session:
        pending = dict(cookie_session["two_step_pending"])
        cookie_session["two_step_pending"] = pending | {"at": (now_utc() - timedelta(minutes=6)).isoformat()}
    late = client.post("/en/signin/code", data={"code": code_of(secret)}, follow_redirects=True)
    assert "That sign-in took too long" in late.get_data(as_text=True) and not is_signed_in(client)
    # A member without two-step cannot be signed in through the code form either.
    other = make_member(email="plain@example.com")
    with client.session_transaction() as cookie_session:
        cookie_session["two_step_pending"] = {
            "member_id": other,
            "at": now_utc().isoformat(),
            "then": "active",
        }
    assert client.post("/en/signin/code", data={"code": "123456"}).status_code == 302
    assert not is_signed_in(client)


def test_a_password_reset_does_not_get_around_the_code(app, member, sign_in):
    from services.auth import reset_password
    from services.link_tokens import make_token

    client = sign_in(EMAIL)
    set_up(client)
    with app.app_context():
        found = db.session.get(Member, member)
        reset_password(
            make_token("password-reset", {"m": found.id, "h": found.password_hash[-16:]}),
            "a brand new passphrase",
        )
    fresh = app.test_client()
    response = fresh.post("/en/signin", data={"email": EMAIL, "password": "a brand new passphrase"})
    assert response.headers["Location"].endswith("/en/signin/code") and not is_signed_in(fresh)


def test_a_dormant_member_gives_the_code_before_the_account_is_restored(app, member, sign_in):
    from services.dormancy import separate

    client = sign_in(EMAIL)
    secret, _ = set_up(client)
    client.post("/en/signout")
    with app.app_context():
        separate(db.session.get(Member, member), now_utc())
    first = password_step(client)
    assert first.headers["Location"].endswith("/en/signin/code")
    assert client.get("/en/signin/restore").status_code == 302  # no restore before the code
    passed = client.post("/en/signin/code", data={"code": code_of(secret, 1)})
    assert passed.headers["Location"].endswith("/en/signin/restore")
    assert client.post("/en/signin/restore").status_code == 302
    with app.app_context():
        assert db.session.get(Member, member).status == "active"
    assert is_signed_in(client)


def test_the_secret_is_encrypted_at_rest_and_never_exported(app, member, sign_in):
    client = sign_in(EMAIL)
    secret, _ = set_up(client)
    with app.app_context():
        row = db.session.get(Member, member)
        assert secret.encode() not in row.totp_secret_encrypted
    with client.session_transaction() as cookie_session:
        cookie_session["signed_in_at"] = now_utc().isoformat()
    exported = client.get("/en/me/export.json").get_data(as_text=True)
    assert secret not in exported and "totp" not in exported and "code_hash" not in exported
    assert "two_step_enabled_at" in exported and "member_sessions" in exported


def test_turning_it_off_needs_the_password_and_a_code(app, member, sign_in):
    client = sign_in(EMAIL)
    secret, _ = set_up(client)
    refused = client.post(
        "/en/me/two-step/off", data={"code": code_of(secret, 1), "password": "not it at all"}
    )
    assert refused.status_code == 400 and "That password is not right." in refused.get_data(as_text=True)
    refused = client.post("/en/me/two-step/off", data={"code": "999999", "password": MEMBER_PASSWORD})
    assert refused.status_code == 400
    assert (
        client.post(
            "/en/me/two-step/off", data={"code": code_of(secret, 1), "password": MEMBER_PASSWORD}
        ).status_code
        == 302
    )
    client.post("/en/signout")
    assert "/signin/code" not in password_step(client).headers["Location"]
    assert is_signed_in(client)


def test_setting_it_up_signs_out_every_other_session(app, member, sign_in):
    here, elsewhere = sign_in(EMAIL), sign_in(EMAIL)
    set_up(here)
    assert is_signed_in(here) and not is_signed_in(elsewhere)


def test_staff_without_it_are_sent_to_set_it_up_and_cannot_turn_it_off(app, make_member, sign_in):
    staff = make_member(email="new.mod@example.com")
    with app.app_context():
        db.session.get(Member, staff).staff_role = "moderator"
        db.session.commit()
    client = sign_in("new.mod@example.com")
    response = client.get("/ko/moderation/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/ko/me/two-step")
    assert "직원 페이지는 2단계 로그인" in client.get("/ko/me/two-step").get_data(as_text=True)
    secret, _ = set_up(client, "ko")
    assert client.get("/ko/moderation/").status_code == 200  # this session passed the code at set-up
    page = client.get("/en/me/two-step").get_data(as_text=True)
    assert "Turn two-step sign-in off" not in page
    refused = client.post(
        "/en/me/two-step/off",
        data={"code": code_of(secret, 1), "password": MEMBER_PASSWORD},
        follow_redirects=True,
    )
    assert "Staff accounts must keep two-step sign-in on." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Member, staff).uses_two_step


def test_a_staff_session_that_began_without_the_code_must_sign_in_again(app, board_people, sign_in):
    moderator = sign_in("mod@example.com")
    with moderator.session_transaction() as cookie_session:
        cookie_session.pop("two_step")
    response = moderator.get("/en/moderation/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/en/signin")
    assert not is_signed_in(moderator)


def test_new_recovery_codes_replace_the_old_ones(app, member, sign_in):
    client = sign_in(EMAIL)
    _, old = set_up(client)
    refused = client.post("/en/me/two-step/recovery-codes", data={"password": "wrong one here"})
    assert refused.status_code == 400
    new = RECOVERY_ON_PAGE.findall(
        client.post("/en/me/two-step/recovery-codes", data={"password": MEMBER_PASSWORD}).get_data(
            as_text=True
        )
    )
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/en/signout")
    password_step(client)
    assert client.post("/en/signin/code", data={"code": old[0]}).status_code == 400
    assert client.post("/en/signin/code", data={"code": new[0]}).status_code == 302


def test_the_test_helper_code_matches_the_app(app, member, sign_in):
    """two_step_code (tests/support.py) is what the other tests sign staff in with: prove it is real."""
    client = sign_in(EMAIL)
    secret, _ = set_up(client)
    with app.app_context():
        assert two_step_code(member) == code_of(secret)
        assert current_code(db.session.get(Member, member)) == code_of(secret)
