"""Flask CLI commands a person or a deploy script types."""

from flask import Flask


def register_commands(app: Flask) -> None:
    """Attach every command group to the app."""
    from cli.demo import demo
    from cli.mail import mail
    from cli.policies import policies
    from cli.translate import translate
    from jobs.cli import jobs

    for group in (demo, jobs, mail, policies, translate):
        app.cli.add_command(group)
