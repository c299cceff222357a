"""Fixtures in flaskr style: app, client, runner, a fresh database per test, factories.

Database backends: SQLite always; PostgreSQL too when TEST_DATABASE_URL names a
reachable server (`make test` sets it). Under CI=true a configured server that
cannot be reached fails the run instead of being skipped.
"""

from datetime import timedelta

import pytest

from extensions import db
from models import Notice, PolicyVersion
from services.clock import now_utc, seoul_today
from services.members import find_member_by_email
from services.policies import sync_shipped_versions
from tests.support import POSTGRES_PROBLEM, build_app, config_for, enrol_two_step, two_step_code

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


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    """The database backend this test runs on."""
    return request.param


@pytest.fixture
def app_overrides() -> dict:
    """Config values a test module can override by redefining this fixture."""
    return {}


@pytest.fixture
def app(backend, app_overrides, tmp_path):
    """An app with a fresh, empty schema and the shipped policy versions.

    SQLite is a file, as under `make run`: an in-memory database shares one
    connection between everything and would hide transaction bugs.
    """
    if backend == "sqlite":
        app_overrides = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}"} | app_overrides
    # The dormant store is its own database: a file of its own here, as in development.
    app_overrides = {"SQLALCHEMY_BINDS": {"dormant": f"sqlite:///{tmp_path / 'dormant.db'}"}} | app_overrides
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
            "announced_at": now_utc() - timedelta(days=10),
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


MEMBER_PASSWORD = "a long enough passphrase"


@pytest.fixture
def make_member(app):
    """Factory: a member made through the real signup rules, active unless told otherwise; returns its id."""
    from datetime import date

    from models import Member
    from services.members import SignupRequest, sign_up

    def make(
        email: str = "member@example.com",
        name: str = "김회원",
        birth_date: date = date(1990, 5, 17),
        phone: str | None = None,
        preferred_region: str | None = None,
        consents: dict | None = None,
        active: bool = True,
        **fields,
    ) -> int:
        optional = bool(phone or preferred_region)
        with app.app_context():
            member = sign_up(
                SignupRequest(
                    email=email,
                    password=MEMBER_PASSWORD,
                    name=name,
                    birth_date=birth_date,
                    language="ko",
                    phone=phone,
                    preferred_region=preferred_region,
                    consents=consents
                    or {"privacy_notice": True, "terms": True, "optional_profile": optional},
                )
            )
            if active:
                member.status, member.email_verified_at = "active", now_utc()
            for key, value in fields.items():
                setattr(db.session.get(Member, member.id), key, value)
            db.session.commit()
            if fields.get("staff_role"):  # staff pages need two-step sign-in (STAFF_TWO_STEP_REQUIRED)
                enrol_two_step(member.id, MEMBER_PASSWORD)
            return member.id

    return make


@pytest.fixture
def sign_in(app):
    """Factory: a new test client signed in as the member with this address."""

    def make(email: str):
        client = app.test_client()
        response = client.post("/ko/signin", data={"email": email, "password": MEMBER_PASSWORD})
        assert response.status_code == 302, f"could not sign in {email}"
        if response.headers["Location"].endswith("/signin/code"):
            with app.app_context():
                code = two_step_code(find_member_by_email(email).id)
            response = client.post("/ko/signin/code", data={"code": code})
            assert response.status_code == 302, f"{email} could not pass the two-step code"
        return client

    return make


@pytest.fixture
def board_people(app, make_member):
    """The boards, and one member per part people play on them; returns their ids by role.

    writer and readers are established members; troll joined just now (its
    links are held); moderator holds the staff role.
    """
    from services.boards import sync_boards

    established = {"created_at": now_utc() - timedelta(days=60)}
    people = {
        "writer": make_member(email="writer@example.com", name="글쓴이", **established),
        "reader1": make_member(email="reader1@example.com", name="독자일", **established),
        "reader2": make_member(email="reader2@example.com", name="독자이", **established),
        "reader3": make_member(email="reader3@example.com", name="독자삼", **established),
        "troll": make_member(email="troll@example.com", name="광고꾼"),
        "moderator": make_member(
            email="mod@example.com", name="운영자", staff_role="moderator", **established
        ),
        "officer": make_member(
            email="officer@example.com", name="책임자", staff_role="privacy_officer", **established
        ),
    }
    with app.app_context():
        sync_boards()
    return people


@pytest.fixture
def make_post(app):
    """Factory: a post written through the posting rules; returns its id."""
    from models import Member
    from services.boards import board_by_slug
    from services.posts import create_post

    def make(author_id: int, title: str = "제목", body: str = "본문입니다.", board: str = "free") -> int:
        with app.app_context():
            return create_post(db.session.get(Member, author_id), board_by_slug(board), title, body).id

    return make


@pytest.fixture
def make_photographer(app, make_member):
    """Factory: an established member with a photographer profile; returns (member id, profile id)."""
    from models import Member
    from services.photographers import ProfileChange, save_profile

    def make(email: str = "photo@example.com", **change) -> tuple[int, int]:
        member_id = make_member(email=email, created_at=now_utc() - timedelta(days=60))
        fields = {
            "display_name": "제주 사진가",
            "starting_price": 100_000,
            "regions": ["jeju"],
            "specialties": ["snap"],
        } | change
        with app.app_context():
            profile = save_profile(db.session.get(Member, member_id), ProfileChange(**fields))
            return member_id, profile.id

    return make
