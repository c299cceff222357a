"""Drafting and scheduling new versions of the privacy policy and terms, with notice (SPEC §12)."""

from flask import Blueprint

bp = Blueprint("policy_drafts", __name__, url_prefix="/<lang:lang_code>/office/policies")

from blueprints.policy_drafts import routes  # noqa: E402, F401  (attach views to bp)
