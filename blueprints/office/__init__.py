"""The privacy office's console: roles, the access audit, member look-ups, dashboards (SPEC §1, §13)."""

from flask import Blueprint

bp = Blueprint("office", __name__, url_prefix="/<lang:lang_code>/office")


@bp.after_request
def never_cached(response):
    """Console pages show staff, audit rows and masked addresses: no shared cache keeps them."""
    response.headers["Cache-Control"] = "no-store"
    return response


from blueprints.office import dashboards, routes, sessions  # noqa: E402, F401  (attach views to bp)
