"""Error pages in the visitor's language; a 500 never shows a traceback."""

import logging

from flask import Blueprint, g, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from blueprints.security.logging import log_access_refused, log_csrf_failure
from extensions import db, login_manager

bp = Blueprint("errors", __name__)
log = logging.getLogger(__name__)

ERROR_TEXTS = {
    400: (
        _l("Bad request"),
        _l("We could not understand that request. Please check what you entered and try again."),
    ),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"), _l("The page you asked for does not exist or has moved.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (
        _l("Too large"),
        _l("What you sent is larger than the site accepts. Please send something smaller."),
    ),
    429: (
        _l("Too many requests"),
        _l("You tried too often in a short time. Please wait a moment and try again."),
    ),
    500: (
        _l("Something went wrong"),
        _l("An error occurred on our side and it has been recorded. Please try again later."),
    ),
    503: (
        _l("Temporarily unavailable"),
        _l("The site cannot answer for a moment. Nothing you sent was saved: please try again in a minute."),
    ),
}
# What a visitor is told to wait when the database is out of reach (a restart takes seconds).
DATABASE_RETRY_AFTER_SECONDS = 30
GENERIC = (_l("Something went wrong"), _l("The request could not be completed."))
CSRF_TEXTS = (
    ERROR_TEXTS[400][0],
    _l(
        "This form was open too long or was sent from another site, so it was not accepted. "
        "Please go back, reload the page and try again."
    ),
)


@bp.app_errorhandler(HTTPException)
def http_error(error: HTTPException, texts: tuple | None = None):
    """Render any HTTP error as our page, keeping headers such as Allow; a 403 is a security event.

    An error answer means the request's change is abandoned: roll back whatever
    it had written so far, so nothing half-done is committed later.
    """
    db.session.rollback()
    code = error.code or 500
    if code == 403:
        log_access_refused()
    title, message = texts or ERROR_TEXTS.get(code, GENERIC)
    headers = [(key, value) for key, value in error.get_headers() if key.lower() != "content-type"]
    try:
        body = render_template("errors/error.html", code=code, title=title, message=message)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        log.exception("error page for %s could not be rendered", code)
        body = f"{code}"
    return body, code, headers


@bp.app_errorhandler(CSRFError)
def csrf_error(error: CSRFError):
    """A form refused for its CSRF token: a 400 page saying what to do, and a security event."""
    log_csrf_failure(error.description or "")
    return http_error(error, CSRF_TEXTS)


@bp.app_errorhandler(InternalServerError)
def internal_error(error: InternalServerError):
    """An unhandled exception: the 500 page (http_error rolls back what it half-wrote)."""
    return http_error(error)


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(InterfaceError)
@bp.app_errorhandler(DisconnectionError)
@bp.app_errorhandler(PoolTimeout)
def database_unavailable(error: Exception):
    """The database went away (restarted, unreachable, out of connections): a 503 with Retry-After.

    The transaction dies with its connection, so nothing the request began is
    kept; the pool's pre-ping replaces the dead connections at the next request.
    The page is drawn for a visitor: the signed-in member cannot be re-read
    without the database (their session is untouched, they are still signed in
    once it is back).
    """
    log.error("database unavailable, answered 503: %s", type(error).__name__, exc_info=error)
    g._login_user = login_manager.anonymous_user()
    return http_error(ServiceUnavailable(retry_after=DATABASE_RETRY_AFTER_SECONDS))
