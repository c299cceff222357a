"""One result row per measurement, and the markdown file a run leaves in bench/results/."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess  # nosec B404 - fixed commands describing this machine
from dataclasses import dataclass
from pathlib import Path

from bench.context import ROOT

RESULTS = ROOT / "bench" / "results"


@dataclass
class Row:
    """A measurement against its baseline; `ratio` is what the goal is judged on."""

    area: str
    name: str
    measured: str
    baseline: str
    ratio: float | None
    goal: str
    met: bool | None
    note: str = ""

    def cells(self) -> list[str]:
        ratio = "" if self.ratio is None else f"{self.ratio:.3f}x"
        verdict = {True: "met", False: "MISSED", None: "-"}[self.met]
        return [self.area, self.name, self.measured, self.baseline, ratio, self.goal, verdict, self.note]


HEADER = ["area", "what", "measured", "baseline", "ratio", "goal", "verdict", "note"]


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as uptime prints them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine(load_at_start: str | None = None) -> list[str]:
    """A few lines saying what the numbers were measured on, and how busy the machine was."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except OSError:
        mem_kb = 0
    pg = _version(["psql", "--version"])
    redis = _version(["redis-server", "--version"])
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {mem_kb / 1024 / 1024:.1f} GiB",
        f"- {platform.platform()}; Python {platform.python_version()}",
        f"- {pg}; {redis}",
        f"- load average at start: {load_at_start or 'not recorded'}; at the end: {load_average()}",
    ]


def _version(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)  # noqa: S603  # nosec B603
    except (OSError, subprocess.SubprocessError):
        return f"{command[0]}: not found"
    return out.stdout.strip() or f"{command[0]}: not found"


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def write(
    rows: list[Row],
    areas: list[str],
    started: dt.datetime,
    notes: list[str],
    load_at_start: str | None = None,
) -> Path:
    """Append this run to bench/results/<date>.md (one file a day, one section a run)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{started:%Y-%m-%d}.md"
    section = [
        f"## Run at {started:%H:%M} UTC: {', '.join(areas)}",
        "",
        *machine(load_at_start),
        "",
        table(rows),
        "",
        *[f"- {n}" for n in notes],
        "",
    ]
    fresh = not path.exists()
    with path.open("a", encoding="utf-8") as fh:
        if fresh:
            fh.write(f"# Benchmark results, {started:%Y-%m-%d}\n\n")
        fh.write("\n".join(section) + "\n")
    return path
