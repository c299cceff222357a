"""Record each page visit (the access log the policy's retention table names)."""

import logging

from flask import Blueprint, request
from flask_login import current_user
from werkzeug.wrappers import Response

from services.access_log import record_visit

bp = Blueprint("visits", __name__)
log = logging.getLogger(__name__)

# Not visits: assets, health probes.
SKIPPED_ENDPOINTS = {"static", "health.healthz"}


def logged_path() -> str:
    """The path, with any link token replaced: a signed token carries the addresses it names."""
    path = request.path
    token = (request.view_args or {}).get("token")
    return path.replace(token, "[token]") if token else path


@bp.after_app_request
def log_visit(response: Response) -> Response:
    """Write the minimum record of this request; a logging failure never breaks the page."""
    if request.endpoint in SKIPPED_ENDPOINTS:
        return response
    try:
        member_id = current_user.id if getattr(current_user, "is_authenticated", False) else None
        record_visit(request.method, logged_path(), response.status_code, member_id, request.remote_addr)
    except Exception:  # noqa: BLE001 - the visitor's page matters more than its log line
        log.warning("access log: could not record a visit", exc_info=True)
    return response
