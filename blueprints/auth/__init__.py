"""Joining, signing in and out, and password resets."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from extensions import login_manager
from services.auth import load_member

bp = Blueprint("auth", __name__, url_prefix="/<lang:lang_code>")

login_manager.login_view = "auth.signin"
login_manager.login_message = _l("Please sign in to open that page.")
login_manager.login_message_category = "info"
login_manager.user_loader(load_member)

from blueprints.auth import routes  # noqa: E402, F401  (attach views to bp)
