"""Privacy complaints and questions: the form anyone can send, and the privacy officer's queue (SPEC §12)."""

from flask import Blueprint

bp = Blueprint("complaints", __name__, url_prefix="/<lang:lang_code>")

from blueprints.complaints import routes  # noqa: E402, F401  (attach views to bp)
