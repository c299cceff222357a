"""Request-level rate limits (Flask-Limiter) per client address on the POSTs worth flooding.

The suite runs with the limiter off (TestingConfig); this module turns it on with small
limits. The per-member rules behind it (services/throttle.py) have their own tests.
"""

import logging
import re
import socket
import uuid

import pytest

from config import TestingConfig
from config_env import ConfigError, rate_limit, rate_limit_storage
from extensions import db, limiter
from services.policies import sync_shipped_versions
from tests.support import REDIS_PROBLEM, REDIS_URL, build_app, config_for

ATTACKER = "203.0.113.7"
NEIGHBOUR = "203.0.113.8"
WAIT_A_MINUTE = {
    "ko": "이 연결에서 시도가 너무 많았습니다. 1분 정도 기다린 뒤 다시 시도해 주세요.",
    "en": "Too many attempts from your connection. Please wait a minute and try again.",
}
LIMITED = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_SIGNIN": "3 per minute",
    # The database's own per-address count must not answer first.
    "SIGNIN_MAX_FAILURES_PER_ADDRESS": 1000,
}


@pytest.fixture
def backend() -> str:
    """SQLite only: the counts live in the limiter's storage, not in the database."""
    return "sqlite"


@pytest.fixture
def app_overrides() -> dict:
    """The limiter on, with a sign-in limit small enough to reach."""
    return dict(LIMITED)


def from_address(client, address: str):
    """Make every request of this test client come from address."""
    client.environ_base["REMOTE_ADDR"] = address
    return client


def stuff(client, lang: str, tries: int) -> list:
    """Sign-in attempts with a different leaked address each time, as credential stuffing does."""
    return [
        client.post(f"/{lang}/signin", data={"email": f"leaked{n}@example.com", "password": "hunter2-leaked"})
        for n in range(tries)
    ]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_credential_stuffing_from_one_address_gets_429_in_the_visitors_language(app, lang):
    attacker = from_address(app.test_client(), ATTACKER)
    answers = stuff(attacker, lang, 5)
    assert [a.status_code for a in answers] == [400, 400, 400, 429, 429]
    refused = answers[3]
    page = refused.get_data(as_text=True)
    assert WAIT_A_MINUTE[lang] in page
    assert f'lang="{lang}"' in page
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in refused.headers["Content-Security-Policy"]
    # A different address (another visitor) is not limited, and the form itself stays open.
    neighbour = from_address(app.test_client(), NEIGHBOUR)
    assert [a.status_code for a in stuff(neighbour, lang, 3)] == [400, 400, 400]
    assert attacker.get(f"/{lang}/signin").status_code == 200


def test_the_counts_are_shared_by_both_languages(app):
    attacker = from_address(app.test_client(), ATTACKER)
    assert [a.status_code for a in stuff(attacker, "ko", 3)] == [400, 400, 400]
    assert stuff(attacker, "en", 1)[0].status_code == 429


def test_a_member_signs_in_normally_below_the_limit(app, make_member):
    make_member(email="real@example.com")
    client = from_address(app.test_client(), ATTACKER)
    stuff(client, "ko", 2)
    signed_in = client.post(
        "/ko/signin", data={"email": "real@example.com", "password": "a long enough passphrase"}
    )
    assert signed_in.status_code == 302


def test_gets_are_never_counted(app):
    client = from_address(app.test_client(), ATTACKER)
    assert {client.get("/en/signin").status_code for _ in range(10)} == {200}
    assert [a.status_code for a in stuff(client, "en", 3)] == [400, 400, 400]


def test_a_longer_wait_is_said_in_minutes(app):
    app.config["RATELIMIT_SIGNUP"] = "1 per hour"
    client = from_address(app.test_client(), ATTACKER)
    client.post("/en/signup", data={})
    refused = client.post("/en/signup", data={})
    assert refused.status_code == 429
    assert 60 < int(refused.headers["Retry-After"]) <= 3600
    assert re.search(r"Please try again in \d+ minutes\.", refused.get_data(as_text=True))
    korean = client.post("/ko/signup", data={}).get_data(as_text=True)
    assert re.search(r"\d+분 뒤에 다시 시도해 주세요", korean)


# Every limited POST, with its setting. The ids need not exist: the limit answers before the
# view looks anything up (or asks for a sign-in), so a flood costs no query.
LIMITED_POSTS = [
    ("RATELIMIT_SIGNIN", "/ko/signin"),
    ("RATELIMIT_SIGNUP", "/ko/signup"),
    ("RATELIMIT_PASSWORD_RESET", "/ko/password/forgot"),
    ("RATELIMIT_PASSWORD_RESET", "/ko/password/reset/not-a-token"),
    ("RATELIMIT_COMPLAINT", "/ko/privacy/contact"),
    ("RATELIMIT_POSTING", "/ko/boards/free/new"),
    ("RATELIMIT_POSTING", "/ko/boards/free/1/comments"),
    ("RATELIMIT_REPORT", "/ko/boards/report/post/1"),
    ("RATELIMIT_ASK", "/ko/requests/1/asks"),
    ("RATELIMIT_SHOOT_REQUEST", "/ko/requests/new"),
    ("RATELIMIT_SIGNIN", "/ko/signin/restore"),
    ("RATELIMIT_PASSWORD_CHECK", "/ko/me/password"),
    ("RATELIMIT_PASSWORD_CHECK", "/ko/me/withdraw"),
    ("RATELIMIT_PASSWORD_RESET", "/ko/me/email"),
]


@pytest.mark.parametrize(("setting", "url"), LIMITED_POSTS)
def test_each_limited_post_answers_429_past_its_own_limit(app, setting, url):
    app.config[setting] = "1 per hour"
    client = from_address(app.test_client(), ATTACKER)
    assert client.post(url, data={}).status_code != 429
    refused = client.post(url, data={})
    assert refused.status_code == 429
    assert "이 연결에서 시도가 너무 많았습니다" in refused.get_data(as_text=True)
    assert client.get(url).status_code != 429  # only POSTs are limited
    assert from_address(app.test_client(), NEIGHBOUR).post(url, data={}).status_code != 429


@pytest.fixture
def writer(app, board_people, make_post, sign_in):
    """A signed-in established member and a post of theirs to comment on."""
    app.config["COMMENTS_PER_HOUR"] = 1000
    return from_address(sign_in("writer@example.com"), ATTACKER), make_post(board_people["writer"])


def test_a_members_comment_flood_meets_the_limit_before_the_hourly_rule(app, writer):
    app.config["RATELIMIT_POSTING"] = "2 per hour"
    client, post_id = writer
    url = f"/en/boards/free/{post_id}/comments"
    answers = [client.post(url, data={"body": f"comment {n}"}) for n in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert WAIT_A_MINUTE["en"] not in answers[2].get_data(as_text=True)  # an hour's wait is said so
    assert "Too many attempts from your connection" in answers[2].get_data(as_text=True)


def test_a_hit_is_a_security_event_without_token_address_or_form_data(app, caplog):
    app.config["RATELIMIT_PASSWORD_RESET"] = "1 per hour"
    client = from_address(app.test_client(), ATTACKER)
    token = "secret-reset-token-123"
    with caplog.at_level(logging.INFO):
        for _ in range(2):
            client.post(f"/en/password/reset/{token}", data={"password": "typed password 123"})
    hits = [r for r in caplog.records if r.name == "security" and "rate_limited" in r.getMessage()]
    assert len(hits) == 1
    line = hits[0].getMessage()
    assert "outcome=429" in line and "endpoint=auth.reset" in line and "limit=1_per_1_hour" in line
    assert hits[0].levelno == logging.WARNING
    assert hits[0].path == "/en/password/reset/[token]"
    everything = "\n".join(f"{r.getMessage()} {getattr(r, 'path', '')}" for r in caplog.records)
    for secret in (token, ATTACKER, "typed password"):
        assert secret not in everything


def another_app(tmp_path, **overrides):
    """A second app instance (another process or machine, as far as the limiter can tell)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    second = build_app(
        config_for(
            "sqlite",
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'second.db'}",
            SQLALCHEMY_BINDS={"dormant": f"sqlite:///{tmp_path / 'second-dormant.db'}"},
            **LIMITED,
            **overrides,
        )
    )
    with second.app_context():
        db.create_all()
        sync_shipped_versions()
    return second


def test_an_unreachable_storage_lets_requests_through_instead_of_failing(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    broken = another_app(tmp_path, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}/0")
    client = from_address(broken.test_client(), ATTACKER)
    # Fails open (logged): the database's per-account and per-address counters still hold.
    assert [a.status_code for a in stuff(client, "en", 5)] == [400] * 5
    with broken.app_context():
        db.engine.dispose()


def test_memory_storage_counts_per_process(app, tmp_path):
    first = from_address(app.test_client(), ATTACKER)
    assert stuff(first, "en", 4)[-1].status_code == 429
    second = another_app(tmp_path)
    # A new process starts from nothing: the reason production uses Redis.
    assert stuff(from_address(second.test_client(), ATTACKER), "en", 1)[0].status_code == 400
    with second.app_context():
        db.engine.dispose()


def test_behind_the_proxy_the_forwarded_client_address_is_counted_and_cannot_be_forged(tmp_path):
    proxied = another_app(tmp_path, PROXY_HOPS=1)
    proxy = from_address(proxied.test_client(), "10.0.0.2")  # every request arrives from the proxy

    def via_proxy(forwarded_for: str):
        return proxy.post(
            "/en/signin",
            data={"email": f"{uuid.uuid4().hex}@example.com", "password": "hunter2-leaked"},
            headers={"X-Forwarded-For": forwarded_for},
        )

    # The attacker adds a made-up address of its own each time: the proxy appends the real one.
    answers = [via_proxy(f"198.51.100.{n}, {ATTACKER}") for n in range(4)]
    assert [a.status_code for a in answers] == [400, 400, 400, 429]
    assert via_proxy(NEIGHBOUR).status_code == 400  # the proxy's other clients are not limited
    with proxied.app_context():
        db.engine.dispose()


@pytest.mark.redis
@pytest.mark.skipif(bool(REDIS_PROBLEM), reason=str(REDIS_PROBLEM))
def test_redis_storage_shares_the_counts_between_app_instances(tmp_path):
    from redis import Redis

    # An address of this run's own, so no other run's counts (or leftovers) mix in.
    address = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    connection = Redis.from_url(REDIS_URL)
    instances = []
    try:
        instances.append(another_app(tmp_path / "one", RATELIMIT_STORAGE_URI=REDIS_URL))
        assert type(limiter.storage).__name__ == "RedisStorage"
        attacker = from_address(instances[0].test_client(), address)
        assert [a.status_code for a in stuff(attacker, "ko", 3)] == [400, 400, 400]
        assert any(address in key.decode() for key in connection.scan_iter("LIMITS*"))
        # Another instance, with a storage client of its own, sees the same counts.
        instances.append(another_app(tmp_path / "two", RATELIMIT_STORAGE_URI=REDIS_URL))
        refused = stuff(from_address(instances[1].test_client(), address), "en", 1)[0]
        assert refused.status_code == 429
        assert WAIT_A_MINUTE["en"] in refused.get_data(as_text=True)
    finally:
        for key in connection.scan_iter("LIMITS*"):
            if address in key.decode():
                connection.delete(key)
        for instance in instances:
            with instance.app_context():
                db.engine.dispose()


def test_limits_come_from_the_environment_and_bad_ones_stop_the_start(monkeypatch):
    monkeypatch.setenv("RATELIMIT_SIGNIN", "2 per minute; 20 per hour")
    assert rate_limit("RATELIMIT_SIGNIN", "10 per minute") == "2 per minute; 20 per hour"
    monkeypatch.setenv("RATELIMIT_SIGNIN", "lots")
    with pytest.raises(ConfigError, match="RATELIMIT_SIGNIN"):
        rate_limit("RATELIMIT_SIGNIN", "10 per minute")


def test_the_storage_is_redis_when_configured_and_memory_otherwise(monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    assert rate_limit_storage(None) == "memory://"
    assert rate_limit_storage("redis://cache:6379/0") == "redis://cache:6379/0"
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://limits:6379/1")
    assert rate_limit_storage("redis://cache:6379/0") == "redis://limits:6379/1"
    assert TestingConfig.RATELIMIT_ENABLED is False  # the rest of the suite posts freely
