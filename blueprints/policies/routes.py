"""Views of the policies blueprint."""

from flask import abort, render_template
from flask_babel import get_locale

from blueprints.policies import bp
from models.policy import PolicyVersion
from services.policies import current_version, find_version, version_status, versions
from services.policy_facts import consignees, policy_facts
from services.retention import retention_categories

KIND_RULE = "<any(privacy, terms):kind>"


def render_version(kind: str, shown: PolicyVersion | None):
    """Render one version of a legal text with the facts its template states."""
    if shown is None:
        abort(404)
    locale = str(get_locale())
    current = current_version(kind)
    return render_template(
        "policies/show.html",
        kind=kind,
        shown=shown,
        current=current,
        status=version_status(shown, current),
        locale=locale,
        facts=policy_facts(),
        consignees=consignees(locale),
        retention=retention_categories(),
    )


@bp.get(f"/{KIND_RULE}")
def current(kind: str):
    """The version of the privacy policy or terms in force today."""
    return render_version(kind, current_version(kind))


@bp.get(f"/{KIND_RULE}/<version>")
def version(kind: str, version: str):
    """One version, current or earlier, at its own lasting URL."""
    return render_version(kind, find_version(kind, version))


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
