"""Throwaway servers for the fault drills: a PostgreSQL cluster, a Redis, an SMTP server, workers.

The drills stop, kill and restart these, never the shared servers the rest of
the suite uses. PostgreSQL is Debian's own binaries (/usr/lib/postgresql/<ver>/bin,
or DRILL_PG_BIN), run as the `postgres` OS user when the tests run as root,
since the server refuses to run as root.
"""

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from http.cookiejar import CookieJar
from pathlib import Path

from aiosmtpd.controller import Controller
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
PG_OWNER = "postgres"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60, every: float = 0.05):
    """Poll until condition() is true and return its value; fail naming `what` if it never is."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(every)


def postgres_bin() -> Path | None:
    """The directory of initdb and pg_ctl: DRILL_PG_BIN, else the newest Debian version, else PATH."""
    if os.environ.get("DRILL_PG_BIN"):
        return Path(os.environ["DRILL_PG_BIN"])
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda path: int(path.parts[-3].split(".")[0])
    )
    if versions:
        return versions[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def missing_binaries() -> str | None:
    """Why the drills cannot run here (None when they can)."""
    bindir = postgres_bin()
    if bindir is None or not (bindir / "pg_ctl").exists():
        return "PostgreSQL server binaries not found (apt-get install postgresql, or set DRILL_PG_BIN)"
    if not shutil.which("redis-server"):
        return "redis-server not found (apt-get install redis-server)"
    if os.geteuid() == 0:
        if not shutil.which("runuser"):
            return "running as root needs runuser to start PostgreSQL as another user"
        try:
            import pwd

            pwd.getpwnam(PG_OWNER)
        except KeyError:
            return f"running as root needs the {PG_OWNER!r} OS user to start PostgreSQL"
    return None


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary directory, on its own port, with trust authentication."""

    def __init__(self) -> None:
        self.bindir = postgres_bin()
        self.port = free_port()
        # As root, under /tmp: a TMPDIR inside root's home would be closed to the postgres user.
        parent = "/tmp" if os.geteuid() == 0 else None  # noqa: S108 - mkdtemp makes a private new directory
        self.home = Path(tempfile.mkdtemp(prefix="usnaper-drill-pg-", dir=parent))
        self.data = self.home / "data"
        self.log = self.home / "server.log"
        if os.geteuid() == 0:
            shutil.chown(self.home, PG_OWNER, PG_OWNER)

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", PG_OWNER, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.home)
        if check and result.returncode != 0:
            raise RuntimeError(f"{tool} {' '.join(args)} failed: {result.stderr}\n{self.server_log()}")
        return result

    def server_log(self) -> str:
        try:
            return self.log.read_text()[-3000:]
        except OSError:
            return ""

    def create(self) -> None:
        """initdb, then settings for a disposable server: TCP on 127.0.0.1 only.

        fsync is off (the machine does not crash, only the server's processes die),
        but synchronous_commit stays on: off, a killed server loses commits it had
        acknowledged, which no production server does.
        """
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"
        )
        settings = {
            "port": str(self.port),
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.home}'",
            "fsync": "off",
            "full_page_writes": "off",
            "max_connections": "60",
        }
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def running(self) -> bool:
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def stop(self, mode: str = "fast") -> None:
        """pg_ctl stop: fast ends every session (rolling back their transactions); immediate aborts."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def restart(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-m", mode, "-w", "restart")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        address = ("-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres")
        self._run("psql", *address, "-qc", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def destroy(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.home, ignore_errors=True)


class PrivateRedis:
    """A redis-server on its own port that keeps nothing on disk (a restart starts empty)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.home = Path(tempfile.mkdtemp(prefix="usnaper-drill-redis-"))
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.home)]
            + ["--save", "", "--appendonly", "no", "--logfile", str(self.home / "redis.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, "the private redis-server to answer", timeout=30)

    def answers(self) -> bool:
        from redis import Redis

        try:
            return bool(Redis(port=self.port, socket_connect_timeout=1).ping())
        except Exception:  # noqa: BLE001 - any failure means "not up"
            return False

    def stop(self) -> None:
        """Stop the server and wait until it is gone (what a crash or an outage looks like to clients)."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)
        self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.home, ignore_errors=True)


@dataclass
class Received:
    """One message the SMTP server accepted."""

    to: str
    subject: str
    message_id: str


class Inbox:
    """An aiosmtpd handler: records every recipient tried and every message accepted.

    `answer(stage, to, attempt)` may return an SMTP reply to refuse with at
    "RCPT" or "DATA" (None goes on); attempt counts the tries of that recipient.
    `hang_at`, when set, makes the DATA with that ordinal wait until `release`
    is set and then refuse it, so a worker can be killed while the server holds
    a message it never accepted.
    """

    def __init__(self) -> None:
        self.accepted: list[Received] = []
        self.tried: list[str] = []  # the recipient of every RCPT TO, in order
        self.answer: Callable[[str, str, int], str | None] = lambda stage, to, attempt: None
        self.hang_at: int | None = None
        self.hanging, self.release = threading.Event(), threading.Event()
        self.data_commands = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.tried.append(address)
        refusal = self.answer("RCPT", address, self.tried.count(address))
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        to = str(message["To"])
        self.data_commands += 1
        if self.hang_at is not None and self.data_commands == self.hang_at:
            self.hanging.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 held while the worker died"
        refusal = self.answer("DATA", to, self.tried.count(to))
        if refusal:
            return refusal
        self.accepted.append(Received(to, str(message["Subject"]), str(message["Message-ID"])))
        return "250 OK"


class SmtpServer:
    """aiosmtpd on 127.0.0.1 in a thread of this process."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        self.inbox.release.set()
        self.controller.stop()


def kill_tree(pid: int) -> None:
    """SIGKILL a process and its descendants (RQ's work horse leaves the worker's session)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    pending, everyone = [pid], []
    while pending:
        current = pending.pop()
        everyone.append(current)
        pending += children.get(current, [])
    for victim in reversed(everyone):
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)


class Processes:
    """`flask ...` child processes (workers, the relay, the daily run) sharing the drill's servers."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.running: list[subprocess.Popen] = []

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "flask", "--app", "app", *args]

    def start_worker(self, *queues: str, burst: bool = False, **extra: str) -> subprocess.Popen:
        """A real `flask jobs worker` (all queues unless named), its output in a log file."""
        name = f"worker-{len(self.running)}.log"
        log = (self.logs / name).open("w")
        process = subprocess.Popen(
            self.command("jobs", "worker", *queues, *(["--burst"] if burst else [])),
            cwd=ROOT,
            env=self.env | extra,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log_path = self.logs / name
        self.running.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its work horse: no clean-up code runs anywhere."""
        kill_tree(process.pid)
        process.wait(10)

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess:
        result = subprocess.run(
            self.command(*args), cwd=ROOT, env=self.env | extra, capture_output=True, text=True, timeout=180
        )
        assert result.returncode == 0, f"flask {' '.join(args)}: {result.stderr[-3000:]}"
        return result

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    self.kill(process)
            with contextlib.suppress(Exception):
                kill_tree(process.pid)  # an orphaned work horse, if any


class LiveServer:
    """The app served over HTTP by werkzeug in a thread (threaded: requests run side by side)."""

    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    text: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is the answer we check, not something to follow


class Visitor:
    """A visitor with its own cookies, talking HTTP to the live server (redirects not followed)."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        cookies = urllib.request.HTTPCookieProcessor(CookieJar())
        self.opener = urllib.request.build_opener(cookies, _NoRedirects)

    def request(self, method: str, path: str, data: dict | None = None) -> Response:
        body = urllib.parse.urlencode(data or {}, doseq=True).encode() if method == "POST" else None
        request = urllib.request.Request(self.base_url + path, data=body, method=method)  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as answer:
                return Response(answer.status, dict(answer.headers), answer.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read().decode())

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, data: dict) -> Response:
        return self.request("POST", path, data)
