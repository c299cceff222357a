"""The privacy office's console: roles, the access audit, member look-ups, dashboards (SPEC §1, §13)."""

from flask import Blueprint

bp = Blueprint("office", __name__, url_prefix="/<lang:lang_code>/office")

from blueprints.office import dashboards, routes  # noqa: E402, F401  (attach views to bp)
