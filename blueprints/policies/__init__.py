"""The privacy policy and the terms: current version, history, every old version."""

from flask import Blueprint

bp = Blueprint("policies", __name__, url_prefix="/<lang:lang_code>")

from blueprints.policies import routes  # noqa: E402, F401  (attach views to bp)
