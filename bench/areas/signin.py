"""Sign-in costs nothing but bcrypt: sign-ins/s through the site against bcrypt checks/s alone.

The site runs the repo's gunicorn config with N workers, and N clients post the sign-in form
(with the CSRF token of a real GET) as fast as it answers; each answer must be the 302 into
a new session. The baseline is N processes doing nothing but bcrypt.checkpw at the site's
cost, in the same run. A few sign-ins a second are no load for a Python client, and it
counts each client's own time as the baseline does (wrk would lose the requests in flight
at the end, a large share when each takes a second).
"""

from __future__ import annotations

import multiprocessing
import os
import runpy
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Flask

from bench.areas.http import seconds_of
from bench.context import ROOT, Context
from bench.report import Row
from bench.session import BENCH_PASSWORD, SIGNIN_PATH, Browser, csrf_token, session_cookie_name
from bench.verdicts import at_least, no_errors, ratio
from bench.web import signed_in, site_server
from config import ProductionConfig
from services.passwords import check_password, hash_password

AREA = "signin"
FLOOR = 0.9  # issue #9: sign-in requests/s >= 0.9x bcrypt checks/s at the same cost
# The photographer, not the member the page areas browse as: every sign-in past
# MAX_SESSIONS_PER_MEMBER ends that account's oldest session, which would sign out a
# page benchmark running at the same time.
ACCOUNT = "bench-photographer@usnaper.example"


def gunicorn_workers() -> int:
    """How many workers gunicorn.conf.py gives the site on this machine (GUNICORN_WORKERS honoured)."""
    return int(runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"])


def run(ctx: Context) -> list[Row]:
    """Sign-ins/s of ACCOUNT through the site, between two bcrypt runs with as many processes."""
    # Each sign-in takes a bcrypt check (~0.25 s a core at cost 12): too few fit in a quick run's 2 s.
    seconds = max(seconds_of(ctx), 4.0)
    workers = gunicorn_workers()
    with site_server(ctx.full_url, workers) as base:
        signed_in(base, ACCOUNT)  # fails loudly if the account cannot sign in at all
        # bcrypt before and after the sign-ins, with the site idle: the machine's other load drifts.
        cost = ProductionConfig.BCRYPT_COST
        first = bcrypt_rate(cost, workers, seconds)
        signins = signin_rate(base, workers, seconds)
        second = bcrypt_rate(cost, workers, seconds)
    checks = (first + second) / 2
    print(
        f"  sign-in: {signins.rate:.2f}/s; bcrypt: {first:.2f}, {second:.2f} checks/s (cost {cost})",
        flush=True,
    )
    return [
        at_least(
            AREA,
            "sign-in req/s vs bcrypt checks/s",
            f"{signins.rate:.2f} sign-ins/s ({signins.done} in {seconds:.0f} s)",
            f"{checks:.2f} checks/s (mean of {first:.2f} before, {second:.2f} after), cost {cost}",
            ratio(signins.rate, checks),
            FLOOR,
            note=f"{workers} gunicorn workers, {workers} clients / processes",
        ),
        no_errors(
            AREA,
            "sign-in: errors",
            signins.failed,
            signins.done + signins.failed,
            "any answer but the 302 in",
        ),
    ]


@dataclass
class SigninCount:
    """Sign-ins that started a session, those that did not, and the rate of the first."""

    done: int
    failed: int
    rate: float


def signin_rate(base: str, clients: int, seconds: float) -> SigninCount:
    """Sign ACCOUNT in over and over from clients threads for seconds (closed loop, one client a worker).

    Like the bcrypt baseline, each client counts what it finished over its own exact time, so
    a request still running when the time is up neither counts nor stretches anyone's clock.
    """
    with ThreadPoolExecutor(clients) as pool:
        counts = list(pool.map(_sign_in_repeatedly, [base] * clients, [seconds] * clients))
    return SigninCount(
        done=sum(done for done, _, _ in counts),
        failed=sum(failed for _, failed, _ in counts),
        rate=sum(done / elapsed for done, _, elapsed in counts if elapsed > 0),
    )


def _sign_in_repeatedly(base: str, seconds: float) -> tuple[int, int, float]:
    """One client: the sign-in form once, then its POST again and again from the same pre-sign-in cookie."""
    form_page = Browser(base)
    status, _, page = form_page.request("GET", SIGNIN_PATH)
    token = csrf_token(page)
    if status != 200 or token is None:
        raise RuntimeError(f"GET {SIGNIN_PATH} gave {status} without a CSRF token")
    # Signing in clears the session and its CSRF token: every POST goes from the form's cookie.
    before = dict(form_page.jar)
    body = urlencode({"csrf_token": token, "email": ACCOUNT, "password": BENCH_PASSWORD})
    done = failed = 0
    started = time.perf_counter()
    finished = started
    while time.perf_counter() - started < seconds:
        client = Browser(base, dict(before))
        status, headers, _ = client.request("POST", SIGNIN_PATH, body)
        fresh = client.jar.get(session_cookie_name(client.jar))
        if (
            status == 302
            and "signin" not in headers.get("location", "")
            and fresh != before.get(session_cookie_name(before))
        ):
            done += 1
        else:
            failed += 1
        finished = time.perf_counter()
    return done, failed, finished - started


def bcrypt_rate(cost: int, processes: int, seconds: float) -> float:
    """bcrypt checks per second of processes processes at cost, all checking at once for seconds."""
    app = Flask(__name__)
    app.config["BCRYPT_COST"] = cost
    with app.app_context():
        hashed = hash_password(BENCH_PASSWORD)
    # Plain processes released by one barrier: a pool may hand two tasks to one process in turn.
    start = multiprocessing.Barrier(processes)
    results = multiprocessing.Queue()
    workers = [
        multiprocessing.Process(target=_checks, args=(hashed, seconds, start, results))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    counts = [results.get(timeout=seconds + 120) for _ in workers]
    for worker in workers:
        worker.join()
    return sum(n / elapsed for n, elapsed in counts)


def _checks(hashed: str, seconds: float, start, results) -> None:
    """Check the password against hashed for about seconds; put (checks, exact seconds) on results."""
    start.wait()
    started = time.perf_counter()
    count = 0
    while count == 0 or time.perf_counter() - started < seconds:
        if not check_password(BENCH_PASSWORD, hashed):
            raise RuntimeError(f"bcrypt check failed in process {os.getpid()}")
        count += 1
    results.put((count, time.perf_counter() - started))
