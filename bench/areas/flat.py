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
        for (label, small_path), (_, full_path) in zip(chosen(small_pages), chosen(full_pages), strict=True):
            small_1 = _median(small_base, label, small_path, seconds / 2)
            full_1 = _median(full_base, label, full_path, seconds / 2)
            full_2 = _median(full_base, label, full_path, seconds / 2)
            small_2 = _median(small_base, label, small_path, seconds / 2)
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


def _median(base: str, label: str, path: str, seconds: float) -> Summary:
    browser = signed_in(base)  # fresh per page, as in the http area
    check_page(browser, path)
    wrk_run(base + path, 1, browser.headers(), connections=LIGHT)  # warm up
    found = wrk_run(base + path, seconds, browser.headers(), connections=LIGHT)
    print(f"  {label} {base}{path}: {found.describe()}", flush=True)
    return found
