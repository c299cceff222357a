"""Development-only pages: the outbox as recipients would see it (404 unless DEBUG)."""

from flask import Blueprint, abort, current_app

bp = Blueprint("dev", __name__, url_prefix="/<lang:lang_code>/dev")


@bp.before_request
def only_in_debug() -> None:
    """These pages do not exist outside development."""
    if not current_app.debug:
        abort(404)


from blueprints.dev import routes  # noqa: E402, F401  (attach views to bp)
