"""`flask translate ...`: the one workflow for the message catalogs."""

import subprocess  # noqa: S404 - runs pybabel from our own venv with fixed arguments
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "translations" / "messages.pot"
CATALOGS = ROOT / "translations"
CATALOG_WIDTH = 100


def pybabel(*args: str) -> None:
    """Run a pybabel sub-command, stopping the CLI when it fails."""
    command = [sys.executable, "-m", "babel.messages.frontend", *args]
    if subprocess.call(command, cwd=ROOT):  # noqa: S603 - fixed argument list
        raise click.ClickException("pybabel " + args[0] + " failed")


@click.group(cls=AppGroup)
def translate() -> None:
    """Extract, update and compile the translations."""


@translate.command("extract")
def extract() -> None:
    """Collect every translatable string into translations/messages.pot."""
    # Babel skips folders starting with "_" unless told otherwise: templates/_partials must count.
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "--omit-header",
        "--width",
        str(CATALOG_WIDTH),
        "--ignore-dirs",
        ".* __pycache__",
        "-o",
        str(POT),
        ".",
    )


@translate.command("update")
def update() -> None:
    """Extract, then merge new strings into every catalog (new ones are left to translate)."""
    extract.callback()
    # One line width for every tool that writes the catalog, so an update changes only what changed.
    pybabel(
        "update",
        "-i",
        str(POT),
        "-d",
        str(CATALOGS),
        "--no-fuzzy-matching",
        "--ignore-obsolete",
        "--width",
        str(CATALOG_WIDTH),
    )


@translate.command("compile")
def compile_catalogs() -> None:
    """Build the .mo files the app reads."""
    pybabel("compile", "-d", str(CATALOGS), "--statistics")


@translate.command("init")
@click.argument("language")
def init(language: str) -> None:
    """Start a catalog for a new language."""
    pybabel("init", "-i", str(POT), "-d", str(CATALOGS), "-l", language)
