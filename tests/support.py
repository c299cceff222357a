"""What the test modules share: which real servers are reachable, and how to build an app.

Imported by conftest.py and by test modules alike (a conftest must not be
imported twice, or its probes run twice).
"""

import os
import re
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from config import TestingConfig

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


def postgres_beside(suffix: str) -> str:
    """The URL of a PostgreSQL database named after the test database plus suffix, created if missing."""
    target = make_url(POSTGRES_URL)
    url = target.set(database=target.database + suffix).render_as_string(hide_password=False)
    problem = _prepare_postgres(url)
    if problem:
        pytest.skip(problem)
    return url


def config_for(backend: str, **overrides) -> type[TestingConfig]:
    """A TestingConfig subclass pointing at the given backend."""
    uri = POSTGRES_URL if backend == "postgresql" else "sqlite://"
    return type("PerTestConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": uri, **overrides})


def build_app(config_class: type[TestingConfig]):
    """create_app() plus the test-only legal templates."""
    application = create_app(config_class)
    application.jinja_loader = ChoiceLoader([application.jinja_loader, FileSystemLoader(TEST_TEMPLATES)])
    return application


CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def form_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    return CSRF_FIELD.search(html).group(1)


def sign_in_with_token(client, email: str, password: str) -> None:
    """Sign the client in as a browser would with CSRF on: the form's token goes back with the post."""
    token = form_token(client.get("/ko/signin").get_data(as_text=True))
    response = client.post("/ko/signin", data={"email": email, "password": password, "csrf_token": token})
    assert response.status_code == 302, f"could not sign in {email}"
    if response.headers["Location"].endswith("/signin/code"):  # staff: the two-step code, with its token
        from services.members import find_member_by_email

        with client.application.app_context():
            code = two_step_code(find_member_by_email(email).id)
        token = form_token(client.get("/ko/signin/code").get_data(as_text=True))
        response = client.post("/ko/signin/code", data={"code": code, "csrf_token": token})
        assert response.status_code == 302, f"{email} could not pass the two-step code"


def enrol_two_step(member_id: int, password: str) -> None:
    """Turn two-step sign-in on for a member, as the set-up page does (call inside an app context)."""
    from extensions import db
    from models import Member
    from services.two_step import confirm_enrolment, current_code, start_enrolment

    member = db.session.get(Member, member_id)
    start_enrolment(member)
    confirm_enrolment(member, password, current_code(member))


def two_step_code(member_id: int) -> str:
    """What the member's authenticator app shows now (call inside an app context).

    Tests sign the same member in many times within one 30-second step; a real app
    would make them wait for the next code, so the spent step is forgotten here.
    """
    from extensions import db
    from models import Member
    from services.two_step import current_code

    member = db.session.get(Member, member_id)
    member.totp_last_step = None
    db.session.commit()
    return current_code(member)
