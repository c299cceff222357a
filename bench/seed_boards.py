"""Posts and comments on the shipped boards for the benchmark seed."""

from __future__ import annotations

from datetime import timedelta

from bench.seed_load import BulkWriter
from bench.seed_plan import BOARD_SHARES, Population, SeedPlan
from bench.seed_text import comment_text, post_text
from services.text import digest

COLUMNS = {
    "posts": (
        "id",
        "board_id",
        "author_id",
        "title",
        "comment_count",
        "body",
        "body_hash",
        "status",
        "status_reason",
        "masked",
        "created_at",
        "edited_at",
    ),
    "comments": (
        "id",
        "post_id",
        "author_id",
        "body",
        "body_hash",
        "status",
        "status_reason",
        "masked",
        "created_at",
        "edited_at",
    ),
}
# Most content is published; a little is held by a spam rule, hidden after reports, or blinded.
STATUSES = (
    (0.975, "published", None),
    (0.985, "held", "new_account_links"),
    (0.992, "hidden", "reports"),
    (0.997, "hidden", "moderator"),
    (1.0, "blinded", "measure"),
)


def _status(rng) -> tuple[str, str | None]:
    roll = rng.random()
    return next((status, reason) for bound, status, reason in STATUSES if roll < bound)


def _author(rng, population: Population, available: int) -> int | None:
    """An author who had joined by then; older members write more, a few posts outlived theirs."""
    if rng.random() < 0.015:
        return None  # a withdrawn member chose to leave the post up
    for _ in range(4):
        index = int(max(available, 1) * rng.random() ** 2)
        if population.active(index):
            return population.member_id(index)
    return population.member_id(0)


def write_posts(plan: SeedPlan, writer: BulkWriter, population: Population, boards: dict[str, int]) -> None:
    """plan.posts posts in time order, each with its comments (about 1.3 a post, a few long threads)."""
    rng = plan.rng("posts")
    post_id, comment_id = writer.next_ids["posts"], writer.next_ids["comments"]
    slugs, shares = tuple(BOARD_SHARES), tuple(BOARD_SHARES.values())
    board_ids, cumulative = [boards[slug] for slug in slugs], _cumulative(shares)
    accounts = plan.accounts
    for number in range(plan.posts):
        created = plan.at((number + rng.random()) / plan.posts)
        available = int(accounts * (number + 1) / plan.posts)
        author = _author(rng, population, available)
        english = author is not None and population.languages[author - population.first_id] == 1
        english = english or rng.random() < 0.1
        title, body = post_text(rng, english)
        status, reason = _status(rng)
        edited = created + timedelta(hours=rng.randrange(1, 72)) if rng.random() < 0.05 else None
        shown = 0
        comments = 0 if rng.random() < 0.5 else 1 + min(int(rng.expovariate(0.5)), 120)
        if status != "published":
            comments = min(comments, 2)  # it was not shown long enough to collect a thread
        for _ in range(comments):
            when = min(created + timedelta(minutes=int(rng.expovariate(1 / 600)) + 1), plan.end)
            text = comment_text(rng, english)
            c_status, c_reason = ("published", None) if rng.random() < 0.99 else ("hidden", "reports")
            shown += c_status == "published"
            commenter = _author(rng, population, available)
            writer.add(
                "comments",
                (comment_id, post_id, commenter, text, digest(text), c_status, c_reason, False, when, None),
            )
            comment_id += 1
        board = board_ids[rng.choices(range(len(slugs)), cum_weights=cumulative)[0]]
        writer.add(
            "posts",
            (
                post_id,
                board,
                author,
                title,
                shown,
                body,
                digest(body),
                status,
                reason,
                False,
                created,
                edited,
            ),
        )
        post_id += 1
    writer.next_ids["posts"], writer.next_ids["comments"] = post_id, comment_id


def _cumulative(shares: tuple[float, ...]) -> list[float]:
    total, out = 0.0, []
    for share in shares:
        total += share
        out.append(total)
    return out
