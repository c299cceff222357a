"""Closed-loop maximum throughput with wrk, and the summary line its Lua script prints."""

from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404 - wrk with arguments we build
from pathlib import Path

from bench.paced import Summary

LUA = Path(__file__).with_name("wrk_report.lua")
MARK = "BENCH "


class WrkMissing(RuntimeError):
    """wrk is not installed; the message says how to get it."""


def wrk_binary() -> str:
    """The path of wrk, or WrkMissing telling the operator how to install it."""
    found = shutil.which("wrk")
    if found is None:
        raise WrkMissing("wrk is not installed: `sudo apt-get install -y wrk` (Debian), then run again")
    return found


def parse_report(output: str) -> Summary:
    """The Summary in wrk's output: the `BENCH key=value ...` line wrk_report.lua writes."""
    line = next((x for x in output.splitlines() if x.startswith(MARK)), None)
    if line is None:
        raise ValueError("wrk printed no BENCH summary line (did the Lua script run?)")
    values = {}
    for pair in line.removeprefix(MARK).split():
        key, _, value = pair.partition("=")
        values[key] = int(value)
    socket_errors = sum(values[k] for k in ("connect", "read", "write", "timeout"))
    return Summary(
        sent=values["requests"],
        errors=values["non2xx"] + socket_errors,
        seconds=values["duration_us"] / 1e6,
        p50=values["p50_us"] / 1e6,
        p95=values["p95_us"] / 1e6,
        p99=values["p99_us"] / 1e6,
        max=values["max_us"] / 1e6,
    )


def wrk_run(
    url: str,
    seconds: float,
    headers: dict[str, str] | None = None,
    connections: int = 16,
    form: str | None = None,
    expect: int | None = None,
) -> Summary:
    """Load url for seconds with wrk (as fast as the server answers) and summarise the run.

    form makes every request a POST of that urlencoded body; expect is the one status that
    is not an error (default: any 2xx). One wrk thread: on a small machine wrk competes for
    the same cores as the server, and one thread drives thousands of requests a second.
    """
    command = [wrk_binary(), "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
    command += ["--timeout", "10s", "-s", str(LUA)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    env = {k: v for k, v in os.environ.items() if k not in ("BENCH_BODY", "BENCH_EXPECT")}
    if form is not None:
        env["BENCH_BODY"] = form
    if expect is not None:
        env["BENCH_EXPECT"] = str(expect)
    done = subprocess.run(  # noqa: S603  # nosec B603
        command, capture_output=True, text=True, timeout=seconds + 60, check=False, env=env
    )
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return parse_report(done.stdout)
