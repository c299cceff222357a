"""`flask users ...`: staff roles from the command line (bootstrapping the first staff)."""

import click
from flask.cli import AppGroup

from models.member import STAFF_ROLES
from services.members import MembershipError
from services.staff import set_role


@click.group(cls=AppGroup)
def users() -> None:
    """Member accounts and staff roles."""


@users.command("grant-role")
@click.argument("email")
@click.argument("role", type=click.Choice(STAFF_ROLES))
def grant_role(email: str, role: str) -> None:
    """Make an active member a moderator or the privacy officer."""
    try:
        member_id = set_role(email, role)
    except MembershipError as error:
        raise click.ClickException(f"no active member with that e-mail address ({error.code})") from None
    click.echo(f"users: member {member_id} is now {role}")


@users.command("revoke-role")
@click.argument("email")
def revoke_role(email: str) -> None:
    """Take a member's staff role away."""
    try:
        member_id = set_role(email, None)
    except MembershipError as error:
        raise click.ClickException(f"no active member with that e-mail address ({error.code})") from None
    click.echo(f"users: member {member_id} holds no staff role")
