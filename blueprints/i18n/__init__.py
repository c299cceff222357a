"""Language prefixes: the root redirect, the switcher, and locale selection for every request."""

from flask import Blueprint

bp = Blueprint("i18n", __name__)


@bp.record_once
def _install_catalogs(state) -> None:
    """Templates translate through the per-page cache (blueprints.i18n.catalog)."""
    from blueprints.i18n.catalog import install

    install(state.app)


from blueprints.i18n import hooks, routes  # noqa: E402, F401  (attach views and hooks to bp)
