"""Profile the hot pages in-process: pyinstrument over a few hundred GETs, and SQL queries per page.

    .venv/bin/python -m bench.profiling DATABASE_URL [--requests N] [--member EMAIL] [--top N]

Builds the site production-configured (bench.server.site_env), signs a member in through the
sign-in form (CSRF on, as a browser does), then requests each page N times under the profiler.
Operator output, English only.
"""

from __future__ import annotations

import argparse
import os
import re
import time

from sqlalchemy import event, func, select

from bench.server import site_env

BENCH_MEMBER = "bench-member@usnaper.example"
BENCH_PASSWORD = "bench-pass-2026!"  # noqa: S105  # nosec B105 - the seeded benchmark account, published
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def build_app(database_url: str):
    """The site as gunicorn would build it, with the bench secrets and settings."""
    os.environ.update(site_env(database_url, 8000))
    from app import create_app

    return create_app()


def sign_in(client, email: str, password: str) -> None:
    """Sign in through the form with its CSRF token; fail loudly when refused."""
    page = client.get("/ko/signin").get_data(as_text=True)
    match = CSRF_FIELD.search(page)
    data = {"email": email, "password": password, "csrf_token": match.group(1) if match else ""}
    response = client.post("/ko/signin", data=data, headers={"Referer": "https://127.0.0.1:8000/ko/signin"})
    if response.status_code != 302:
        raise SystemExit(f"could not sign in {email}: {response.status_code}")


def hot_pages(app) -> dict[str, str]:
    """The three pages of issue 9: the largest board, the profile with most photos, a filtered search."""
    from extensions import db
    from models.board import Board, Post
    from models.photographer import PortfolioPhoto, ProfileRegion, ProfileSpecialty

    with app.app_context():
        slug = db.session.scalar(
            select(Board.slug)
            .join(Post, Post.board_id == Board.id)
            .group_by(Board.slug)
            .order_by(func.count().desc())
        )
        profile_id = db.session.scalar(
            select(PortfolioPhoto.profile_id)
            .group_by(PortfolioPhoto.profile_id)
            .order_by(func.count().desc())
        )
        region = db.session.scalar(
            select(ProfileRegion.region).group_by(ProfileRegion.region).order_by(func.count().desc())
        )
        specialty = db.session.scalar(
            select(ProfileSpecialty.specialty)
            .group_by(ProfileSpecialty.specialty)
            .order_by(func.count().desc())
        )
    return {
        "board": f"/ko/boards/{slug or 'free'}/",
        "profile": f"/ko/photographers/{profile_id or 1}",
        "search": f"/ko/photographers/?region={region or ''}&specialty={specialty or ''}&order=price",
    }


def count_queries(app, client, path: str) -> int:
    """SQL statements one GET of path sends to the main database."""
    from extensions import db

    counter = {"n": 0}

    def tick(*_args) -> None:
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", tick)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", tick)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return counter["n"]


def python_calls(client, path: str, requests: int = 20) -> int:
    """Python function calls per GET of path: a measure of work that the machine's load cannot blur."""
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        client.get(path)
    profile.disable()
    return pstats.Stats(profile).total_calls // requests


def main() -> None:
    """Profile each hot page and print ms per request, queries per request and the profile's top."""
    from pyinstrument import Profiler

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--member", default=BENCH_MEMBER)
    parser.add_argument("--password", default=BENCH_PASSWORD)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--show", type=float, default=2.0, help="hide frames under this percent")
    args = parser.parse_args()
    app = build_app(args.database_url)
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # production cookies are Secure
    sign_in(client, args.member, args.password)
    pages = hot_pages(app)
    wanted = set(filter(None, args.only.split(",")))
    summary = []
    for name, path in pages.items():
        if wanted and name not in wanted:
            continue
        queries = count_queries(app, client, path)
        for _ in range(20):  # warm caches and templates before the clock starts
            client.get(path)
        calls = python_calls(client, path)
        profiler = Profiler(interval=0.0005)
        started, cpu_started = time.perf_counter(), time.process_time()
        with profiler:
            for _ in range(args.requests):
                client.get(path)
        elapsed_ms = (time.perf_counter() - started) * 1000 / args.requests
        cpu_ms = (time.process_time() - cpu_started) * 1000 / args.requests
        print(
            f"\n===== {name} {path}: {elapsed_ms:.2f} ms/request, {cpu_ms:.2f} ms CPU,"
            f" {queries} queries, {calls} Python calls"
        )
        print(profiler.output_text(unicode=True, color=False, show_all=False, time="percent_of_total"))
        summary.append((name, path, elapsed_ms, cpu_ms, queries, calls))
    print("\npage     ms/req  cpu ms  queries   calls  path (profiled, so slower than served)")
    for name, path, elapsed_ms, cpu_ms, queries, calls in summary:
        print(f"{name:8} {elapsed_ms:6.2f}  {cpu_ms:6.2f}  {queries:7}  {calls:6}  {path}")


if __name__ == "__main__":
    main()
