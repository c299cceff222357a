"""Build a seeded benchmark database from nothing: `python -m bench.build small|full [--sqlite PATH]`.

Drops and creates the database and its dormant store, migrates it, and runs `flask bench seed` under
the bench site's environment (bench.server.site_env), so the secrets it encrypts with are the ones the
served site reads with. What `make bench-seed SIZE=...` runs.
"""

from __future__ import annotations

import argparse
import subprocess  # nosec B404 - our own flask, fixed arguments
import time
from pathlib import Path

from bench.context import BIN, DEFAULT_FULL_URL, DEFAULT_SMALL_URL, ROOT
from bench.server import dormant_url_for, site_env

SIZES = {
    "small": {"url": DEFAULT_SMALL_URL, "posts": 10_000, "photographers": 1_000, "members": 20_000},
    "full": {"url": DEFAULT_FULL_URL, "posts": 1_000_000, "photographers": 100_000, "members": 200_000},
}
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# The portfolio files, /tmp/usnaper-bench-photos/<database>: outside any worktree, so every
# checkout serving the shared databases can point PHOTO_DIR there.
PHOTO_DIR = "/tmp/usnaper-bench-photos"  # noqa: S108  # nosec B108 - throwaway benchmark files


def photo_dir_for(database_url: str) -> str:
    """Where the portfolio files of a seeded database are: serve it with PHOTO_DIR set to this."""
    return str(Path(PHOTO_DIR) / database_url.rsplit("/", 1)[1].removesuffix(".db"))


def _recreate_postgres(url: str) -> None:
    """Drop and create the database named by url, and its dormant store."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        for database in (name, name + "_dormant"):
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{database}"')


def _recreate_sqlite(url: str) -> None:
    for path in (url, dormant_url_for(url)):
        Path(path.removeprefix("sqlite:///")).unlink(missing_ok=True)


def _flask(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, check=True)  # noqa: S603  # nosec B603


def build(size: str, url: str | None = None, seed: int = 2026) -> float:
    """Recreate, migrate and seed one benchmark database; returns the seconds the seed took."""
    spec = SIZES[size]
    url = url or spec["url"]
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        url = f"sqlite:///{ROOT / url.removeprefix('sqlite:///')}"  # Flask-SQLAlchemy would use instance/
    if url.startswith("sqlite:///"):
        _recreate_sqlite(url)
    else:
        _recreate_postgres(url)
    env = site_env(url, port=8000, PHOTO_DIR=photo_dir_for(url))
    _flask(env, "db", "upgrade")
    started = time.monotonic()
    _flask(
        env,
        "bench",
        "seed",
        f"--posts={spec['posts']}",
        f"--photographers={spec['photographers']}",
        f"--members={spec['members']}",
        f"--seed={seed}",
        "--photo-files",
    )
    return time.monotonic() - started


def main() -> None:
    """Parse the command line and build."""
    parser = argparse.ArgumentParser(prog="python -m bench.build", description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("--url", help="another database URL (e.g. sqlite:///instance/bench-full.db)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    seconds = build(args.size, args.url, args.seed)
    print(f"bench.build: {args.size} seeded in {seconds:.0f} s")  # noqa: T201


if __name__ == "__main__":
    main()
