"""Sessions (SPEC §13): strict cookies, bounded lifetimes, and every session of a member ended
server-side on sign-out, password change and withdrawal, proven by replaying an old cookie."""

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask_login.utils import encode_cookie
from itsdangerous.timed import TimestampSigner

from config import ProductionConfig
from extensions import db
from models import Member
from services.clock import now_utc

PASSWORD = "a long enough passphrase"
EMAIL = "member@example.com"
NEW_PASSWORD = "a different long passphrase"
# The settings production adds over the shared ones for cookies, taken from ProductionConfig itself.
PRODUCTION_COOKIES = {
    name: getattr(ProductionConfig, name)
    for name in (
        "SESSION_COOKIE_SECURE",
        "REMEMBER_COOKIE_SECURE",
        "SESSION_COOKIE_NAME",
        "LANGUAGE_COOKIE_NAME",
    )
}


@pytest.fixture
def member(make_member) -> int:
    return make_member(email=EMAIL, name="김회원")


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def replayed(app, cookie: str):
    """A fresh client, on another machine as it were, presenting a copied session cookie."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def is_signed_out(client) -> bool:
    response = client.get("/ko/me/")
    return response.status_code == 302 and "/signin" in response.headers["Location"]


def set_cookie_headers(response, name: str) -> list[str]:
    return [value for value in response.headers.getlist("Set-Cookie") if value.startswith(f"{name}=")]


def test_sign_out_ends_every_session_and_a_copied_cookie_stops_working(app, member, sign_in):
    here, elsewhere = sign_in(EMAIL), sign_in(EMAIL)
    copied = session_cookie(here)
    assert not is_signed_out(replayed(app, copied))  # the copy works while the sign-in lasts
    with app.app_context():
        version = db.session.get(Member, member).session_version
    response = here.post("/ko/signout", follow_redirects=True)
    assert "이 기기를 포함한 모든 기기에서 로그아웃되었습니다." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Member, member).session_version == version + 1
    assert is_signed_out(here)
    assert is_signed_out(replayed(app, copied))
    assert is_signed_out(elsewhere)


def test_sign_out_says_so_in_english_too(member, sign_in):
    client = sign_in(EMAIL)
    page = client.post("/en/signout", follow_redirects=True).get_data(as_text=True)
    assert "You are signed out here and on every other device." in page


def test_a_password_change_ends_every_other_session_and_old_cookies(app, member, sign_in):
    changer, other = sign_in(EMAIL), sign_in(EMAIL)
    before_change, others_cookie = session_cookie(changer), session_cookie(other)
    response = changer.post(
        "/ko/me/password",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert not is_signed_out(changer)  # this session goes on, under the new version
    assert is_signed_out(other)
    assert is_signed_out(replayed(app, others_cookie))
    assert is_signed_out(replayed(app, before_change))


def test_a_password_reset_ends_every_session_and_old_cookies(app, member, sign_in):
    from services.auth import reset_password
    from services.link_tokens import make_token

    client = sign_in(EMAIL)
    copied = session_cookie(client)
    with app.app_context():
        found = db.session.get(Member, member)
        token = make_token("password-reset", {"m": found.id, "h": found.password_hash[-16:]})
        reset_password(token, NEW_PASSWORD)
    assert is_signed_out(client)
    assert is_signed_out(replayed(app, copied))


def test_withdrawal_ends_every_session_and_old_cookies(app, member, sign_in):
    leaving, other = sign_in(EMAIL), sign_in(EMAIL)
    copied = session_cookie(leaving)
    response = leaving.post(
        "/ko/me/withdraw", data={"password": PASSWORD, "understood": "y", "posts": "delete"}
    )
    assert response.status_code == 302
    for client in (leaving, other, replayed(app, copied)):
        assert is_signed_out(client)


def test_the_session_cookie_is_httponly_lax_and_lasts_until_the_browser_closes(client, member):
    response = client.post("/ko/signin", data={"email": EMAIL, "password": PASSWORD})
    (cookie,) = set_cookie_headers(response, "session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # development serves plain HTTP
    # No Expires or Max-Age: the browser drops it when it closes (shared computers, SPEC §13).
    assert "Expires" not in cookie and "Max-Age" not in cookie
    # "Remember me" is never offered, so no remember cookie is ever set.
    assert set_cookie_headers(response, "remember_token") == []


@pytest.mark.parametrize("app_overrides", [PRODUCTION_COOKIES])
def test_production_cookies_are_secure_and_host_only(client, member):
    response = client.post("/ko/signin", data={"email": EMAIL, "password": PASSWORD})
    # __Host-: browsers accept the cookie only with Secure, Path=/ and no Domain.
    (cookie,) = set_cookie_headers(response, "__Host-session")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Path=/" in cookie and "Domain" not in cookie
    assert client.get("/ko/me/").status_code == 200
    (language,) = set_cookie_headers(client.get("/language/en?next=/ko/"), "__Host-lang")
    assert "Secure" in language and "HttpOnly" in language and "SameSite=Lax" in language
    assert "Path=/" in language and "Domain" not in language


def test_the_language_cookie_is_httponly_lax_and_lasts_what_the_config_says(app, client):
    (cookie,) = set_cookie_headers(client.get("/language/en?next=/ko/"), "lang")
    assert cookie.startswith("lang=en;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert f"Max-Age={app.config['LANGUAGE_COOKIE_DAYS'] * 24 * 3600}" in cookie


def test_a_remember_cookie_is_never_honoured_and_is_deleted(app, client, member):
    with app.test_request_context():
        # A validly signed Flask-Login cookie for the member's current session version.
        forged = encode_cookie(db.session.get(Member, member).get_id())
    client.set_cookie("remember_token", forged)
    response = client.get("/ko/me/")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]
    (deleted,) = set_cookie_headers(response, "remember_token")
    assert deleted.startswith("remember_token=;") and "Max-Age=0" in deleted


def test_the_lifetimes_default_to_twelve_hours_and_one_hour_idle(app):
    assert app.permanent_session_lifetime == timedelta(hours=12)
    assert app.config["SESSION_IDLE_TIMEOUT"] == timedelta(minutes=60)
    # Not Flask-Login's 365 days, should a remember cookie ever be set.
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=14)


def test_the_lifetimes_are_read_from_the_environment():
    env = os.environ | {"SESSION_LIFETIME_HOURS": "3", "SESSION_IDLE_MINUTES": "15"}
    code = (
        "import config; print(config.Config.PERMANENT_SESSION_LIFETIME, config.Config.SESSION_IDLE_TIMEOUT)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=Path(__file__).parents[1], capture_output=True, text=True
    )
    assert output.stdout.split() == ["3:00:00", "0:15:00"], output.stderr


def shift_clocks(client, signed_in: timedelta, seen: timedelta) -> None:
    with client.session_transaction() as session:
        session["signed_in_at"] = (now_utc() - signed_in).isoformat()
        session["seen_at"] = (now_utc() - seen).isoformat()


@pytest.mark.parametrize("app_overrides", [{"PERMANENT_SESSION_LIFETIME": timedelta(hours=2)}])
def test_a_sign_in_ends_when_its_configured_lifetime_is_over(client, member, sign_in):
    within, past = sign_in(EMAIL), sign_in(EMAIL)
    shift_clocks(within, signed_in=timedelta(hours=2) - timedelta(minutes=1), seen=timedelta(0))
    shift_clocks(past, signed_in=timedelta(hours=2), seen=timedelta(0))
    assert not is_signed_out(within)
    response = past.get("/ko/me/", follow_redirects=True)
    assert "로그인 유지 시간이 끝났습니다. 다시 로그인해 주세요." in response.get_data(as_text=True)
    assert is_signed_out(past)


def test_a_sign_in_ends_after_the_configured_idle_time(app, member, sign_in):
    idle = app.config["SESSION_IDLE_TIMEOUT"]
    active, quiet = sign_in(EMAIL), sign_in(EMAIL)
    shift_clocks(active, signed_in=idle * 2, seen=idle - timedelta(minutes=1))
    shift_clocks(quiet, signed_in=idle * 2, seen=idle)
    assert not is_signed_out(active)
    with active.session_transaction() as session:  # the request moved the idle clock on
        assert now_utc() - datetime.fromisoformat(session["seen_at"]) < idle - timedelta(minutes=1)
    assert is_signed_out(quiet)


@pytest.mark.parametrize("app_overrides", [{"PERMANENT_SESSION_LIFETIME": timedelta(hours=2)}])
def test_the_server_refuses_a_session_cookie_signed_longer_ago_than_the_lifetime(
    app, member, sign_in, monkeypatch
):
    serializer = app.session_interface.get_signing_serializer(app)
    contents = serializer.loads(session_cookie(sign_in(EMAIL)))
    assert not is_signed_out(replayed(app, serializer.dumps(contents)))
    signed_at = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at(self) - 2 * 3600 - 60)
    old = serializer.dumps(contents)
    monkeypatch.undo()
    assert is_signed_out(replayed(app, old))
