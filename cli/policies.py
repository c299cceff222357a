"""`flask policies ...`: keep the shipped legal texts registered."""

import click
from flask.cli import AppGroup

from services.policies import sync_shipped_versions


@click.group(cls=AppGroup)
def policies() -> None:
    """Privacy policy and terms versions."""


@policies.command("sync")
def sync() -> None:
    """Register the policy versions that ship with the code (safe to run on every deploy)."""
    added = sync_shipped_versions()
    click.echo(f"policies: {added} shipped version(s) added")
