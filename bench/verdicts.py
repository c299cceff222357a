"""Rows whose verdict follows from the numbers: a ratio against a floor or a ceiling, a count against zero."""

from __future__ import annotations

from bench.report import Row


def ratio(measured: float, baseline: float) -> float | None:
    """measured / baseline, or None when the baseline measured nothing."""
    return measured / baseline if baseline > 0 else None


def at_least(
    area: str, name: str, measured: str, baseline: str, value: float | None, floor: float, note: str = ""
) -> Row:
    """A row met when the ratio reaches floor (missed when there is no ratio to judge)."""
    met = value is not None and value >= floor
    return Row(area, name, measured, baseline, value, f">= {floor:.2f}x", met, note)


def at_most(area: str, name: str, measured: str, baseline: str, value: float | None, ceiling: float) -> Row:
    """A row met when the ratio stays at or under ceiling."""
    met = value is not None and value <= ceiling
    return Row(area, name, measured, baseline, value, f"<= {ceiling:.2f}x", met)


def within_ms(area: str, name: str, measured: str, baseline: str, seconds: float, limit_ms: float) -> Row:
    """A row met when a latency (in seconds) stays at or under limit_ms milliseconds."""
    return Row(area, name, measured, baseline, None, f"<= {limit_ms:g} ms", seconds * 1000 <= limit_ms)


def no_errors(area: str, name: str, errors: int, total: int, note: str = "") -> Row:
    """A row met when none of total requests failed."""
    return Row(area, name, f"{errors} of {total} requests", "-", None, "0", errors == 0 and total > 0, note)
