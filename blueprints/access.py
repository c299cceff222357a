"""Who may open staff pages: a decorator shared by the staff blueprints (SPEC §1).

Staff also need a session that passed the two-step code (STAFF_TWO_STEP_REQUIRED):
they open other people's data, so a stolen password alone must not reach it.
"""

from functools import wraps

from flask import abort, current_app, flash, redirect, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user

from blueprints.security.logging import log_access_refused

# What the session cookie carries besides Flask-Login's entry: the key of this session's
# record (services/sessions.py), and whether this session passed the two-step code.
SESSION_KEY = "sid"
TWO_STEP_FLAG = "two_step"


def current_session_key() -> str | None:
    """The key of the signed-in session's server-side record."""
    return session.get(SESSION_KEY)


def _two_step_missing():
    """Where staff go when this session has not passed the code step, or None when it has."""
    if not current_app.config["STAFF_TWO_STEP_REQUIRED"] or session.get(TWO_STEP_FLAG):
        return None
    if not current_user.uses_two_step:
        flash(_l("Staff pages need two-step sign-in. Set it up to go on."), "info")
        return redirect(url_for("me.two_step"))
    # Two-step is on but this session began without it: sign in again, with the code.
    logout_user()
    session.clear()
    flash(_l("Please sign in again with your two-step code to open staff pages."), "info")
    return redirect(url_for("auth.signin"))


def staff_required(*roles: str):
    """Let in signed-in staff holding one of roles (the privacy officer holds them all); others get 403."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                log_access_refused(needs="/".join(roles))
                abort(403)
            return _two_step_missing() or view(*args, **kwargs)

        protected = login_required(wrapped)
        # Read by the permission-matrix test, which finds every staff route in the URL map.
        protected.staff_roles = tuple(roles)
        return protected

    return decorate
