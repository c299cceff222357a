"""An open-loop load client: requests leave at a fixed rate whether or not the server keeps up.

wrk is closed-loop (a connection sends its next request only after the last answer), so a
slow server slows the load and its stalls vanish from the percentiles (coordinated omission).
Here request i is due at start + i / rate; its latency is counted from that due time, so time
spent waiting for a free connection behind a stall counts against the server, as a user would feel it.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Summary:
    """What a load run measured; latencies in seconds."""

    sent: int
    errors: int
    seconds: float
    p50: float
    p95: float
    p99: float
    max: float

    @property
    def rps(self) -> float:
        """Answers per second over the run (errors included)."""
        return self.sent / self.seconds if self.seconds else 0.0

    def describe(self) -> str:
        """'312 req/s, p50 4.1 / p95 9.0 / p99 15.2 ms' for a results table."""
        ms = [f"{1000 * v:.1f}" for v in (self.p50, self.p95, self.p99)]
        return f"{self.rps:.0f} req/s, p50 {ms[0]} / p95 {ms[1]} / p99 {ms[2]} ms"


def percentile(sorted_values: list[float], q: float) -> float:
    """The nearest-rank q-th percentile (0 < q <= 100) of ascending values; 0.0 for none.

    Nearest rank never invents a value between two samples, and p100 is the maximum.
    """
    if not sorted_values:
        return 0.0
    if not 0 < q <= 100:
        raise ValueError(f"percentile must be in (0, 100], got {q}")
    rank = math.ceil(q / 100 * len(sorted_values))
    return sorted_values[rank - 1]


def summarise(latencies: list[float], errors: int, seconds: float) -> Summary:
    """The summary of one run's latencies (every request, failed ones included)."""
    ordered = sorted(latencies)
    return Summary(
        sent=len(ordered),
        errors=errors,
        seconds=seconds,
        p50=percentile(ordered, 50),
        p95=percentile(ordered, 95),
        p99=percentile(ordered, 99),
        max=ordered[-1] if ordered else 0.0,
    )


def due_times(start: float, rate: float, seconds: float) -> list[float]:
    """When each request of a run is due: evenly spaced at rate per second for seconds."""
    return [start + i / rate for i in range(int(rate * seconds))]


def request_bytes(url: str, headers: dict[str, str]) -> bytes:
    """An HTTP/1.1 GET for url with headers, as it goes on the wire."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", "User-Agent: usnaper-bench-paced"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; return its status and whether the connection may be reused."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
    status_line, *header_lines = head.split("\r\n")
    version, status = status_line.split(" ", 2)[:2]
    fields = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            fields[name.strip().lower()] = value.strip().lower()
    if fields.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif "content-length" in fields:
        await reader.readexactly(int(fields["content-length"]))
    else:
        await reader.read()
        return int(status), False
    reusable = fields.get("connection") != "close" and version == "HTTP/1.1"
    return int(status), reusable


async def _run(url: str, headers: dict[str, str], rate: float, seconds: float, connections: int) -> Summary:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    payload = request_bytes(url, headers)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    due = due_times(start, rate, seconds)
    next_index = itertools.count()
    latencies: list[float] = []
    errors = 0

    async def connection() -> None:
        nonlocal errors
        stream = None
        # Each free connection takes the next due request, in order: when all are busy, the
        # next request's due time passes while it waits, and that wait is in its latency.
        for i in next_index:
            if i >= len(due):
                break
            delay = due[i] - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                if stream is None:
                    stream = await asyncio.open_connection(host, port)
                stream[1].write(payload)
                status, reusable = await asyncio.wait_for(_read_response(stream[0]), timeout=10)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
                status, reusable = 0, False
            latencies.append(loop.time() - due[i])
            if not 200 <= status < 300:
                errors += 1
            if not reusable and stream is not None:
                stream[1].close()
                stream = None
        if stream is not None:
            stream[1].close()

    began = time.monotonic()
    await asyncio.gather(*(connection() for _ in range(connections)))
    return summarise(latencies, errors, time.monotonic() - began)


def paced_run(
    url: str, rate: float, seconds: float, headers: dict[str, str] | None = None, connections: int = 32
) -> Summary:
    """GET url at rate requests/s for seconds over up to connections connections; latencies from due time."""
    return asyncio.run(_run(url, headers or {}, rate, seconds, connections))
