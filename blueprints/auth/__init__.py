"""Joining, signing in and out, and password resets."""

from flask import Blueprint, g, session
from flask_babel import lazy_gettext as _l

from blueprints.access import SESSION_KEY
from extensions import login_manager
from services.auth import load_signed_in

bp = Blueprint("auth", __name__, url_prefix="/<lang:lang_code>")

login_manager.login_view = "auth.signin"
login_manager.login_message = _l("Please sign in to open that page.")
login_manager.login_message_category = "info"


@login_manager.user_loader
def load_member(session_id: str):
    """Flask-Login's loader: the member, if this cookie's session record still holds (kept in g)."""
    found = load_signed_in(session_id, session.get(SESSION_KEY))
    if found is None:
        return None
    member, g.session_record = found
    return member


from blueprints.auth import routes  # noqa: E402, F401  (attach views to bp)
