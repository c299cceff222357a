"""Completed shoots behind the reviews: request, ask, booking, contact provisions, review.

A review only exists for a completed booking, so each one comes with the whole chain that led to it,
and the profile's rating and review count are set from the reviews written.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bench.seed_load import BulkWriter
from bench.seed_plan import REGION_WEIGHTS, SPECIALTY_WEIGHTS, Population, SeedPlan, weighted
from bench.seed_text import review_text

COLUMNS = {
    "shoot_requests": (
        "id",
        "customer_id",
        "region",
        "shoot_date",
        "time_window",
        "shoot_type",
        "people",
        "budget",
        "notes",
        "status",
        "created_at",
    ),
    "asks": (
        "id",
        "request_id",
        "profile_id",
        "status",
        "price",
        "message",
        "photographer_consent_at",
        "created_at",
        "expires_at",
        "answered_at",
    ),
    "bookings": (
        "id",
        "request_id",
        "ask_id",
        "customer_id",
        "profile_id",
        "photographer_id",
        "shoot_date",
        "price",
        "commission_rate_bp",
        "commission",
        "status",
        "customer_consent_at",
        "photographer_consent_at",
        "created_at",
        "ended_at",
    ),
    "contact_provisions": ("id", "booking_id", "owner_id", "recipient_id", "fields", "basis", "provided_at"),
    "reviews": (
        "id",
        "booking_id",
        "profile_id",
        "customer_id",
        "stars",
        "text",
        "reply",
        "created_at",
        "replied_at",
    ),
}
STARS = (5, 4, 3, 2, 1)
STAR_WEIGHTS = (60, 25, 10, 3, 2)
FULL_PROFILE_REVIEWS = 40  # the bench photographer's profile shows a long list


def _review_count(rng) -> int:
    if rng.random() < 0.4:
        return 0
    return min(int(rng.paretovariate(1.6) * 1.5), 300)


def _customer(rng, population: Population) -> int:
    for _ in range(8):
        index = rng.randrange(len(population.status))
        if population.active(index):
            return population.member_id(index)
    return population.member_id(0)


class ShootWriter:
    """Writes the chains, keeping the next id of each table and the ratings it produces."""

    def __init__(self, plan: SeedPlan, writer: BulkWriter, commission_bp: int):
        self.plan, self.writer, self.commission_bp = plan, writer, commission_bp
        self.rng, self.counts = plan.rng("shoots"), plan.rng("review-counts")

    def _next(self, table: str) -> int:
        value = self.writer.next_ids[table]
        self.writer.next_ids[table] = value + 1
        return value

    def chains(
        self, profile_id: int, photographer_id: int, since, count: int, population: Population
    ) -> tuple[float, int]:
        """count completed shoots of one photographer since the profile was made, each reviewed.

        Returns the profile's average stars and review count.
        """
        rng, plan, add = self.rng, self.plan, self.writer.add
        stars_total = 0
        for _ in range(count):
            customer = _customer(rng, population)
            asked = since + (plan.end - timedelta(days=3) - since) * rng.random()
            answered = asked + timedelta(hours=rng.randrange(1, 40))
            confirmed = answered + timedelta(hours=rng.randrange(1, 24))
            shoot_date = (confirmed + timedelta(days=rng.randrange(1, 40))).date()
            shoot_date = min(shoot_date, plan.anchor - timedelta(days=1))
            ended = datetime.combine(shoot_date, time(hour=rng.randrange(9, 19)), UTC)
            ended = min(max(ended, confirmed), plan.end)
            price = rng.randrange(5, 80) * 10_000
            request_id, ask_id, booking_id = (
                self._next("shoot_requests"),
                self._next("asks"),
                self._next("bookings"),
            )
            add(
                "shoot_requests",
                (
                    request_id,
                    customer,
                    weighted(rng, REGION_WEIGHTS),
                    shoot_date,
                    rng.choice(("morning", "afternoon", "evening", "flexible")),
                    weighted(rng, SPECIALTY_WEIGHTS),
                    rng.randint(1, 6),
                    price,
                    "",
                    "booked",
                    asked,
                ),
            )
            add(
                "asks",
                (
                    ask_id,
                    request_id,
                    profile_id,
                    "booked",
                    price,
                    "",
                    answered,
                    asked,
                    asked + timedelta(hours=48),
                    answered,
                ),
            )
            add(
                "bookings",
                (
                    booking_id,
                    request_id,
                    ask_id,
                    customer,
                    profile_id,
                    photographer_id,
                    shoot_date,
                    price,
                    self.commission_bp,
                    price * self.commission_bp // 10_000,
                    "completed",
                    confirmed,
                    answered,
                    confirmed,
                    ended,
                ),
            )
            for owner, recipient in ((customer, photographer_id), (photographer_id, customer)):
                add(
                    "contact_provisions",
                    (
                        self._next("contact_provisions"),
                        booking_id,
                        owner,
                        recipient,
                        ["email", "name"],
                        "booking_contract",
                        confirmed,
                    ),
                )
            stars = rng.choices(STARS, weights=STAR_WEIGHTS)[0]
            stars_total += stars
            written = min(ended + timedelta(days=rng.randrange(1, 10)), plan.end)
            english = population.languages[customer - population.first_id] == 1
            reply = (
                ("감사합니다! 또 뵙겠습니다." if not english else "Thank you, see you again!")
                if rng.random() < 0.3
                else None
            )
            add(
                "reviews",
                (
                    self._next("reviews"),
                    booking_id,
                    profile_id,
                    customer,
                    stars,
                    review_text(rng, english),
                    reply,
                    written,
                    written + timedelta(hours=5) if reply else None,
                ),
            )
        return (round(stars_total / count, 2) if count else 0.0), count

    def for_profile(
        self, profile_id: int, photographer_id: int, since, population: Population
    ) -> tuple[float, int]:
        """Reviewed shoots for one photographer: many have none, a few have hundreds."""
        return self.chains(profile_id, photographer_id, since, _review_count(self.counts), population)
