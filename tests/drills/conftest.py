"""Fixtures of the fault drills: private servers, the app against them, a live server, workers.

`app` is overridden here, so the suite's factories (make_member, sign_in, ...)
work against the private PostgreSQL cluster. Without the server binaries the
drills are skipped with the reason, except under CI=true, where the run fails.
"""

import os

import pytest
from redis import Redis

from config import TestingConfig
from extensions import db
from services.policies import sync_shipped_versions
from tests.drills.servers import (
    LiveServer,
    PrivatePostgres,
    PrivateRedis,
    Processes,
    SmtpServer,
    Visitor,
    missing_binaries,
)
from tests.support import _service_problem, build_app

DRILL_DATABASE = "usnaper_drill"
# How long a claimed message stays another worker's; short, so a killed worker's is taken over soon.
LEASE_SECONDS = 2


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/drills" in str(item.fspath):
            item.add_marker(pytest.mark.drill)


@pytest.fixture(scope="session")
def drill_binaries() -> None:
    problem = missing_binaries()
    if problem:
        pytest.skip(_service_problem("the fault-drill servers", problem))


@pytest.fixture(scope="session")
def private_postgres(drill_binaries):
    """A PostgreSQL cluster of the drills' own, which they may stop, kill and restart."""
    server = PrivatePostgres()
    try:
        server.create()
        server.start()
        server.create_database(DRILL_DATABASE)
        yield server
    finally:
        server.destroy()


@pytest.fixture(scope="session")
def private_redis(drill_binaries):
    """A Redis of the drills' own."""
    server = PrivateRedis()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1; its inbox says what was tried and what was accepted."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def drill_settings() -> dict:
    """Config values a drill module overrides by redefining this fixture."""
    return {}


@pytest.fixture
def app(private_postgres, private_redis, smtp, drill_settings, tmp_path):
    """The app on the private servers, with a fresh schema; a drill that failed mid-outage is undone."""
    if not private_postgres.running():
        private_postgres.start()
    if not private_redis.answers():
        private_redis.start()
    Redis.from_url(private_redis.url()).flushall()  # the private server only
    settings = {
        "SQLALCHEMY_DATABASE_URI": private_postgres.url(DRILL_DATABASE),
        "SQLALCHEMY_BINDS": {"dormant": f"sqlite:///{tmp_path / 'dormant.db'}"},
        "REDIS_URL": private_redis.url(0),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp.port,
        "MAIL_USE_TLS": False,
        # A served app answers with its own error pages, as in production.
        "PROPAGATE_EXCEPTIONS": False,
        "OUTBOX_RELAY_AFTER_SECONDS": 0,
        "OUTBOX_RETRY_BASE_SECONDS": 0,
        "OUTBOX_LEASE_SECONDS": LEASE_SECONDS,
    } | drill_settings
    application = build_app(type("DrillConfig", (TestingConfig,), settings))
    with application.app_context():
        db.drop_all()
        db.create_all()
        sync_shipped_versions()
    yield application
    if not private_postgres.running():  # a drill that failed with the cluster down
        private_postgres.start()
    with application.app_context():
        db.session.remove()
        db.drop_all()
        for engine in db.engines.values():
            engine.dispose()


def child_env(app) -> dict[str, str]:
    """The environment of a `flask` child process on the same servers and settings as `app`."""
    cfg = app.config
    passed = {
        name: str(cfg[name])
        for name in (
            "SECRET_KEY",
            "FIELD_ENCRYPTION_KEY",
            "PSEUDONYM_KEY",
            "SERVER_NAME",
            "MAIL_SERVER",
            "MAIL_PORT",
            "REDIS_URL",
            "OUTBOX_MAX_ATTEMPTS",
            "OUTBOX_LEASE_SECONDS",
            "OUTBOX_RETRY_BASE_SECONDS",
            "OUTBOX_RELAY_AFTER_SECONDS",
            "FANOUT_BATCH_SIZE",
            "PURGE_BATCH_SIZE",
        )
    }
    return (
        dict(os.environ)
        | passed
        | {
            "APP_ENV": "development",
            "DATABASE_URL": cfg["SQLALCHEMY_DATABASE_URI"],
            "DORMANT_DATABASE_URL": cfg["SQLALCHEMY_BINDS"]["dormant"],
            "MAIL_USE_TLS": "false",
        }
    )


@pytest.fixture
def processes(app, tmp_path):
    """Starts `flask` child processes (workers, relay, daily run); stops whatever is left at the end."""
    logs = tmp_path / "logs"
    logs.mkdir()
    children = Processes(child_env(app), logs)
    yield children
    children.stop_all()


@pytest.fixture
def live(app):
    """The app served over HTTP on 127.0.0.1."""
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def visitor(live):
    """Factory: a new visitor (own cookies) of the live server."""
    return lambda: Visitor(live.url)
