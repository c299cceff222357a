"""Page weight: bytes on the wire, bytes of JavaScript and third-party requests, in Chromium.

Each page is loaded in a fresh browser context (empty cache) and every response is counted by
the bytes Chromium received for it (CDP Network.loadingFinished encodedDataLength: headers and
body as sent, compressed or not). The home page has goals (issue #9); the other pages Lighthouse
scores are reported beside it for information.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Browser, sync_playwright

from bench.context import Context
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

GOAL_TOTAL_KB = 60
GOAL_JS_KB = 5
GOAL_THIRD_PARTY = 0


@dataclass
class Weight:
    """What loading one page cost on the wire."""

    requests: int = 0
    total_bytes: int = 0
    js_bytes: int = 0
    third_party: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def run(ctx: Context) -> list[Row]:
    """Weigh the five pages in both languages; the home page against its goals."""
    url = database_url(ctx)
    paths = page_paths(url)
    rows: list[Row] = []
    with served_site(url) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(require_chromium()), args=CHROMIUM_ARGS)
        try:
            for language in LANGUAGES:
                for name, path in paths.items():
                    weight = weigh(browser, page_url(base, language, path))
                    rows += rows_for(f"{name} ({language})", weight, goals=name == "home")
        finally:
            browser.close()
    return rows


def weigh(browser: Browser, address: str) -> Weight:
    """Load one address with an empty cache and add up what came over the network."""
    own_host = urlsplit(address).netloc
    context = browser.new_context()
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        requests: dict[str, tuple[str, str]] = {}  # requestId -> (url, resource type)
        weight = Weight()

        def sent(event: dict) -> None:
            requests[event["requestId"]] = (event["request"]["url"], event.get("type", ""))

        def finished(event: dict) -> None:
            request_url, kind = requests.get(event["requestId"], ("", ""))
            weight.requests += 1
            weight.total_bytes += int(event["encodedDataLength"])
            if kind == "Script" or request_url.endswith((".js", ".mjs")):
                weight.js_bytes += int(event["encodedDataLength"])

        def failed(event: dict) -> None:
            request_url, _kind = requests.get(event["requestId"], ("?", ""))
            weight.failed.append(request_url)

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.loadingFailed", failed)
        response = page.goto(address, wait_until="load")
        if response is None or response.status != 200:
            raise RuntimeError(f"{address} answered {response and response.status}")
        page.wait_for_load_state("networkidle")
        weight.third_party = sorted(
            {
                url
                for url, _kind in requests.values()
                if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own_host
            }
        )
        return weight
    finally:
        context.close()


def rows_for(label: str, weight: Weight, *, goals: bool) -> list[Row]:
    """Three rows for one page; judged only where the issue sets a goal (the home page)."""
    note = f"{weight.requests} requests"
    if weight.failed:
        note += f"; failed: {', '.join(weight.failed)}"
    if weight.third_party:
        note += f"; third-party: {', '.join(weight.third_party)}"
    total_kb = weight.total_bytes / 1024
    js_kb = weight.js_bytes / 1024
    third = len(weight.third_party)
    return [
        Row(
            "pages",
            f"{label}: transferred",
            f"{total_kb:.1f} KB",
            f"{GOAL_TOTAL_KB} KB",
            total_kb / GOAL_TOTAL_KB,
            f"<= {GOAL_TOTAL_KB} KB" if goals else "(info)",
            (total_kb <= GOAL_TOTAL_KB and not weight.failed) if goals else None,
            note,
        ),
        Row(
            "pages",
            f"{label}: JavaScript",
            f"{js_kb:.1f} KB",
            f"{GOAL_JS_KB} KB",
            js_kb / GOAL_JS_KB,
            f"<= {GOAL_JS_KB} KB" if goals else "(info)",
            js_kb <= GOAL_JS_KB if goals else None,
        ),
        Row(
            "pages",
            f"{label}: third-party requests",
            str(third),
            str(GOAL_THIRD_PARTY),
            None,
            f"{GOAL_THIRD_PARTY}" if goals else "(info)",
            third == GOAL_THIRD_PARTY if goals else None,
        ),
    ]
