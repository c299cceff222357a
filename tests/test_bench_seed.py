"""`flask bench seed`: a tiny seed through the CLI, on every backend, read back through the site."""

import hashlib

import pytest
from sqlalchemy import func, select, text

from bench.seed_plan import BENCH_MEMBER_EMAIL, BENCH_PASSWORD, BENCH_PHOTOGRAPHER_EMAIL
from extensions import db
from models import Board, Comment, ConsentEvent, Member, PhotographerProfile, PortfolioPhoto, Post, Review
from models.consent import CONSENT_ITEMS
from services.members import find_member_by_email
from tests.conftest import BACKENDS

TINY = [
    "bench",
    "seed",
    "--posts",
    "300",
    "--photographers",
    "40",
    "--members",
    "200",
    "--anchor",
    "2026-11-30",
]


def _seed(runner, *extra: str):
    result = runner.invoke(args=[*TINY, *extra])
    assert result.exit_code == 0, result.output
    return result


def _fingerprint() -> str:
    """A digest of the generated content, leaving out what is random on purpose (salts, nonces)."""
    rows = [
        *db.session.execute(
            select(Member.email, Member.name, Member.birth_date, Member.status, Member.created_at).order_by(
                Member.id
            )
        ),
        *db.session.execute(
            select(Post.title, Post.body, Post.status, Post.author_id, Post.created_at).order_by(Post.id)
        ),
        *db.session.execute(
            select(
                PhotographerProfile.display_name,
                PhotographerProfile.starting_price,
                PhotographerProfile.rating,
            )
            .where(PhotographerProfile.member_id.isnot(None))
            .order_by(PhotographerProfile.id)
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_writes_the_planned_rows_consistently(app, runner):
    _seed(runner)
    with app.app_context():
        assert _count(Member) == 200 + 40 + 2  # customers, photographers, the two bench accounts
        assert _count(Post) == 300
        assert _count(PhotographerProfile) == 41
        assert _count(ConsentEvent) == _count(Member) * len(CONSENT_ITEMS)
        assert {board.slug for board in db.session.scalars(select(Board))} == {"free", "questions", "reviews"}
        # Derived counters agree with the rows they count.
        for profile in db.session.scalars(select(PhotographerProfile)):
            reviews = db.session.scalar(select(func.count()).where(Review.profile_id == profile.id))
            assert profile.review_count == reviews
        shown = dict(
            db.session.execute(
                select(Comment.post_id, func.count())
                .where(Comment.status == "published")
                .group_by(Comment.post_id)
            ).all()
        )
        assert all(post.comment_count == shown.get(post.id, 0) for post in db.session.scalars(select(Post)))
        assert {post.status for post in db.session.scalars(select(Post))} >= {"published"}
        assert not any(member.status == "dormant" for member in db.session.scalars(select(Member)))


@pytest.mark.parametrize("backend", [BACKENDS[1]])  # SQLite has no visibility map: ANALYZE only
def test_the_seed_leaves_postgresql_vacuumed_and_analysed(app, runner):
    """A bench database should look like a live one: autovacuum may be off on the server."""
    _seed(runner)
    with app.app_context():
        never = text(
            "SELECT relname FROM pg_stat_user_tables WHERE relname IN ('posts', 'photographer_profiles')"
            " AND (last_vacuum IS NULL OR last_analyze IS NULL)"
        )
        db.session.execute(text("SELECT pg_stat_clear_snapshot()"))
        assert db.session.scalars(never).all() == []


def test_same_seed_same_rows_and_another_seed_other_rows(app, runner):
    _seed(runner)
    with app.app_context():
        first = _fingerprint()
    _seed(runner, "--force")
    with app.app_context():
        assert _fingerprint() == first
    _seed(runner, "--force", "--seed", "7")
    with app.app_context():
        assert _fingerprint() != first


def test_a_database_with_members_is_refused_without_force(app, runner):
    _seed(runner)
    result = runner.invoke(args=TINY)
    assert result.exit_code != 0
    assert "--force" in result.output
    with app.app_context():
        assert _count(Post) == 300


def test_production_seeds_only_a_database_named_for_benchmarks(app, runner, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    with app.app_context():
        named_for_benchmarks = "bench" in db.engine.url.database
    result = runner.invoke(args=TINY)
    if named_for_benchmarks:  # e.g. TEST_DATABASE_URL=.../usnaper_bench_test
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0
        assert "APP_ENV=production" in result.output
        with app.app_context():
            assert _count(Member) == 0


def test_the_bench_member_reads_the_seeded_boards_and_profiles(app, runner):
    _seed(runner)
    with app.app_context():
        member = find_member_by_email(BENCH_MEMBER_EMAIL)
        assert (member.status, member.language) == ("active", "ko")
        bench_profile = db.session.scalar(
            select(PhotographerProfile.id)
            .join(Member, Member.id == PhotographerProfile.member_id)
            .where(Member.email_key == BENCH_PHOTOGRAPHER_EMAIL)
        )
        other_profile = db.session.scalar(
            select(PhotographerProfile.id).where(PhotographerProfile.id != bench_profile).limit(1)
        )
        newest = db.session.scalar(
            select(Post.title)
            .join(Board, Board.id == Post.board_id)
            .where(Board.slug == "free", Post.status == "published")
            .order_by(Post.id.desc())
            .limit(1)
        )
    client = app.test_client()
    signed_in = client.post("/ko/signin", data={"email": BENCH_MEMBER_EMAIL, "password": BENCH_PASSWORD})
    assert signed_in.status_code == 302 and "/signin" not in signed_in.headers["Location"]
    board = client.get("/ko/boards/free/")
    assert board.status_code == 200
    assert newest in board.get_data(as_text=True)
    for path in (
        "/ko/boards/",
        f"/ko/photographers/{bench_profile}",
        f"/ko/photographers/{other_profile}",
        "/ko/photographers/?region=seoul&specialty=wedding&order=price",
    ):
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("files", [False, True])
def test_photo_files_serve_the_bulk_portfolios(app, runner, files):
    _seed(runner, *(["--photo-files"] if files else []))
    with app.app_context():
        bulk = db.session.scalar(
            select(PortfolioPhoto.stored_name)
            .join(PhotographerProfile, PhotographerProfile.id == PortfolioPhoto.profile_id)
            .join(Member, Member.id == PhotographerProfile.member_id)
            .where(Member.email_key != BENCH_PHOTOGRAPHER_EMAIL)
            .limit(1)
        )
    client = app.test_client()
    expected = 200 if files else 404
    assert client.get(f"/media/photos/{bulk}.jpg").status_code == expected
    assert client.get(f"/media/photos/{bulk}.thumb.jpg").status_code == expected


@pytest.fixture
def app_overrides(tmp_path) -> dict:
    """The bench photographer's portfolio files go under this test's own directory."""
    return {"PHOTO_DIR": str(tmp_path / "photos")}
