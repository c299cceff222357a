"""`flask mail check`: send a test e-mail through the outbox to see the mail setup working."""

import click
from email_validator import EmailNotValidError, validate_email
from flask.cli import AppGroup

from config import Config
from extensions import db
from services.outbox import queue_email

LANGUAGES = list(Config.LANGUAGES)

mail = AppGroup("mail", help="E-mail through the outbox.")


@mail.command("check")
@click.argument("address")
@click.option("--lang", type=click.Choice(LANGUAGES), default=LANGUAGES[0], show_default=True)
def check(address: str, lang: str) -> None:
    """Queue a test message to ADDRESS; it is delivered like every other e-mail."""
    try:
        address = validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise click.BadParameter(str(exc), param_hint="ADDRESS") from None
    message = queue_email(address, "mail_check", lang, {})
    db.session.commit()
    click.echo(f"mail: message {message.id} queued for {address}")
