"""`flask demo load`: the demo content `make run` shows a newcomer."""

import click
from flask import current_app
from flask.cli import AppGroup

from services.demo import load_demo_content
from services.demo_accounts import (
    DEMO_MEMBER,
    DEMO_MODERATOR,
    DEMO_NEIGHBOUR,
    DEMO_OFFICER,
    DEMO_PHOTOGRAPHER,
    DEMO_TROLL,
    demo_code,
)


@click.group(cls=AppGroup)
def demo() -> None:
    """Demo content for development."""


@demo.command("load")
def load() -> None:
    """Load the bilingual demo content; what is already there is not added again."""
    if not current_app.config["DEMO_CONTENT_ALLOWED"]:
        raise click.ClickException(
            "demo content (with published passwords) is for development only; APP_ENV is not development"
        )
    added = load_demo_content()
    click.echo("demo: added " + ", ".join(f"{count} {name}" for name, count in added.items()))
    click.echo(
        f"demo accounts (sign in at http://127.0.0.1:5000/ko/signin):\n"
        f"  member        {DEMO_MEMBER['email']} / {DEMO_MEMBER['password']}\n"
        f"  member        {DEMO_NEIGHBOUR['email']} / {DEMO_NEIGHBOUR['password']}\n"
        f"  troll         {DEMO_TROLL['email']} / {DEMO_TROLL['password']}\n"
        f"  moderator     {DEMO_MODERATOR['email']} / {DEMO_MODERATOR['password']}"
        f"  (two-step key {DEMO_MODERATOR['two_step_key']})\n"
        f"  photographer  {DEMO_PHOTOGRAPHER['email']} / {DEMO_PHOTOGRAPHER['password']}\n"
        f"  privacy officer  {DEMO_OFFICER['email']} / {DEMO_OFFICER['password']}"
        f"  (two-step key {DEMO_OFFICER['two_step_key']})"
    )
    click.echo("staff sign in with a two-step code: `make demo-code WHO=<e-mail>` prints the current one")
    click.echo("development outbox (e-mails as recipients see them): http://127.0.0.1:5000/ko/dev/outbox")


@demo.command("code")
@click.argument("email")
def code(email: str) -> None:
    """Print the current two-step code of a demo staff account (development only)."""
    if not current_app.config["DEMO_CONTENT_ALLOWED"]:
        raise click.ClickException("demo codes are for development only; APP_ENV is not development")
    found = demo_code(email)
    if found is None:
        raise click.ClickException(f"{email} is not a demo staff account with two-step sign-in")
    click.echo(found)
