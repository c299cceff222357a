"""Start the site (or the hello baseline) under gunicorn on 127.0.0.1 for a measurement, and stop it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess  # nosec B404 - our own gunicorn, fixed arguments
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench.context import BIN, ROOT

# Fixed throwaway secrets, the same for `flask bench seed` and the served site, so what the seed
# encrypts or pseudonymises the site can read. Nothing here is used outside benchmarks.
BENCH_SECRETS = {
    "SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdef",
    "FIELD_ENCRYPTION_KEY": "bench-field-key-not-for-production-0123456789abcdef",
    "PSEUDONYM_KEY": "bench-pseudonym-key-not-for-production-0123456789",
}


def site_env(database_url: str, port: int, dormant_url: str | None = None, **extra: str) -> dict:
    """The environment of a production-configured site as the benchmarks run it."""
    env = dict(os.environ)
    env.update(BENCH_SECRETS)
    env.update(
        APP_ENV="production",
        DATABASE_URL=database_url,
        DORMANT_DATABASE_URL=dormant_url or dormant_url_for(database_url),
        SERVER_NAME=f"127.0.0.1:{port}",
        MAIL_SERVER="127.0.0.1",
        PRIVACY_OFFICER_NAME="Bench Officer",
        PRIVACY_OFFICER_DEPARTMENT="Bench",
        PRIVACY_OFFICER_PHONE="02-0000-0000",
        PRIVACY_OFFICER_EMAIL="privacy@usnaper.example",
        PRIVACY_CONSIGNEES="[]",
        # No proxy in front on 127.0.0.1; the limiter would measure itself, not the page.
        PROXY_HOPS="0",
        RATELIMIT_ENABLED="false",
        STAFF_TWO_STEP_REQUIRED="false",
        LOG_LEVEL="WARNING",
    )
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def dormant_url_for(database_url: str) -> str:
    """The dormant store next to a benchmark database: `<name>_dormant` on the same server."""
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        return f"sqlite:///{path.with_name(path.stem + '-dormant' + path.suffix)}"
    return database_url + "_dormant"


@contextlib.contextmanager
def serve(app_spec: str, env: dict, port: int, workers: int | None = None) -> Iterator[str]:
    """Run gunicorn with the repo's gunicorn.conf.py; yield the base URL once it answers."""
    command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}"]
    config = ROOT / "gunicorn.conf.py"
    if config.exists():
        command += ["--config", str(config)]
    if workers:
        command += ["--workers", str(workers)]
    command.append(app_spec)
    proc = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603  # nosec B603
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _wait_until_up(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310  # nosec B310
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{base} did not answer within {timeout:.0f} s")
