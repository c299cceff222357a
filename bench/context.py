"""What every benchmark area gets: where the databases are, how long to load, where to write."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"

# Seeded once with `flask bench seed` (bench/README.md says how); the areas only read them.
DEFAULT_FULL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/usnaper_bench_full"
DEFAULT_SMALL_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/usnaper_bench_small"


@dataclass
class Context:
    """Settings of one `python -m bench` run, shared by every area."""

    full_url: str = field(default_factory=lambda: os.environ.get("BENCH_FULL_URL", DEFAULT_FULL_URL))
    small_url: str = field(default_factory=lambda: os.environ.get("BENCH_SMALL_URL", DEFAULT_SMALL_URL))
    redis_url: str = field(
        default_factory=lambda: os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    )
    duration: float = field(default_factory=lambda: float(os.environ.get("BENCH_SECONDS", "10")))
    quick: bool = False
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="usnaper-bench-")))
