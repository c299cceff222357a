"""Requests/s of the busiest pages against a hello app, and their p99 at half that rate.

Both servers run the repo's gunicorn.conf.py at once; wrk measures each page's maximum
(closed loop, signed in as the bench member, Korean), then bench.paced sends the same page at
half that rate open loop, so a stall shows in the p99 instead of slowing the load down.
BENCH_PAGES=board,profile,search picks some of the pages (here and in the flat area).
"""

from __future__ import annotations

import os

from bench.context import Context
from bench.paced import Summary, paced_run
from bench.report import Row
from bench.targets import Pages, find_pages
from bench.verdicts import at_least, no_errors, ratio, within_ms
from bench.web import check_page, hello_server, signed_in, site_server
from bench.wrk import wrk_run

AREA = "http"
# Issue #9: board list and profile >= 0.40x hello, filtered search >= 0.30x; p99 <= 50 ms at half max.
FLOORS = {"board list": 0.40, "photographer profile": 0.40, "search": 0.30}
P99_LIMIT_MS = 50.0


def chosen(pages: Pages) -> list[tuple[str, str]]:
    """The pages to measure: all, or those whose label starts with a word in BENCH_PAGES ("board,search")."""
    wanted = {word.strip() for word in os.environ.get("BENCH_PAGES", "").split(",") if word.strip()}
    return [(label, path) for label, path in pages.named() if not wanted or label.split()[0] in wanted]


def seconds_of(ctx: Context) -> float:
    """How long each load runs: ctx.duration, at most 2 s in a quick run (a smoke run, not a figure)."""
    return min(ctx.duration, 2.0) if ctx.quick else ctx.duration


def run(ctx: Context) -> list[Row]:
    """Measure hello, then each page's maximum and its p99 at half of it."""
    seconds = seconds_of(ctx)
    pages = find_pages(ctx.full_url)
    rows: list[Row] = []
    with hello_server() as hello_base, site_server(ctx.full_url) as site_base:
        wrk_run(hello_base + "/", 1)  # warm up, as for the pages
        before = wrk_run(hello_base + "/", seconds)
        print(f"  hello: {before.describe()}", flush=True)
        measured = [
            (label, path, *_load_page(site_base, label, path, seconds)) for label, path in chosen(pages)
        ]
        # Hello again at the end: the machine's other load drifts, and the pages ran in between.
        after = wrk_run(hello_base + "/", seconds)
        print(f"  hello again: {after.describe()}", flush=True)
    hello_rps = (before.rps + after.rps) / 2
    hello = f"hello {hello_rps:.0f} req/s (mean of {before.rps:.0f}, {after.rps:.0f} req/s)"
    rows.append(no_errors(AREA, "hello: errors", before.errors + after.errors, before.sent + after.sent))
    for label, path, best, paced in measured:
        rows += _page_rows(label, path, best, paced, hello, hello_rps)
    return rows


def _load_page(base: str, label: str, path: str, seconds: float) -> tuple[Summary, Summary | None]:
    """The page's maximum (wrk) and its run at half of it (open loop; None below 2 req/s)."""
    # A fresh sign-in per page: the session's idle clock is rewritten after a minute, and a
    # load tool that keeps an old cookie would then measure a write on every request.
    browser = signed_in(base)
    check_page(browser, path)
    headers = browser.headers()
    wrk_run(base + path, 1, headers)  # warm up: every worker compiles its templates and fills its pools
    best = wrk_run(base + path, seconds, headers)
    print(f"  {label} {path}: max {best.describe()}", flush=True)
    half = best.rps / 2
    paced = paced_run(base + path, half, seconds, headers) if half >= 1 else None
    if paced is not None:
        print(f"  {label}: at {half:.0f} req/s {paced.describe()}", flush=True)
    return best, paced


def _page_rows(
    label: str, path: str, best: Summary, paced: Summary | None, hello: str, hello_rps: float
) -> list[Row]:
    half = best.rps / 2
    errors = best.errors + (paced.errors if paced else 0)
    total = best.sent + (paced.sent if paced else 0)
    return [
        at_least(
            AREA,
            f"{label}: max req/s vs hello",
            f"{best.describe()} ({path})",
            hello,
            ratio(best.rps, hello_rps),
            FLOORS[label],
        ),
        within_ms(
            AREA,
            f"{label}: p99 at half max",
            paced.describe() if paced else "not run (max below 2 req/s)",
            f"{half:.0f} req/s offered, open loop",
            paced.p99 if paced else float("inf"),
            P99_LIMIT_MS,
        ),
        no_errors(AREA, f"{label}: errors", errors, total, "non-2xx or failed, both runs"),
    ]
