"""The pure parts of the HTTP benchmarks: percentiles, wrk's report, verdicts, cookies, gunicorn's config.

No load here: the one server these tests start answers a handful of requests.
"""

import asyncio
import concurrent.futures
import datetime as dt
import runpy
import threading

import pytest
from werkzeug.serving import make_server

from bench import report
from bench.context import ROOT
from bench.hello_app import create_app as create_hello
from bench.paced import _read_response, due_times, percentile, request_bytes, summarise
from bench.session import USER_AGENT, Browser, SigninFailed, cookie_header, cookies_from, csrf_token
from bench.verdicts import at_least, at_most, no_errors, ratio, within_ms
from bench.web import SIGNOUT_ACTION, free_port
from bench.wrk import parse_report
from tests.conftest import MEMBER_PASSWORD

# --- percentiles and the open-loop schedule -------------------------------------------------------


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile(values, 0.5) == 1.0
    # Never a value between two samples: with 4 samples p50 is the 2nd, p95 and p99 the 4th.
    assert [percentile([1.0, 2.0, 3.0, 10.0], q) for q in (50, 95, 99)] == [2.0, 10.0, 10.0]


def test_percentile_of_nothing_and_out_of_range():
    assert percentile([], 99) == 0.0
    with pytest.raises(ValueError, match="percentile"):
        percentile([1.0], 0)
    with pytest.raises(ValueError, match="percentile"):
        percentile([1.0], 101)


def test_summary_sorts_counts_errors_and_describes_in_ms():
    summary = summarise([0.030, 0.010, 0.020, 0.500], errors=1, seconds=2.0)
    assert (summary.sent, summary.errors, summary.p50, summary.p99, summary.max) == (4, 1, 0.020, 0.5, 0.5)
    assert summary.rps == 2.0
    assert summary.describe() == "2 req/s, p50 20.0 / p95 500.0 / p99 500.0 ms"


def test_due_times_are_evenly_spaced_from_start():
    due = due_times(100.0, rate=4, seconds=2)
    assert len(due) == 8
    assert due[0] == 100.0 and due[1] == 100.25 and due[-1] == 101.75


def test_request_bytes_carry_path_query_host_and_headers():
    raw = request_bytes("http://127.0.0.1:8123/ko/photographers/?region=seoul", {"Cookie": "a=b"})
    lines = raw.decode().split("\r\n")
    assert lines[0] == "GET /ko/photographers/?region=seoul HTTP/1.1"
    assert "Host: 127.0.0.1:8123" in lines and "Cookie: a=b" in lines
    assert raw.endswith(b"\r\n\r\n")


def _read(wire: bytes) -> tuple[int, bool, bytes]:
    """Parse one response from wire; also return what is left unread."""

    async def go():
        reader = asyncio.StreamReader()
        reader.feed_data(wire)
        reader.feed_eof()
        status, reusable = await _read_response(reader)
        return status, reusable, await reader.read()

    # Its own thread: the browser tests' sync Playwright may leave an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, go()).result()


def test_response_reader_reads_exactly_one_response():
    sized = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 404"
    assert _read(sized) == (200, True, b"HTTP/1.1 404")
    chunked = b"HTTP/1.1 302 FOUND\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nNEXT"
    assert _read(chunked) == (302, True, b"NEXT")


def test_response_reader_knows_when_the_server_closes():
    # gunicorn's sync worker answers `Connection: close`: the client must reconnect.
    assert _read(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")[:2] == (200, False)
    assert _read(b"HTTP/1.1 200 OK\r\n\r\nuntil the end")[:2] == (200, False)


def test_two_runs_of_a_page_combine_counts_and_average_percentiles():
    from bench.areas.flat import combined

    one = summarise([0.010, 0.020], errors=0, seconds=1.0)
    two = summarise([0.030, 0.040, 0.050, 0.900], errors=1, seconds=1.0)
    both = combined(one, two)
    assert (both.sent, both.errors, both.rps, both.max) == (6, 1, 3.0, 0.9)
    assert both.p50 == pytest.approx((0.010 + 0.040) / 2)


# --- wrk's summary line ---------------------------------------------------------------------------

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:40000/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.20ms    1.10ms  40.00ms   90.00%
  8000 requests in 10.00s, 1.20MB read
Requests/sec:    800.00
BENCH requests=8000 duration_us=10000000 connect=0 read=2 write=0 timeout=1 non2xx=3 \
p50_us=5000 p95_us=9000 p99_us=15000 max_us=40000
"""


def test_wrk_report_is_parsed_from_the_lua_line():
    summary = parse_report(WRK_OUTPUT)
    assert summary.rps == 800.0
    assert (summary.p50, summary.p95, summary.p99, summary.max) == (0.005, 0.009, 0.015, 0.04)
    assert summary.errors == 6  # 3 answers outside 2xx, 2 read errors, 1 timeout


def test_wrk_output_without_the_lua_line_is_refused():
    with pytest.raises(ValueError, match="BENCH"):
        parse_report(WRK_OUTPUT.split("BENCH")[0])


# --- verdicts -------------------------------------------------------------------------------------


def test_ratio_needs_a_baseline():
    assert ratio(40, 100) == 0.4
    assert ratio(40, 0) is None


def test_floor_and_ceiling_verdicts():
    assert at_least("http", "x", "m", "b", 0.40, 0.40).met is True
    assert at_least("http", "x", "m", "b", 0.39, 0.40).met is False
    assert at_least("http", "x", "m", "b", None, 0.40).met is False
    assert at_least("http", "x", "m", "b", 0.5, 0.30).goal == ">= 0.30x"
    assert at_most("flat", "x", "m", "b", 1.2, 1.2).met is True
    assert at_most("flat", "x", "m", "b", 1.21, 1.2).met is False
    assert at_most("flat", "x", "m", "b", None, 1.2).met is False


def test_latency_and_error_verdicts():
    assert within_ms("http", "p99", "m", "b", 0.050, 50).met is True
    assert within_ms("http", "p99", "m", "b", 0.0501, 50).met is False
    assert no_errors("http", "e", 0, 10).met is True
    assert no_errors("http", "e", 1, 10).met is False
    assert no_errors("http", "e", 0, 0).met is False  # nothing measured proves nothing
    assert no_errors("http", "e", 1, 10).measured == "1 of 10 requests"


# --- cookies and the CSRF token -------------------------------------------------------------------


def test_csrf_token_is_found_whatever_the_attribute_order():
    page = '<form><input type="hidden" value="tok-1" id="csrf_token" name="csrf_token"></form>'
    assert csrf_token(page) == "tok-1"
    assert csrf_token('<input name="email" value="x">') is None


def test_secure_host_cookie_is_kept_and_deletions_are_not_sent():
    jar = cookies_from(
        [
            "__Host-session=.eJyrVkrOz0; Secure; HttpOnly; Path=/; SameSite=Lax",
            "remember_token=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
            "not a cookie at all ;;; ===",
        ]
    )
    assert jar["__Host-session"] == ".eJyrVkrOz0"
    assert cookie_header(jar) == "__Host-session=.eJyrVkrOz0"


@pytest.fixture
def served_port() -> int:
    """The port the live test server below listens on (SERVER_NAME must name it)."""
    return free_port()


@pytest.fixture
def app_overrides(served_port) -> dict:
    """Production's cookie and CSRF settings on the test app, on the port it is served from."""
    return {
        "WTF_CSRF_ENABLED": True,
        "SESSION_COOKIE_NAME": "__Host-session",
        "SESSION_COOKIE_SECURE": True,
        "SERVER_NAME": f"127.0.0.1:{served_port}",
    }


@pytest.fixture
def live_base(app, served_port):
    """The test app on a real socket for the length of one test."""
    server = make_server("127.0.0.1", served_port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{served_port}"
    server.shutdown()
    thread.join()


def test_browser_signs_in_over_http_with_a_secure_cookie(live_base, make_member):
    make_member(email="bench@example.com")
    browser = Browser(live_base)
    browser.sign_in("bench@example.com", MEMBER_PASSWORD)
    assert set(browser.jar) == {"__Host-session"}
    # What a load tool is handed is enough to be signed in.
    page = Browser(live_base, cookies_from([browser.headers()["Cookie"]]))
    status, _, body = page.request("GET", "/ko/")
    assert status == 200 and SIGNOUT_ACTION in body


def test_browser_reports_a_refused_sign_in(live_base, make_member):
    make_member(email="bench@example.com")
    with pytest.raises(SigninFailed, match="400"):
        Browser(live_base).sign_in("bench@example.com", "not the password at all")


# --- the servers ----------------------------------------------------------------------------------


def test_hello_app_answers_hello_and_health():
    client = create_hello().test_client()
    assert client.get("/").get_data() == b"hello"
    assert client.get("/healthz").get_json() == {"status": "ok"}


def _gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_BIND", "PORT", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_defaults_sync_workers_on_localhost_without_access_log(monkeypatch):
    import multiprocessing

    settings = _gunicorn_settings(monkeypatch)
    assert settings["bind"] == ["127.0.0.1:8000"]
    assert settings["workers"] == 2 * multiprocessing.cpu_count() + 1
    assert settings["worker_class"] == "sync"
    assert settings["accesslog"] is None and settings["preload_app"] is True
    assert settings["control_socket_disable"] is True


def test_gunicorn_reads_bind_workers_and_threads_from_the_environment(monkeypatch):
    assert _gunicorn_settings(monkeypatch, PORT="9000")["bind"] == ["0.0.0.0:9000"]
    settings = _gunicorn_settings(
        monkeypatch,
        GUNICORN_BIND="unix:/run/usnaper.sock",
        PORT="9000",
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="4",
    )
    assert settings["bind"] == ["unix:/run/usnaper.sock"]
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (3, 4, "gthread")


def test_the_lighthouse_lock_cannot_drift_from_what_npm_ci_accepts():
    """Found on a fresh clone: a dependency asked for "latest", a newer release came out, and
    `npm ci` refused the lock. Every such range in the lock must be pinned by an override."""
    import json

    node = ROOT / "bench" / "node"
    lock = json.loads((node / "package-lock.json").read_text())
    overrides = json.loads((node / "package.json").read_text()).get("overrides", {})
    floating = {
        (path.removeprefix("node_modules/"), name)
        for path, package in lock["packages"].items()
        for name, wanted in package.get("dependencies", {}).items()
        if wanted[:1].isalpha()  # a dist-tag such as "latest"; "*" or a range never goes stale
    }
    assert floating, "the lock no longer has floating ranges: drop the overrides and this test"
    for owner, name in sorted(floating):
        pinned = overrides.get(owner, {}).get(name) or overrides.get(name)
        assert pinned and pinned[0].isdigit(), f"{owner} asks for {name}@latest: pin it in overrides"
        installed = (
            lock["packages"].get(f"node_modules/{owner}/node_modules/{name}")
            or lock["packages"][f"node_modules/{name}"]
        )
        assert installed["version"] == pinned


def test_a_run_records_the_load_when_it_started_and_when_it_ended(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "RESULTS", tmp_path)
    started = dt.datetime(2026, 12, 6, 22, 0, tzinfo=dt.UTC)
    path = report.write([], ["http"], started, [], load_at_start="9.99 8.88 7.77")
    text = path.read_text()
    assert "- load average at start: 9.99 8.88 7.77; at the end: " in text
    assert text.count("## Run at 22:00 UTC: http") == 1


def test_the_load_tool_is_the_same_browser_that_signed_in():
    """Flask-Login ties a session to its client: another User-Agent made every response re-sign the cookie."""
    browser = Browser("http://127.0.0.1:1", {"session": "abc"})
    assert browser.headers()["User-Agent"] == USER_AGENT
    assert browser.headers()["Cookie"] == "session=abc"
