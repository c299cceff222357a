"""`flask demo load`: the demo content `make run` shows a newcomer."""

import click
from flask.cli import AppGroup

from services.demo import load_demo_content


@click.group(cls=AppGroup)
def demo() -> None:
    """Demo content for development."""


@demo.command("load")
def load() -> None:
    """Load the bilingual demo content; what is already there is not added again."""
    added = load_demo_content()
    click.echo("demo: added " + ", ".join(f"{count} {name}" for name, count in added.items()))
    click.echo("demo accounts: none yet (sign-up arrives with the membership feature)")
    click.echo("development outbox (e-mails as recipients see them): http://127.0.0.1:5000/ko/dev/outbox")
