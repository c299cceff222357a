"""Shoot requests, asks and bookings: where customers and photographers make a deal (SPEC §7, §8)."""

from flask import Blueprint

bp = Blueprint("shoots", __name__, url_prefix="/<lang:lang_code>")

from blueprints.shoots import routes  # noqa: E402, F401  (attach views to bp)
