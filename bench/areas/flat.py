"""Flat with size: each page's p50 on the full database against the small one, under light load.

Both sites run at once with the same gunicorn config; each page is loaded by a couple of
connections (closed loop, signed in, Korean), so the median shows the work of one request
on each size rather than queueing.
"""

from __future__ import annotations

from bench.areas.http import chosen, seconds_of
from bench.context import Context
from bench.paced import Summary
from bench.report import Row
from bench.targets import find_pages
from bench.verdicts import at_most, ratio
from bench.web import check_page, signed_in, site_server
from bench.wrk import wrk_run

AREA = "flat"
CEILING = 1.2  # issue #9: p50 at 1M posts / 100k photographers <= 1.2x p50 at 10k / 1k
LIGHT = 2  # connections: enough to keep a worker busy, too few to queue


def run(ctx: Context) -> list[Row]:
    """p50 of board list, profile and search on ctx.full_url against ctx.small_url."""
    seconds = seconds_of(ctx)
    small_pages, full_pages = find_pages(ctx.small_url), find_pages(ctx.full_url)
    rows = []
    with site_server(ctx.small_url) as small_base, site_server(ctx.full_url) as full_base:
        # Page by page, in the order small, full, full, small (half the time each): other work on
        # the machine drifts, and this order cancels a steady drift instead of charging one size.
        # A quick run measures each once.
        for (label, small_path), (_, full_path) in zip(chosen(small_pages), chosen(full_pages), strict=True):
            small_url, small_headers = _ready(small_base, small_path)
            full_url, full_headers = _ready(full_base, full_path)
            if ctx.quick:
                small = _median(label, small_url, small_headers, seconds)
                full = _median(label, full_url, full_headers, seconds)
            else:
                small_1 = _median(label, small_url, small_headers, seconds / 2)
                full_1 = _median(label, full_url, full_headers, seconds / 2)
                full_2 = _median(label, full_url, full_headers, seconds / 2)
                small_2 = _median(label, small_url, small_headers, seconds / 2)
                small, full = combined(small_1, small_2), combined(full_1, full_2)
            row = at_most(
                AREA,
                f"{label}: p50 full / small",
                f"{full.describe()} ({full_path})",
                f"{small.describe()} ({small_path})",
                ratio(full.p50, small.p50),
                CEILING,
            )
            if small.errors or full.errors:  # a fast error page is no evidence of flatness
                row.met, row.note = False, f"errors: {full.errors} full, {small.errors} small"
            rows.append(row)
    return rows


def combined(first: Summary, second: Summary) -> Summary:
    """Two runs of one page as one: counts added, percentiles averaged (wrk reports no samples)."""
    return Summary(
        sent=first.sent + second.sent,
        errors=first.errors + second.errors,
        seconds=first.seconds + second.seconds,
        p50=(first.p50 + second.p50) / 2,
        p95=(first.p95 + second.p95) / 2,
        p99=(first.p99 + second.p99) / 2,
        max=max(first.max, second.max),
    )


def _ready(base: str, path: str) -> tuple[str, dict[str, str]]:
    """The page's URL and a fresh signed-in client's headers, after a second of warm-up."""
    browser = signed_in(base)  # fresh per page, as in the http area
    check_page(browser, path)
    wrk_run(base + path, 1, browser.headers(), connections=LIGHT)
    return base + path, browser.headers()


def _median(label: str, url: str, headers: dict[str, str], seconds: float) -> Summary:
    found = wrk_run(url, seconds, headers, connections=LIGHT)
    print(f"  {label} {url}: {found.describe()}", flush=True)
    return found
