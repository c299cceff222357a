"""The pages the HTTP benchmarks load, chosen from what a seeded database holds.

The heaviest of each kind, not a lucky one: the board with the most posts, the active
photographer with the most portfolio photos, and a directory search with every filter the
directory has (the most common region and kind of shoot, the median price, and a free day:
the coming day most photographers have blocked), which match many profiles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from sqlalchemy import create_engine, text

from services.clock import seoul_today

LARGEST_BOARD = """
    SELECT b.slug FROM boards b JOIN posts p ON p.board_id = b.id
    WHERE p.status = 'published' GROUP BY b.slug ORDER BY count(*) DESC, b.slug LIMIT 1
"""
FULLEST_PROFILE = """
    SELECT p.id FROM photographer_profiles p JOIN members m ON m.id = p.member_id
    LEFT JOIN (SELECT profile_id, count(*) AS n FROM portfolio_photos GROUP BY profile_id) f
      ON f.profile_id = p.id
    WHERE m.status = 'active'
    ORDER BY coalesce(f.n, 0) DESC, p.review_count DESC, p.id LIMIT 1
"""
COMMONEST_REGION = "SELECT region FROM profile_regions GROUP BY region ORDER BY count(*) DESC, region LIMIT 1"
COMMONEST_SPECIALTY = (
    "SELECT specialty FROM profile_specialties GROUP BY specialty ORDER BY count(*) DESC, specialty LIMIT 1"
)
BUSIEST_DAY = (
    "SELECT day FROM blocked_dates WHERE day >= CURRENT_DATE GROUP BY day ORDER BY count(*) DESC, day LIMIT 1"
)
MEDIAN_PRICE = """
    SELECT starting_price FROM photographer_profiles ORDER BY starting_price
    LIMIT 1 OFFSET (SELECT count(*) / 2 FROM photographer_profiles)
"""


@dataclass(frozen=True)
class Pages:
    """Paths (Korean) of the three measured pages."""

    board: str
    profile: str
    search: str

    def named(self) -> list[tuple[str, str]]:
        """(label, path) in the order the results list them."""
        return [("board list", self.board), ("photographer profile", self.profile), ("search", self.search)]


def find_pages(database_url: str) -> Pages:
    """The measured pages of this database; RuntimeError when it has no board posts or photographers."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            slug = conn.scalar(text(LARGEST_BOARD))
            profile = conn.scalar(text(FULLEST_PROFILE))
            region = conn.scalar(text(COMMONEST_REGION))
            specialty = conn.scalar(text(COMMONEST_SPECIALTY))
            price = conn.scalar(text(MEDIAN_PRICE))
            day = conn.scalar(text(BUSIEST_DAY)) or seoul_today() + dt.timedelta(days=7)
    finally:
        engine.dispose()
    if slug is None or profile is None:
        raise RuntimeError(f"{database_url}: no published posts or no active photographer to measure")
    filters = {"region": region, "specialty": specialty, "day": str(day), "max_price": price}
    return Pages(
        board=f"/ko/boards/{slug}/",
        profile=f"/ko/photographers/{profile}",
        search="/ko/photographers/?" + urlencode({k: v for k, v in filters.items() if v is not None}),
    )
