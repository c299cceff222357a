"""Requests/s of the busiest pages against a hello app, and their p99 at half that rate.

Both servers run the repo's gunicorn.conf.py at once; wrk measures each page's maximum
(closed loop, signed in as the bench member, Korean), then bench.paced sends the same page at
half that rate open loop, so a stall shows in the p99 instead of slowing the load down.
"""

from __future__ import annotations

from bench.context import Context
from bench.paced import Summary, paced_run
from bench.report import Row
from bench.targets import find_pages
from bench.verdicts import at_least, no_errors, ratio, within_ms
from bench.web import check_page, hello_server, signed_in, site_server
from bench.wrk import wrk_run

AREA = "http"
# Issue #9: board list and profile >= 0.40x hello, filtered search >= 0.30x; p99 <= 50 ms at half max.
FLOORS = {"board list": 0.40, "photographer profile": 0.40, "search": 0.30}
P99_LIMIT_MS = 50.0


def seconds_of(ctx: Context) -> float:
    """How long each load runs: ctx.duration, at most 3 s in a quick run."""
    return min(ctx.duration, 3.0) if ctx.quick else ctx.duration


def run(ctx: Context) -> list[Row]:
    """Measure hello, then each page's maximum and its p99 at half of it."""
    seconds = seconds_of(ctx)
    pages = find_pages(ctx.full_url)
    rows: list[Row] = []
    with hello_server() as hello_base, site_server(ctx.full_url) as site_base:
        wrk_run(hello_base + "/", 1)  # warm up, as for the pages
        hello = wrk_run(hello_base + "/", seconds)
        print(f"  hello: {hello.describe()}", flush=True)
        rows.append(no_errors(AREA, "hello: errors", hello.errors, hello.sent))
        for label, path in pages.named():
            rows += _measure_page(site_base, label, path, hello, seconds)
    return rows


def _measure_page(base: str, label: str, path: str, hello: Summary, seconds: float) -> list[Row]:
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
    errors = best.errors + (paced.errors if paced else 0)
    total = best.sent + (paced.sent if paced else 0)
    return [
        at_least(
            AREA,
            f"{label}: max req/s vs hello",
            f"{best.describe()} ({path})",
            hello.describe(),
            ratio(best.rps, hello.rps),
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
