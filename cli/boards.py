"""`flask boards sync`: make the database's boards match the ones the site ships with."""

import click
from flask.cli import AppGroup

from services.boards import sync_boards


@click.group(cls=AppGroup)
def boards() -> None:
    """Community boards."""


@boards.command("sync")
def sync() -> None:
    """Create or update the shipped boards (safe to run on every deploy)."""
    changed = sync_boards()
    click.echo(f"boards: {len(changed)} board(s) created or updated")
