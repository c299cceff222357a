"""The moderators' console: the queue, actions on posts and comments, suspensions and the log (SPEC §9)."""

from flask import Blueprint

bp = Blueprint("moderation", __name__, url_prefix="/<lang:lang_code>/moderation")

from blueprints.moderation import routes  # noqa: E402, F401  (attach views to bp)
