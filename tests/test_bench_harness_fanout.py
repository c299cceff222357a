"""The fan-out benchmark's pure parts: how many members, how long to wait, how the rows judge a result."""

from bench.areas import fanout
from bench.context import Context


def _result(messages: int, distinct: int, span: float, recipients: int | None = None) -> dict:
    return {
        "messages": messages,
        "recipients": messages if recipients is None else recipients,
        "distinct": distinct,
        "first": 1000.0,
        "last": 1000.0 + span,
        "started": 998.0,
        "work": {"xact_commit": 6 * messages, "tup_inserted": messages, "tup_updated": 2 * messages},
    }


def test_member_count_follows_quick_and_the_override(monkeypatch) -> None:
    monkeypatch.delenv("BENCH_FANOUT_MEMBERS", raising=False)
    assert fanout.member_count(Context(quick=True)) == 5_000
    assert fanout.member_count(Context(quick=False)) == 100_000
    monkeypatch.setenv("BENCH_FANOUT_MEMBERS", "20000")
    assert fanout.member_count(Context(quick=True)) == 20_000


def test_timeout_grows_with_the_members() -> None:
    assert fanout.timeout_for(100_000) > fanout.timeout_for(5_000) > 60


def test_a_fast_complete_run_meets_both_goals() -> None:
    rate, once = fanout.rows_for(1001, _result(1001, 1001, span=2.0))
    assert rate.measured == "500.0 msg/s"
    assert rate.met is True
    assert "6.0 commits" in rate.note
    assert once.met is True


def test_a_slow_run_misses_the_rate() -> None:
    rate, _ = fanout.rows_for(1001, _result(1001, 1001, span=10.0))
    assert rate.measured == "100.0 msg/s"
    assert rate.met is False


def test_an_incomplete_run_misses_even_when_fast() -> None:
    rate, once = fanout.rows_for(2000, _result(1001, 1001, span=1.0))
    assert rate.met is False
    assert once.met is False
    assert "999 missing" in once.note


def test_duplicates_are_counted_and_miss() -> None:
    _, once = fanout.rows_for(1000, _result(1003, 1000, span=5.0))
    assert once.met is False
    assert once.note.startswith("3 duplicate(s)")


def test_nothing_arrived_gives_a_zero_rate_not_an_error() -> None:
    result = {"messages": 0, "distinct": 0, "first": None, "last": None}
    rate, once = fanout.rows_for(100, result)
    assert rate.measured == "0.0 msg/s"
    assert rate.met is False
    assert once.met is False
