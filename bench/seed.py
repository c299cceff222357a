"""`flask bench seed`: a large, realistic, fictional database for the benchmarks, built in minutes.

The two bench accounts go through the real signup and profile services; everything else is written
in bulk (COPY on PostgreSQL, executemany on SQLite) with explicit ids, one bcrypt hash shared by
every bulk account, and secrets from the app's configuration (run it with bench.server.site_env,
so the served site can read what was encrypted here).
"""

from __future__ import annotations

import os
from collections.abc import Callable

from flask import current_app
from sqlalchemy import Connection, func, select, text, update

from bench import seed_boards, seed_people, seed_shoots
from bench.seed_accounts import bench_accounts
from bench.seed_load import BulkWriter, analyze, reset_sequences, restore_after_load, tune_for_load
from bench.seed_photos import link_portfolio_files
from bench.seed_plan import BENCH_PASSWORD, SeedPlan
from bench.seed_shoots import FULL_PROFILE_REVIEWS, ShootWriter
from extensions import db
from models.board import Board
from models.consent import CONSENT_ITEMS
from models.member import Member
from models.photographer import PhotographerProfile
from services.boards import sync_boards
from services.passwords import hash_password
from services.policies import current_version, sync_shipped_versions

COLUMNS = seed_people.COLUMNS | seed_shoots.COLUMNS | seed_boards.COLUMNS
ID_TABLES = tuple(table for table, columns in COLUMNS.items() if columns[0] == "id")
KEPT_ON_FORCE = ("policy_versions", "alembic_version")


class SeedRefused(Exception):
    """The database must not be seeded as things stand; the message says why."""


def refusal(force: bool) -> str | None:
    """Why seeding this database is refused, or None when it may go ahead."""
    name = db.engine.url.database or ""
    if os.environ.get("APP_ENV") == "production" and "bench" not in name:
        return (
            f"refusing to seed {name!r} under APP_ENV=production: the seed publishes its passwords, "
            "so only a database whose name contains 'bench' may be seeded there"
        )
    if not force and db.session.scalar(select(Member.id).limit(1)) is not None:
        return f"{name!r} already has members; pass --force to empty it and seed it again"
    return None


def estimate_rows(plan: SeedPlan) -> int:
    """About how many rows a plan writes, for the progress bar."""
    return plan.accounts * 7 + plan.posts * 2 + plan.photographers * 24


def seed(
    plan: SeedPlan, force: bool, progress: Callable[[int], None], photo_files: bool = False
) -> dict[str, int]:
    """Build the database the plan describes; returns the rows written per table."""
    problem = refusal(force)
    if problem:
        raise SeedRefused(problem)
    if force:
        _empty()
    sync_shipped_versions()
    sync_boards()
    photographer_member, profile = bench_accounts(plan.start)
    # Read now: inside the load the session must not touch the database (SQLite would be locked).
    bench_profile, bench_photographer = profile.id, photographer_member.id
    versions = _consent_versions()
    boards = dict(db.session.execute(select(Board.slug, Board.id)).all())
    password_hash = hash_password(BENCH_PASSWORD)  # once: bcrypt per row would take hours
    db.session.commit()
    with db.engine.begin() as connection:
        tune_for_load(connection)
        writer = BulkWriter(connection, COLUMNS, progress, _next_ids(connection))
        first_photo = writer.next_ids["portfolio_photos"]
        population = seed_people.write_members(
            plan, writer, writer.next_ids["members"], password_hash, versions
        )
        writer.next_ids["members"] += plan.accounts
        shoots = ShootWriter(plan, writer, current_app.config["COMMISSION_RATE_BP"])
        seed_people.write_profiles(plan, writer, population, shoots)
        writer.next_ids["photographer_profiles"] += len(population.profiles)
        # The bench photographer's profile is the "full" one: a long review list behind it.
        rating, reviews = shoots.chains(
            bench_profile, bench_photographer, plan.start, FULL_PROFILE_REVIEWS, population
        )
        seed_boards.write_posts(plan, writer, population, boards)
        writer.flush()
        table = PhotographerProfile.__table__
        connection.execute(
            update(table).where(table.c.id == bench_profile).values(rating=rating, review_count=reviews)
        )
        restore_after_load(connection)
        reset_sequences(connection, ID_TABLES)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        analyze(connection)
    written = dict(writer.written)
    if photo_files:
        written["photo files"] = link_portfolio_files(first_photo)
    return written


def _empty() -> None:
    """Remove every row but the registered policy texts (--force)."""
    db.session.commit()
    tables = [table for table in db.metadata.sorted_tables if table.name not in KEPT_ON_FORCE]
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(table.name for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))  # nosec B608 - model names
        else:
            for table in reversed(tables):
                connection.execute(table.delete())
            connection.exec_driver_sql("DELETE FROM sqlite_sequence")


def _next_ids(connection: Connection) -> dict[str, int]:
    """The first free id of every table the bulk writer fills."""
    return {
        name: (connection.execute(select(func.max(db.metadata.tables[name].c.id))).scalar() or 0) + 1
        for name in ID_TABLES
    }


def _consent_versions() -> dict[str, str]:
    """The policy version each consent item is given under (terms for terms, privacy for the rest)."""
    privacy, terms = current_version("privacy"), current_version("terms")
    privacy_version = privacy.version if privacy else "-"
    return {item: terms.version if terms and item == "terms" else privacy_version for item in CONSENT_ITEMS}
