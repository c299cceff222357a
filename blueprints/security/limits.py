"""Request-level rate limits (Flask-Limiter) on the POSTs worth flooding, and their 429 page.

The per-member and per-account rules (services/throttle.py, the posting and complaint
limits) stay where they are and give the precise message. These limits sit in front of
them, per client address, and turn a flood away before any rule or query runs: a
credential-stuffing run that changes the e-mail address at every try still comes from
the same few addresses.
"""

import logging
import math
import time

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter import RateLimitExceeded

from blueprints.security.logging import current_member_id
from extensions import db, limiter
from services.security_log import security_event

log = logging.getLogger(__name__)

TITLE = _l("Too many attempts")


def limited(setting: str):
    """Decorator: limit a view's POSTs per client address to the limits in config[setting].

    Read at each request, so a test or an operator can change the numbers; GETs of the
    form are never counted.
    """
    return limiter.limit(lambda: current_app.config[setting], methods=["POST"])


def retry_after(error: RateLimitExceeded) -> int:
    """Seconds until the breached window lets this address in again (the window's length if unknown)."""
    try:
        current = limiter.current_limit
        if current is not None:
            return max(1, math.ceil(current.window[0] - time.time()))
    except Exception:  # noqa: BLE001 - the storage failed since the hit: promise the whole window
        log.warning("rate limit storage unreadable for Retry-After")
    return int(error.limit.limit.get_expiry())


def too_many_attempts(error: RateLimitExceeded):
    """The site's 429 page in the visitor's language, with Retry-After; the hit is logged."""
    db.session.rollback()  # as every error answer: nothing the request began is kept
    seconds = retry_after(error)
    # Codes only (the log filter adds the request id and the path, tokens masked): no client
    # address, no form data. The limit reads "10_per_1_minute".
    security_event(
        "rate_limited",
        "429",
        current_member_id(),
        logging.WARNING,
        endpoint=request.endpoint or "-",
        limit=str(error.limit.limit).replace(" ", "_"),
    )
    if seconds <= 60:
        message = _("Too many attempts from your connection. Please wait a minute and try again.")
    else:
        message = _(
            "Too many attempts from your connection. Please try again in %(minutes)d minutes.",
            minutes=math.ceil(seconds / 60),
        )
    try:
        body = render_template("errors/error.html", code=429, title=TITLE, message=message)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        log.exception("rate limit page could not be rendered")
        body = "429"
    return body, 429, {"Retry-After": str(seconds)}


def init_rate_limits(app: Flask) -> None:
    """Bind the limiter to app (RATELIMIT_* settings) and answer its 429s with the site's page."""
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, too_many_attempts)
    # Flask-Limiter's own INFO line on a hit names the client address; ours above does not.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
