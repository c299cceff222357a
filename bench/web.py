"""The site and the hello baseline under gunicorn for the HTTP areas, and a signed-in client of the site."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

from bench.server import serve, site_env
from bench.session import BENCH_MEMBER, BENCH_PASSWORD, Browser

HELLO_APP = "bench.hello_app:create_app()"
SITE_APP = "app:create_app()"
# Only a signed-in page's header carries the sign-out form.
SIGNOUT_ACTION = 'action="/ko/signout"'
# gunicorn's start and stop lines would bury the results; its warnings and errors still show.
QUIET = {"GUNICORN_LOG_LEVEL": "warning"}


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def hello_server(workers: int | None = None) -> Iterator[str]:
    """The hello baseline, served with the site's gunicorn config; yields its base URL."""
    port = free_port()
    with serve(HELLO_APP, site_env("sqlite://", port, **QUIET), port, workers) as base:
        yield base


@contextlib.contextmanager
def site_server(database_url: str, workers: int | None = None) -> Iterator[str]:
    """The production-configured site on database_url; yields its base URL."""
    port = free_port()
    with serve(SITE_APP, site_env(database_url, port, **QUIET), port, workers) as base:
        yield base


def signed_in(base: str, email: str = BENCH_MEMBER, password: str = BENCH_PASSWORD) -> Browser:
    """A fresh client of the site, signed in (a fresh session: its idle clock starts now)."""
    browser = Browser(base)
    browser.sign_in(email, password)
    return browser


def check_page(browser: Browser, path: str) -> None:
    """RuntimeError unless path answers 200 with the signed-in header (a bad target would measure a 404)."""
    status, _, page = browser.request("GET", path)
    if status != 200 or SIGNOUT_ACTION not in page:
        raise RuntimeError(f"GET {path} gave {status}{'' if status != 200 else ' but not signed in'}")
