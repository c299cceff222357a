"""The pages the front-end areas (pages, lighthouse) load, and the site they load them from.

Both areas look at the same five pages of issue #9 in both languages, signed out, on a
production-configured site served by bench/server.py.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.context import Context
from bench.server import serve, site_env

LANGUAGES = ("ko", "en")
# Where the seed puts a seeded database's portfolio files (bench/build.py, photo_dir_for), so
# covers and portfolios do not answer 404 (a console error Lighthouse's best practices count).
SEEDED_PHOTOS = Path("/tmp/usnaper-bench-photos")  # noqa: S108  # nosec B108 - throwaway benchmark files
CHROMIUM = Path(os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
# What Chromium must not do on its own while we count its bytes and time its main thread.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# The largest board, and the photographer with the fullest portfolio among those the public sees.
LARGEST_BOARD = text(
    "SELECT b.slug FROM boards b LEFT JOIN posts p ON p.board_id = b.id "
    "GROUP BY b.id, b.slug ORDER BY count(p.id) DESC, b.id LIMIT 1"
)
FULLEST_PROFILE = text(
    "SELECT pp.id FROM photographer_profiles pp JOIN members m ON m.id = pp.member_id "
    "LEFT JOIN portfolio_photos ph ON ph.profile_id = pp.id WHERE m.status = 'active' "
    "GROUP BY pp.id ORDER BY count(ph.id) DESC, pp.id LIMIT 1"
)


def database_url(ctx: Context) -> str:
    """The database the pages are served from: BENCH_PAGES_URL, else the small seeded one."""
    return os.environ.get("BENCH_PAGES_URL", ctx.small_url)


def page_paths(url: str) -> dict[str, str]:
    """Name -> path after the language prefix for the five pages issue #9 scores."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            board = conn.execute(LARGEST_BOARD).scalar_one_or_none()
            profile = conn.execute(FULLEST_PROFILE).scalar_one_or_none()
    finally:
        engine.dispose()
    if board is None or profile is None:
        raise RuntimeError(f"{url} has no board or no public photographer: seed it first")
    return {
        "home": "/",
        "privacy policy": "/privacy",
        "signup": "/signup",
        "board list": f"/boards/{board}/",
        "photographer profile": f"/photographers/{profile}",
    }


def page_url(base: str, language: str, path: str) -> str:
    """The absolute address of one page in one language."""
    return f"{base}/{language}{path}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def served_site(url: str) -> Iterator[str]:
    """The production-configured site on a free port, stopped again on exit."""
    port = free_port()
    photos = SEEDED_PHOTOS / url.rsplit("/", 1)[1]
    extra = {"PHOTO_DIR": str(photos)} if photos.is_dir() else {}
    with serve("app:create_app()", site_env(url, port, **extra), port) as base:
        yield base


def require_chromium() -> Path:
    """Debian's Chromium, which both areas drive (never a browser fetched by Playwright)."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: apt-get install -y chromium (or set CHROME_PATH)")
    return CHROMIUM
