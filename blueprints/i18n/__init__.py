"""Language prefixes: the root redirect, the switcher, and locale selection for every request."""

from flask import Blueprint

bp = Blueprint("i18n", __name__)

from blueprints.i18n import hooks, routes  # noqa: E402, F401  (attach views and hooks to bp)
