"""A live server and Debian's Chromium driven by Playwright.

Chromium is Debian's package (/usr/bin/chromium); Playwright never downloads a
browser here. Without Chromium the browser tests are skipped, except under
CI=true, where they fail.
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from extensions import db
from services.demo import load_demo_content
from services.policies import sync_shipped_versions
from tests.browser.accounts import LIVE
from tests.support import IN_CI, build_app, config_for

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app served over HTTP on 127.0.0.1 from a file-backed SQLite database."""
    database = tmp_path_factory.mktemp("live") / "live.db"
    app = build_app(config_for("sqlite", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}"))
    with app.app_context():
        db.create_all()
        sync_shipped_versions()
        load_demo_content()
    LIVE["app"] = app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium."""
    if not shutil.which(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser):
    """Factory: a fresh page in a new context with the given browser language."""
    contexts = []

    def make(locale: str = "ko-KR", **options):
        context = browser.new_context(locale=locale, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under tests/browser/screenshots/ (git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
