"""The fuzz suite's fixtures and its end-of-run count (the settings profile is in profile.py)."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from .tally import TALLY
from .world import Fuzzer


@pytest.fixture
def backend() -> str:
    """The fuzzing runs once, on SQLite: PostgreSQL sees the same code paths in the other tests."""
    return "sqlite"


@pytest.fixture
def data_dir(tmp_path):
    """Where the databases and photos go: memory-backed where there is one, as every commit's
    fsync on a disk would cost more than the request under test (durability is not the point here)."""
    shm = Path("/dev/shm")  # noqa: S108 - only a private mkdtemp folder in it, removed afterwards
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="usnaper-fuzz-", dir=shm))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def app_overrides(data_dir) -> dict:
    """No hourly limit gets in the way of hundreds of examples; files go to data_dir."""
    many = 10**6
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{data_dir / 'test.db'}",
        "SQLALCHEMY_BINDS": {"dormant": f"sqlite:///{data_dir / 'dormant.db'}"},
        "POSTS_PER_HOUR": many,
        "COMMENTS_PER_HOUR": many,
        "REPORTS_PER_HOUR": many,
        "COMPLAINTS_PER_HOUR": many,
        "RESET_MAILS_PER_HOUR": many,
        "PHOTO_DIR": str(data_dir / "photos"),
    }


@pytest.fixture
def fuzzer(app, sign_in) -> Fuzzer:
    """The fuzzing member and their world."""
    return Fuzzer(app, sign_in)


def pytest_terminal_summary(terminalreporter) -> None:
    """How many requests were fuzzed in this run, and how many gave a 5xx (must be 0)."""
    for line in TALLY.summary() + (TALLY.per_case() if terminalreporter.verbosity > 0 else []):
        terminalreporter.write_line(line)
