"""Log lines an operator can trust: a request id on every one, one line per record, security events.

Each request gets an id: the trusted proxy's X-Request-ID when it looks sane, else a random one.
It is echoed in the response and added, with the path (link tokens masked), to every
record the site's handler writes and to every security event. The formatter escapes
control characters, so nothing a visitor types (a path, an exception's message) can
start a forged line.
"""

import logging
import re
import time
import uuid

from flask import current_app, has_request_context, request
from flask.logging import wsgi_errors_stream
from flask_login import current_user
from werkzeug.wrappers import Response

from blueprints.visits import logged_path
from services.security_log import security_event

REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s request=%(request_id)s path=%(path)s %(message)s"

_ID_KEY = "usnaper.request_id"
_REFUSAL_KEY = "usnaper.refusal_logged"
_HANDLER_MARK = "usnaper_site_handler"
# C0 and C1 controls (CR, LF, NEL, ESC...), the Unicode line and paragraph separators, the
# bidi overrides that reorder what a reader sees, and the backslash, so the escapes stay
# unambiguous.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\\\\]")
_NAMED = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def escape_controls(text: str) -> str:
    """text with every control character written as an escape (a newline as \\n), on one line."""
    return _UNSAFE.sub(_escaped, text)


def request_id() -> str:
    """This request's id: a sane X-Request-ID from the proxy, else a new random one (kept per request)."""
    environ = request.environ
    if _ID_KEY not in environ:
        # Without a trusted proxy the header is the visitor's own: they could make their requests
        # share another visitor's id and muddle the trail, so it is only taken behind PROXY_HOPS.
        trusted = bool(current_app.config.get("PROXY_HOPS"))
        offered = request.headers.get(REQUEST_ID_HEADER, "") if trusted else ""
        environ[_ID_KEY] = offered if SANE_REQUEST_ID.fullmatch(offered) else uuid.uuid4().hex
    return environ[_ID_KEY]


def _request_path() -> str:
    try:
        return logged_path()
    except Exception:  # noqa: BLE001 - a log line is worth more than its path
        return "?"


class RequestContextFilter(logging.Filter):
    """Adds request_id and path to a record ("-" outside a request); lets every record through."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            inside = has_request_context()
            record.request_id = request_id() if inside else "-"
            record.path = _request_path() if inside else "-"
        return True


class OneLineFormatter(logging.Formatter):
    """One record, one line: UTC time, and every control character escaped (tracebacks included)."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"

    def format(self, record: logging.LogRecord) -> str:
        return escape_controls(super().format(record))


def site_handler(stream=wsgi_errors_stream) -> logging.Handler:
    """The site's log handler: request id and path on each line, one line per record.

    It takes every level (the loggers' own levels decide), so Flask, seeing it, adds no
    handler of its own to a debug app's logger: that one would write unescaped duplicates.
    """
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(OneLineFormatter(LINE_FORMAT))
    setattr(handler, _HANDLER_MARK, True)
    return handler


def install_logging() -> None:
    """Once per process: the site's handler on the root logger, and the security logger at INFO.

    Called for every app built; a second call changes nothing. Under gunicorn the lines
    go to its error log (the request's wsgi.errors), elsewhere to standard error.
    """
    security = logging.getLogger("security")
    security.setLevel(logging.INFO)
    # Alembic's fileConfig (flask db upgrade) disables loggers that already exist.
    security.disabled = False
    if not any(isinstance(existing, RequestContextFilter) for existing in security.filters):
        security.addFilter(RequestContextFilter())  # so every handler, not only ours, sees the ids
    root = logging.getLogger()
    if not any(getattr(handler, _HANDLER_MARK, False) for handler in root.handlers):
        root.addHandler(site_handler())
    werkzeug = logging.getLogger("werkzeug")
    if werkzeug.level == logging.NOTSET:  # the dev server's own lines ("Running on ...") stay visible
        werkzeug.setLevel(logging.INFO)


def current_member_id() -> int | None:
    """The signed-in member's number, or None (also when no member can be loaded)."""
    try:
        return current_user.id if current_user.is_authenticated else None
    except Exception:  # noqa: BLE001 - the event is still worth logging without it
        return None


def log_access_refused(**codes: object) -> None:
    """Log this request's refusal (a 403) as a security event, once however many layers report it."""
    if request.environ.get(_REFUSAL_KEY):
        return
    request.environ[_REFUSAL_KEY] = True
    endpoint = request.endpoint or "-"
    security_event("access_denied", "403", current_member_id(), logging.WARNING, endpoint=endpoint, **codes)


def log_csrf_failure(reason: str) -> None:
    """Log a form refused for its CSRF token; reason is Flask-WTF's sentence, kept as a code."""
    code = re.sub(r"[^a-z]+", "_", reason.lower()).strip("_") or "-"
    endpoint = request.endpoint or "-"
    security_event(
        "csrf_failure", "400", current_member_id(), logging.WARNING, endpoint=endpoint, reason=code
    )


def echo_request_id(response: Response) -> Response:
    """Send the request id back, so a visitor's report can be matched with the log."""
    response.headers[REQUEST_ID_HEADER] = request_id()
    return response
