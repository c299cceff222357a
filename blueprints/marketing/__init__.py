"""Marketing e-mail by consent: the privacy officer's campaigns, one-click unsubscribe (SPEC §10)."""

from flask import Blueprint

bp = Blueprint("marketing", __name__, url_prefix="/<lang:lang_code>")

from blueprints.marketing import routes  # noqa: E402, F401  (attach views to bp)
