"""`flask check-deploy`: like Django's `check --deploy`, fail on settings unsafe in production."""

import click
from flask import current_app
from flask.cli import with_appcontext

from services.deploy_checks import ERROR, check_settings, development_secrets


@click.command("check-deploy")
@with_appcontext
def check_deploy() -> None:
    """Check the loaded configuration for unsafe production settings; exit 1 on any error."""
    # Under the CLI, DEBUG is FLASK_DEBUG's value: exactly what production's config (which leaves
    # DEBUG to Flask) would run with under gunicorn.
    problems = check_settings(current_app.config, development_secrets())
    for problem in problems:
        click.echo(problem.line(), err=True)
    if any(problem.level == ERROR for problem in problems):
        raise SystemExit(1)
    warnings = len(problems)
    click.echo(f"OK ({warnings} warning{'s' if warnings != 1 else ''})" if warnings else "OK")
