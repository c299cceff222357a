"""Views of the policies blueprint."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import abort, render_template
from flask_babel import get_locale

from blueprints.policies import bp
from services.policies import POLICY_KINDS, current_version, find_version, version_status, versions
from services.policy_notices import comparison, version_context

if TYPE_CHECKING:
    from models.policy import PolicyVersion

KIND_RULE = f"<any({', '.join(POLICY_KINDS)}):kind>"


def render_version(kind: str, shown: PolicyVersion | None):
    """Render one version of a legal text with the numbers it states and today's contacts."""
    if shown is None:
        abort(404)
    current = current_version(kind)
    return render_template(
        "policies/show.html",
        current=current,
        status=version_status(shown, current),
        **version_context(shown, str(get_locale())),
    )


@bp.get(f"/{KIND_RULE}")
def current(kind: str):
    """The version of the privacy policy or terms in force today."""
    return render_version(kind, current_version(kind))


@bp.get(f"/{KIND_RULE}/<version:version>")
def version(kind: str, version: str):
    """One version, current or earlier, at its own lasting URL."""
    return render_version(kind, find_version(kind, version))


@bp.get(f"/{KIND_RULE}/<version:version>/changes")
def changes(kind: str, version: str):
    """What an announced version changes: its summary and a line-by-line comparison of the texts."""
    shown = find_version(kind, version)
    if shown is None:
        abort(404)
    locale = str(get_locale())
    previous, hunks = comparison(shown, locale)
    current = current_version(kind)
    return render_template(
        "policies/changes.html",
        kind=kind,
        shown=shown,
        status=version_status(shown, current),
        previous=previous,
        hunks=hunks,
        locale=locale,
    )


@bp.get(f"/{KIND_RULE}/history")
def history(kind: str):
    """Every version with its dates and change summary."""
    rows = versions(kind)
    current = current_version(kind)
    return render_template(
        "policies/history.html",
        kind=kind,
        rows=[(row, version_status(row, current)) for row in rows],
        locale=str(get_locale()),
    )
