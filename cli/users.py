"""`flask users ...`: staff roles from the command line (the first staff), logged like the console's."""

import click
from flask.cli import AppGroup

from models.member import STAFF_ROLES
from services.staff import StaffError, grant_role, revoke_role

# The command line speaks English only, like the other commands; the console words these for staff.
REFUSALS = {
    "bad_role": "choose moderator or privacy_officer",
    "no_member": "no active member with that e-mail address",
    "not_staff": "that member holds no staff role",
    "no_change": "that member already holds this role; nothing changed",
    "last_officer": "that is the only active privacy officer; make another member privacy officer first",
}


def _refused(error: StaffError) -> click.ClickException:
    return click.ClickException(f"{REFUSALS.get(error.code, error.code)} ({error.code})")


@click.group(cls=AppGroup)
def users() -> None:
    """Member accounts and staff roles."""


@users.command("grant-role")
@click.argument("email")
@click.argument("role", type=click.Choice(STAFF_ROLES))
def grant_role_command(email: str, role: str) -> None:
    """Make an active member a moderator or a privacy officer (logged as done by the command line)."""
    try:
        change = grant_role(email, role, actor_id=None)
    except StaffError as error:
        raise _refused(error) from None
    click.echo(f"users: member {change.member_id} is now {role}")


@users.command("revoke-role")
@click.argument("email")
def revoke_role_command(email: str) -> None:
    """Take a member's staff role away (never the last privacy officer's)."""
    try:
        change = revoke_role(email, actor_id=None)
    except StaffError as error:
        raise _refused(error) from None
    click.echo(f"users: member {change.member_id} holds no staff role")
