"""`flask policies ...`: keep the shipped legal texts registered."""

import click
from flask import current_app
from flask.cli import AppGroup

from services.policies import drift_from_policies_in_force, sync_shipped_versions


@click.group(cls=AppGroup)
def policies() -> None:
    """Privacy policy and terms versions."""


@policies.command("sync")
def sync() -> None:
    """Register the shipped policy versions and check the settings still match the policies in force."""
    added = sync_shipped_versions()
    click.echo(f"policies: {added} shipped version(s) added")
    drift = drift_from_policies_in_force()
    for kind, names in drift.items():
        click.echo(
            f"policies: the {kind} policy in force states other values for {', '.join(names)} than "
            "the configuration; publish a new version with notice or restore the settings",
            err=True,
        )
    if drift and current_app.config["POLICY_DRIFT_IS_FATAL"]:
        raise SystemExit(1)
