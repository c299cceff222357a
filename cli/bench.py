"""`flask bench seed`: fill the database with the benchmarks' large, fictional data set (bench/README.md)."""

import time
from datetime import date

import click
from flask.cli import AppGroup

from bench.seed import SeedRefused, estimate_rows, seed
from bench.seed_photos import link_portfolio_files
from bench.seed_plan import BENCH_MEMBER_EMAIL, BENCH_PASSWORD, BENCH_PHOTOGRAPHER_EMAIL, SeedPlan


@click.group(cls=AppGroup)
def bench() -> None:
    """Benchmark tooling."""


@bench.command("seed")
@click.option("--posts", type=click.IntRange(0), default=10_000, show_default=True)
@click.option("--photographers", type=click.IntRange(0), default=1_000, show_default=True)
@click.option("--members", type=click.IntRange(1), default=20_000, show_default=True, help="Customers.")
@click.option("--seed", "seed_value", type=int, default=2026, show_default=True, help="Same seed, same rows.")
@click.option(
    "--anchor",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Last day of the two generated years (default today, UTC).",
)
@click.option("--force", is_flag=True, help="Empty a database that already has members, then seed it.")
@click.option(
    "--photo-files", is_flag=True, help="Hard-link a drawn JPEG under PHOTO_DIR for each portfolio row."
)
def seed_command(
    posts: int, photographers: int, members: int, seed_value: int, anchor, force: bool, photo_files: bool
) -> None:
    """Write a realistic fictional database: members, photographers, shoots, reviews, posts."""
    plan = SeedPlan(posts=posts, photographers=photographers, members=members, seed=seed_value)
    if anchor is not None:
        plan.anchor = date(anchor.year, anchor.month, anchor.day)
    started = time.monotonic()
    with click.progressbar(length=estimate_rows(plan), label="seeding", show_pos=True) as bar:
        try:
            written = seed(plan, force, bar.update, photo_files)
        except SeedRefused as refused:
            raise click.ClickException(str(refused)) from None
        bar.update(max(0, bar.length - bar.pos))
    click.echo(f"seeded in {time.monotonic() - started:.1f} s:")
    for table, count in written.items():
        click.echo(f"  {table:22} {count:>10,}")
    click.echo(f"sign in as {BENCH_MEMBER_EMAIL} or {BENCH_PHOTOGRAPHER_EMAIL} / {BENCH_PASSWORD}")


@bench.command("photo-files")
def photo_files_command() -> None:
    """Put a file under PHOTO_DIR for every portfolio row that has none (e.g. after /tmp was cleaned)."""
    click.echo(f"photo files: {link_portfolio_files():,} portfolio rows have files")
