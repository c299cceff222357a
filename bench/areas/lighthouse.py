"""Lighthouse scores of the five pages of issue #9, in both languages, against Debian Chromium.

Lighthouse is the npm package pinned in bench/node (installed with `npm ci` on first use) with
its default mobile settings: a mid-range phone on slow 4G (simulated 150 ms RTT, 1.6 Mbit/s and
a 4x slower CPU). That is the stricter of its two presets and the one closest to our visitors,
most of whom book from a phone.

Lighthouse's 4x CPU slowdown stands for "this host is a fast desktop, make it a mid-range phone".
Its docs ask for the multiplier to be calibrated to the host's own speed, the benchmarkIndex each
report carries: on this shared 2-core machine that index swings between ~600 and ~2100 with the
other agents' load, and a stock 4x then turns the same page's 20 ms layout into anything from a
pass to a miss on total blocking time. So the multiplier follows Lighthouse's published calibration
(1x at index 150, 2x at 800, 3x at 1300, 4x at 1533), never above the stock 4x, from a first run
and then from the median index of the runs before; BENCH_LIGHTHOUSE_CPU_SLOWDOWN=4 pins the stock
value instead.
Outside --quick each page is run three times and each category's median is judged, as those docs
also advise; a run Lighthouse itself reports as broken (NO_NAVSTART under load) is run again once.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess  # nosec B404 - our pinned lighthouse, fixed arguments
from pathlib import Path

from bench.context import ROOT, Context
from bench.report import Row
from bench.site_pages import (
    CHROMIUM_ARGS,
    LANGUAGES,
    database_url,
    page_paths,
    page_url,
    require_chromium,
    served_site,
)

NODE_DIR = ROOT / "bench" / "node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
GOAL = 0.95
# Lighthouse's calibration of CPU slowdown to the host's benchmarkIndex: (index, multiplier).
CALIBRATION = [(150, 1.0), (800, 2.0), (1300, 3.0), (1533, 4.0)]
STOCK_SLOWDOWN = 4.0


def run(ctx: Context) -> list[Row]:
    """Score each page in each language; one row per page and language, judged on its lowest category."""
    install_lighthouse()
    chromium = require_chromium()
    url = database_url(ctx)
    paths = page_paths(url)
    repeats = 1 if ctx.quick else 3
    pinned = os.environ.get("BENCH_LIGHTHOUSE_CPU_SLOWDOWN")
    rows: list[Row] = []
    with served_site(url) as base:
        first = lighthouse(page_url(base, LANGUAGES[0], "/"), chromium, ctx.workdir / "lh-calibration.json")
        indexes = [first["environment"]["benchmarkIndex"]]
        for language in LANGUAGES:
            for name, path in paths.items():
                slowdown = float(pinned) if pinned else cpu_slowdown(statistics.median(indexes[-3:]))
                address = page_url(base, language, path)
                reports = []
                for i in range(repeats):
                    output = ctx.workdir / f"lh-{language}-{len(rows)}-{i}.json"
                    reports.append(lighthouse(address, chromium, output, slowdown))
                    indexes.append(reports[-1]["environment"]["benchmarkIndex"])
                rows.append(row_for(f"{name} ({language})", reports, slowdown))
    return rows


def cpu_slowdown(benchmark_index: float) -> float:
    """The CPU multiplier that makes a host of this benchmarkIndex behave like Lighthouse's phone.

    Capped at Lighthouse's stock 4x: the index is read before the runs it calibrates, and a quiet
    moment on this shared machine (index 2000+, "6x") followed by the other agents' load would
    judge a page stricter than Lighthouse itself ever does.
    """
    if benchmark_index <= CALIBRATION[0][0]:
        return CALIBRATION[0][1]
    for (low, low_x), (high, high_x) in zip(CALIBRATION, CALIBRATION[1:], strict=False):
        if benchmark_index <= high:
            return min(
                STOCK_SLOWDOWN, round(low_x + (benchmark_index - low) * (high_x - low_x) / (high - low), 2)
            )
    return STOCK_SLOWDOWN


def install_lighthouse() -> None:
    """`npm ci` in bench/node when its node_modules is missing (a fresh clone)."""
    if LIGHTHOUSE.exists():
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, check=True)  # noqa: S607  # nosec B603 B607


def lighthouse(
    address: str, chromium: Path, output: Path, slowdown: float = STOCK_SLOWDOWN, tries: int = 2
) -> dict:
    """One Lighthouse run of one address; its JSON report."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [
        str(LIGHTHOUSE),
        address,
        "--quiet",
        "--output=json",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={flags}",
        f"--throttling.cpuSlowdownMultiplier={slowdown}",
    ]
    env = dict(os.environ, CHROME_PATH=str(chromium))
    report: dict = {}
    for _attempt in range(tries):
        done = subprocess.run(command, env=env, check=False, timeout=300)  # noqa: S603  # nosec B603
        report = json.loads(output.read_text(encoding="utf-8")) if output.exists() else {}
        if done.returncode == 0 and report.get("categories") and not report.get("runtimeError"):
            return report
        output.unlink(missing_ok=True)
    raise RuntimeError(f"lighthouse {address} failed {tries} times: {report.get('runtimeError')}")


def row_for(label: str, reports: list[dict], slowdown: float) -> Row:
    """The median of each category over the runs; the lowest of them is what is judged."""
    scores = {
        category: statistics.median(r["categories"][category]["score"] or 0 for r in reports)
        for category in CATEGORIES
    }
    lowest = min(scores.values())
    note = ", ".join(f"{c} {s:.2f}" for c, s in scores.items())
    tbt = statistics.median(r["audits"]["total-blocking-time"]["numericValue"] for r in reports)
    note += f"; CPU x{slowdown:g}, TBT {tbt:.0f} ms"
    if lowest < GOAL:
        missed = [c for c, s in scores.items() if s < GOAL]
        note += "; weighted audits below 0.9: " + (", ".join(failing_audits(reports[-1], missed)) or "none")
    runs = f"median of {len(reports)}" if len(reports) > 1 else "1 run"
    measured = f"{lowest:.2f} ({runs})"
    return Row("lighthouse", label, measured, f"{GOAL}", None, f">= {GOAL}", lowest >= GOAL, note)


def failing_audits(report: dict, categories: list[str]) -> list[str]:
    """The audits that count towards the missed categories and scored below 0.9, with their values."""
    failing = []
    for category in categories:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            score = audit.get("score")
            if ref.get("weight", 0) > 0 and score is not None and score < 0.9:
                failing.append(f"{ref['id']} ({audit.get('displayValue') or f'{score:.2f}'})")
    return failing
