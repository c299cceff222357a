"""The boards: members post and comment, visitors read, anyone signed in reports (SPEC §9)."""

from flask import Blueprint

bp = Blueprint("boards", __name__, url_prefix="/<lang:lang_code>/boards")

from blueprints.boards import routes  # noqa: E402, F401  (attach views to bp)
