"""`flask demo load`: the demo content `make run` shows a newcomer."""

import click
from flask.cli import AppGroup

from services.demo import DEMO_MEMBER, load_demo_content


@click.group(cls=AppGroup)
def demo() -> None:
    """Demo content for development."""


@demo.command("load")
def load() -> None:
    """Load the bilingual demo content; what is already there is not added again."""
    added = load_demo_content()
    click.echo("demo: added " + ", ".join(f"{count} {name}" for name, count in added.items()))
    click.echo(
        f"demo accounts (sign in at http://127.0.0.1:5000/ko/signin):\n"
        f"  member        {DEMO_MEMBER['email']} / {DEMO_MEMBER['password']}\n"
        "  photographer, moderator, privacy officer: not yet (their features have not landed)"
    )
    click.echo("development outbox (e-mails as recipients see them): http://127.0.0.1:5000/ko/dev/outbox")
