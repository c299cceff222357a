"""Flask CLI commands a person or a deploy script types."""

from flask import Flask


def register_commands(app: Flask) -> None:
    """Attach every command group to the app."""
    from cli.bench import bench
    from cli.boards import boards
    from cli.demo import demo
    from cli.deploy import check_deploy
    from cli.mail import mail
    from cli.policies import policies
    from cli.translate import translate
    from cli.users import users
    from jobs.cli import jobs

    for group in (bench, boards, demo, jobs, mail, policies, translate, users):
        app.cli.add_command(group)
    app.cli.add_command(check_deploy)
