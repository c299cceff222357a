"""`python -m bench [AREA ...]`: run the benchmark areas, print and save the results."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import signal
import sys
import traceback

from bench.areas import AREA_ORDER
from bench.context import Context
from bench.report import Row, load_average, table, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("areas", nargs="*", choices=[[], *AREA_ORDER], help="default: all")
    parser.add_argument("--seconds", type=float, help="load time per measurement")
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs (a smoke run)")
    args = parser.parse_args(argv)
    # `timeout` and CI send SIGTERM: raise so every area's `finally` stops the servers it started.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    ctx = Context(quick=args.quick)
    if args.seconds:
        ctx.duration = args.seconds
    areas = args.areas or AREA_ORDER
    started = dt.datetime.now(dt.UTC)
    load_at_start = load_average()
    rows: list[Row] = []
    notes: list[str] = []
    for name in areas:
        print(f"== {name}", flush=True)
        try:
            area_rows = importlib.import_module(f"bench.areas.{name}").run(ctx)
        except Exception as exc:  # noqa: BLE001 - a broken area must not hide the others
            traceback.print_exc()
            notes.append(f"{name}: did not finish: {exc!r}")
            continue
        print(table(area_rows), flush=True)
        rows += area_rows
    path = write(rows, areas, started, notes, load_at_start)
    print("\n" + table(rows))
    for note in notes:
        print("-", note)
    print(f"\nwritten to {path.relative_to(path.parents[2])}")
    return 1 if notes else 0


def _exit_on_sigterm(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    sys.exit(main())
