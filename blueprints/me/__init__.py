"""My info: what the site holds about me, the JSON export, my consents."""

from flask import Blueprint

bp = Blueprint("me", __name__, url_prefix="/<lang:lang_code>/me")

from blueprints.me import routes, security  # noqa: E402, F401  (attach views to bp)
