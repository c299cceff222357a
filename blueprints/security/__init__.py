"""Response headers every page carries (the full set arrives with the hardening work)."""

from flask import Blueprint, abort, current_app, request
from werkzeug.wrappers import Response

bp = Blueprint("security", __name__)


@bp.before_app_request
def refuse_nul_bytes() -> None:
    """No field or query value may hold a NUL: PostgreSQL refuses them, and nothing legitimate sends one."""
    for values in (request.args, request.form):
        if any("\x00" in value for value in values.values()):
            abort(400)


@bp.after_app_request
def security_headers(response: Response) -> Response:
    """No MIME sniffing, no full URLs leaked to other sites, HSTS where TLS is the rule."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    seconds = current_app.config["HSTS_SECONDS"]
    if seconds:
        response.headers.setdefault("Strict-Transport-Security", f"max-age={seconds}; includeSubDomains")
    return response
