"""Scratch PostgreSQL databases for the batch benchmarks: migrate once, copy cheaply, drop after.

Every name starts with `usnaper_batch_`; nothing here touches another database. A migrated
template is copied with CREATE DATABASE ... TEMPLATE, so the job and its floor start from
byte-identical data without filling twice.
"""

from __future__ import annotations

import contextlib
import json
import subprocess  # nosec B404 - our own flask and python, fixed arguments
import sys
from collections.abc import Iterator

import psycopg

from bench.context import BIN, ROOT
from bench.server import site_env

SERVER = "postgresql://postgres@127.0.0.1:5432"
PREFIX = "usnaper_batch_"


def url(name: str) -> str:
    """The SQLAlchemy URL of a scratch database."""
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def raw_url(name: str) -> str:
    """The libpq URL of a scratch database (for psycopg and COPY)."""
    return f"{SERVER}/{name}"


def _check(name: str) -> None:
    if not name.startswith(PREFIX) or not name.replace("_", "").isalnum():
        raise ValueError(f"not a batch scratch database name: {name!r}")


def _admin(sql: str) -> None:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def drop(name: str) -> None:
    """Drop a scratch database (and its dormant store) if present."""
    for each in (name, name + "_dormant"):
        _check(each)
        _admin(f'DROP DATABASE IF EXISTS "{each}" WITH (FORCE)')


def create(name: str, template: str | None = None) -> None:
    """Create a scratch database (and an empty dormant store), fresh or as a copy of a template."""
    drop(name)
    if template:
        _check(template)
        _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    else:
        _admin(f'CREATE DATABASE "{name}"')
    _admin(f'CREATE DATABASE "{name}_dormant"')


def migrate(name: str) -> None:
    """Bring a scratch database to the current schema with `flask db upgrade`, as a deploy would."""
    env = site_env(url(name), 5000)
    subprocess.run(  # noqa: S603  # nosec B603
        [str(BIN / "flask"), "--app", "app", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


@contextlib.contextmanager
def scratch(*names: str) -> Iterator[None]:
    """Drop the named scratch databases when the block ends, whatever happened."""
    try:
        yield
    finally:
        for name in names:
            with contextlib.suppress(Exception):
                drop(name)


def run_probe(module: str, *args: str, env: dict | None = None, timeout: float = 1800) -> dict:
    """Run `python -m <module> args...` in a fresh process; return the JSON its last line prints.

    A subprocess of its own gives each measurement its own peak RSS (VmHWM).
    """
    out = subprocess.run(  # noqa: S603  # nosec B603
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def memory_kb() -> dict[str, int]:
    """This process's resident and peak resident set, in kB, from /proc/self/status."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values


def delete_until_none_left(conn: psycopg.Connection, statement: str, params: tuple = ()) -> int:
    """Run a batched DELETE, committing each batch, until a batch deletes nothing; the rows deleted."""
    deleted = 0
    while count := conn.execute(statement, params).rowcount:
        conn.commit()
        deleted += count
    conn.commit()
    return deleted
