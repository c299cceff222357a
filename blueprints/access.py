"""Who may open staff pages: a decorator shared by the staff blueprints (SPEC §1)."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from blueprints.security.logging import log_access_refused


def staff_required(*roles: str):
    """Let in signed-in staff holding one of roles (the privacy officer holds them all); others get 403."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                log_access_refused(needs="/".join(roles))
                abort(403)
            return view(*args, **kwargs)

        protected = login_required(wrapped)
        # Read by the permission-matrix test, which finds every staff route in the URL map.
        protected.staff_roles = tuple(roles)
        return protected

    return decorate
