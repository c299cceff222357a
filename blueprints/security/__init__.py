"""Request checks and the response headers every page carries (the policies live in headers.py)."""

from flask import Blueprint, abort, request
from werkzeug.wrappers import Response

from blueprints.security.headers import add_security_headers
from blueprints.security.logging import echo_request_id, install_logging

bp = Blueprint("security", __name__)
bp.record_once(lambda state: install_logging())  # request ids and one-line records (logging.py)
bp.after_app_request(echo_request_id)


@bp.before_app_request
def refuse_nul_bytes() -> None:
    """No field or query name or value may hold a NUL: PostgreSQL refuses them, and nothing legitimate
    sends one. Every value of a repeated field counts (a list of ticked boxes reaches the database)."""
    for values in (request.args, request.form):
        if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
            abort(400)


@bp.after_app_request
def security_headers(response: Response) -> Response:
    """Every response leaves with the security headers of headers.py."""
    return add_security_headers(response)
