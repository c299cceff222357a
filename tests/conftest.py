"""Fixtures in flaskr style: app, client, runner, a fresh database per test, factories.

Database backends: SQLite always; PostgreSQL too when TEST_DATABASE_URL names a
reachable server (`make test` sets it). Under CI=true a configured server that
cannot be reached fails the run instead of being skipped.
"""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from config import TestingConfig
from extensions import db
from models import Notice, PolicyVersion
from services.clock import now_utc, seoul_today
from services.policies import sync_shipped_versions

IN_CI = os.environ.get("CI", "").lower() == "true"
# Legal texts for versions that only tests create (e.g. a newer privacy policy "9.9").
TEST_TEMPLATES = Path(__file__).parent / "templates"


def _service_problem(kind: str, message: str) -> str:
    if IN_CI:
        pytest.exit(f"CI needs {kind}: {message}", returncode=3)
    return message


def _prepare_postgres(url: str) -> str | None:
    """Create the test database if needed; return None when ready, else why not."""
    target = make_url(url)
    try:
        admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
        admin.dispose()
    except Exception as exc:  # noqa: BLE001 - report any connection failure as "unreachable"
        return _service_problem("PostgreSQL", f"PostgreSQL at {target.render_as_string()} unreachable: {exc}")
    return None


def _check_redis(url: str) -> str | None:
    from redis import Redis

    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        return _service_problem("Redis", f"Redis at {url} unreachable: {exc}")
    return None


POSTGRES_URL = os.environ.get("TEST_DATABASE_URL") or None
REDIS_URL = os.environ.get("TEST_REDIS_URL") or None
if IN_CI and not POSTGRES_URL:
    _service_problem("PostgreSQL", "TEST_DATABASE_URL is not set")
if IN_CI and not REDIS_URL:
    _service_problem("Redis", "TEST_REDIS_URL is not set")
POSTGRES_PROBLEM = _prepare_postgres(POSTGRES_URL) if POSTGRES_URL else "TEST_DATABASE_URL is not set"
REDIS_PROBLEM = _check_redis(REDIS_URL) if REDIS_URL else "TEST_REDIS_URL is not set"

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(bool(POSTGRES_PROBLEM), reason=str(POSTGRES_PROBLEM)),
        ],
    ),
]


def config_for(backend: str, **overrides) -> type[TestingConfig]:
    """A TestingConfig subclass pointing at the given backend."""
    uri = POSTGRES_URL if backend == "postgresql" else "sqlite://"
    return type("PerTestConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": uri, **overrides})


def build_app(config_class: type[TestingConfig]):
    """create_app() plus the test-only legal templates."""
    application = create_app(config_class)
    application.jinja_loader = ChoiceLoader([application.jinja_loader, FileSystemLoader(TEST_TEMPLATES)])
    return application


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The database backend this test runs on."""
    return request.param


@pytest.fixture
def app_overrides() -> dict:
    """Config values a test module can override by redefining this fixture."""
    return {}


@pytest.fixture
def app(backend, app_overrides):
    """An app with a fresh, empty schema and the shipped policy versions."""
    application = build_app(config_for(backend, **app_overrides))
    with application.app_context():
        db.drop_all()
        db.create_all()
        sync_shipped_versions()
    yield application
    with application.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner for the app's Flask commands."""
    return app.test_cli_runner()


@pytest.fixture
def make_policy_version(app):
    """Factory: add a policy version (defaults: a privacy policy in force since yesterday)."""

    def make(**fields) -> PolicyVersion:
        today = seoul_today()
        values = {
            "kind": "privacy",
            "version": "9.9",
            "enacted_on": today - timedelta(days=10),
            "effective_on": today - timedelta(days=1),
            "importance": "general",
            "summary_ko": "시험용 개정",
            "summary_en": "Test revision",
        } | fields
        with app.app_context():
            row = PolicyVersion(**values)
            db.session.add(row)
            db.session.commit()
            db.session.refresh(row)
            db.session.expunge(row)
        return row

    return make


@pytest.fixture
def make_notice(app):
    """Factory: add a site notice (defaults: published an hour ago)."""

    def make(**fields) -> Notice:
        values = {
            "title_ko": "시험 공지",
            "title_en": "Test notice",
            "body_ko": "본문",
            "body_en": "Body",
            "published_at": now_utc() - timedelta(hours=1),
        } | fields
        with app.app_context():
            row = Notice(**values)
            db.session.add(row)
            db.session.commit()
            db.session.refresh(row)
            db.session.expunge(row)
        return row

    return make
