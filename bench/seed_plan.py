"""What one benchmark seed is asked to build, and the shared clock and shape every generator follows."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

BENCH_PASSWORD = "bench-pass-2026!"  # noqa: S105  # nosec B105 - published on purpose, benchmarks only
BENCH_MEMBER_EMAIL = "bench-member@usnaper.example"
BENCH_PHOTOGRAPHER_EMAIL = "bench-photographer@usnaper.example"
SPAN = timedelta(days=730)  # two years of history behind the anchor day

# Where photographers work: most in the capital area, Busan and Jeju (weights in percent).
REGION_WEIGHTS = {
    "seoul": 30,
    "gyeonggi": 22,
    "busan": 12,
    "jeju": 12,
    "incheon": 5,
    "daegu": 4,
    "gangwon": 3,
    "gyeongbuk": 2,
    "gyeongnam": 2,
    "daejeon": 2,
    "gwangju": 1,
    "ulsan": 1,
    "sejong": 1,
    "chungbuk": 1,
    "chungnam": 1,
    "jeonbuk": 1,
    "jeonnam": 1,
}
REGION_KO = {
    "seoul": "서울",
    "gyeonggi": "경기",
    "busan": "부산",
    "jeju": "제주",
    "incheon": "인천",
    "daegu": "대구",
    "gangwon": "강원",
    "gyeongbuk": "경북",
    "gyeongnam": "경남",
    "daejeon": "대전",
    "gwangju": "광주",
    "ulsan": "울산",
    "sejong": "세종",
    "chungbuk": "충북",
    "chungnam": "충남",
    "jeonbuk": "전북",
    "jeonnam": "전남",
}
SPECIALTY_WEIGHTS = {
    "snap": 25,
    "wedding": 18,
    "profile": 16,
    "family": 14,
    "travel": 12,
    "event": 7,
    "product": 5,
    "pet": 3,
}
# The shipped boards and their share of the posts: one big board, two smaller ones.
BOARD_SHARES = {"free": 0.55, "questions": 0.30, "reviews": 0.15}


@dataclass
class SeedPlan:
    """The sizes and the seed of one run; anchor is the last day of the generated history."""

    posts: int
    photographers: int
    members: int
    seed: int = 2026
    anchor: date = field(default_factory=lambda: datetime.now(UTC).date())

    @property
    def accounts(self) -> int:
        """Bulk accounts: customers and photographers together (the bench accounts come on top)."""
        return self.members + self.photographers

    @property
    def end(self) -> datetime:
        """The instant the generated history stops: the start of the anchor day, UTC."""
        return datetime.combine(self.anchor, time(), UTC)

    @property
    def start(self) -> datetime:
        return self.end - SPAN

    def at(self, fraction: float) -> datetime:
        """The instant a fraction of the way through the history, on a growth curve.

        Signups and posts both follow it: the site grows, so the later months hold more (a sixth of
        the rows fall in the first six months). The n-th of N rows falls at (n/N)^0.75, which keeps
        ids in time order.
        """
        return self.start + SPAN * min(max(fraction, 0.0), 1.0) ** 0.75

    def rng(self, stream: str) -> random.Random:
        """A generator of its own per table family, so adding rows to one leaves the others alone."""
        return random.Random(f"{self.seed}:{stream}")  # noqa: S311  # nosec B311 - fake data


PENDING, ACTIVE = 0, 1


@dataclass
class Population:
    """Who the bulk accounts are, for the generators that need authors and customers."""

    first_id: int
    status: bytearray = field(default_factory=bytearray)
    # Profile id -> (member id, created_at) of every bulk photographer.
    profiles: dict[int, tuple] = field(default_factory=dict)
    languages: bytearray = field(default_factory=bytearray)  # 1 for English-speaking members

    def member_id(self, index: int) -> int:
        return self.first_id + index

    def active(self, index: int) -> bool:
        return self.status[index] == ACTIVE


def weighted(rng: random.Random, weights: dict[str, int]) -> str:
    """One key drawn by weight."""
    return rng.choices(tuple(weights), weights=tuple(weights.values()))[0]
