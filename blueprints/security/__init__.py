"""Response headers every page carries (the full set arrives with the hardening work)."""

from flask import Blueprint, current_app
from werkzeug.wrappers import Response

bp = Blueprint("security", __name__)


@bp.after_app_request
def security_headers(response: Response) -> Response:
    """No MIME sniffing, no full URLs leaked to other sites, HSTS where TLS is the rule."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    seconds = current_app.config["HSTS_SECONDS"]
    if seconds:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={seconds}; includeSubDomains")
    return response
