"""The home page, the cookie notice and honest placeholders for features not open yet."""

from flask import Blueprint

bp = Blueprint("pages", __name__, url_prefix="/<lang:lang_code>")

from blueprints.pages import routes  # noqa: E402, F401  (attach views to bp)
