"""The purge and dormancy benchmarks' pure parts: which floor a row is judged against, and how it says so."""

from bench.areas import dormancy, purge


def _run(seconds: float, growth_kb: int = 2048) -> dict:
    return {"seconds": seconds, "growth_kb": growth_kb}


def test_purge_rows_name_the_raw_delete_they_are_judged_against() -> None:
    rows = purge.rows_for("purge", {10_000: (_run(0.5), _run(0.25)), 100_000: (_run(1.0), _run(2.0))})
    small, large, memory = rows
    assert small.baseline == "40,000 rows/s: raw batched DELETE of the same rows"
    assert (round(small.ratio, 2), small.met) == (0.5, False)
    assert (large.ratio, large.met) == (2.0, True)
    assert memory.name == "peak RSS growth 100,000 vs 10,000" and memory.met is True


def test_dormancy_is_judged_against_the_issues_delete_and_shows_the_same_work_floor_beside_it() -> None:
    # Faster than the raw DELETE of the same members, slower than the raw copy and stub.
    rows = dormancy.rows_for({10_000: (_run(1.0), _run(2.0), _run(0.5))})
    judged, same_work, memory = rows
    assert "raw batched DELETE of the same members" in judged.baseline
    assert (judged.ratio, judged.goal, judged.met) == (2.0, ">= 0.8x", True)
    assert "raw copy into the dormant store" in same_work.baseline and "no sealing" in same_work.baseline
    assert (same_work.ratio, same_work.goal, same_work.met) == (0.5, "(info)", None)
    assert same_work.cells()[6] == "-"  # never printed as a verdict
    assert memory.note == "floor +2.0 MB at 10,000"  # the judged floor's, not the other one's
