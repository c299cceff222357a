"""The security headers every response carries, and which responses no cache may keep.

One module holds every policy, so the one exception to the strict CSP (the
development preview of an e-mail's HTML part) is visible next to the rule.
"""

from flask import current_app, request
from flask_login import current_user
from werkzeug.wrappers import Response


def policy(**directives: str) -> str:
    """A CSP header value from directives written as keyword arguments (default_src -> default-src)."""
    return "; ".join(f"{name.replace('_', '-')} {value}".strip() for name, value in directives.items())


# Our own files only: no inline script or style, no plugins, no <base>, no framing,
# forms post only to us. Pages have no data: images, so img-src needs nothing more.
SITE_POLICY = policy(
    default_src="'self'",
    script_src="'self'",
    style_src="'self'",
    img_src="'self'",
    object_src="'none'",
    base_uri="'none'",
    frame_ancestors="'none'",
    form_action="'self'",
)

# An e-mail's HTML part carries inline styles, as mail programs expect. The preview
# allows them and nothing else: no scripts, no loads, and `sandbox` gives the
# document an opaque origin, so it cannot read the site's cookies or pages.
MAIL_PREVIEW_POLICY = policy(
    default_src="'none'",
    style_src="'unsafe-inline'",
    base_uri="'none'",
    form_action="'none'",
    frame_ancestors="'none'",
    sandbox="",
)

# Views whose successful answers carry a policy of their own instead of SITE_POLICY.
OWN_POLICIES = {"dev.message_html": MAIL_PREVIEW_POLICY}

# Browser features the site never uses, refused for our pages and anything they embed.
UNUSED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in UNUSED_FEATURES)

# Set on every response, whatever the view did.
FIXED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

# Files that are the same for everyone: browsers and proxies may keep them, signed in or not.
PUBLIC_ASSETS = {"static", "media.photo_file"}
# Pages a visitor sees exactly as every other visitor does: the only pages a cache may keep.
# Everything else (accounts, bookings, consoles, token links, forms echoing what was typed,
# and any page added later) is no-store until it is listed here.
PUBLIC_PAGES = {
    "pages.home",
    "pages.cookies",
    "policies.current",
    "policies.version",
    "policies.changes",
    "policies.history",
    "boards.index",
    "boards.board",
    "boards.post",
    "photographers.directory",
    "photographers.profile",
}


def may_be_cached() -> bool:
    """Whether this response holds nothing personal: an asset, or a public page shown to a visitor."""
    if request.endpoint in PUBLIC_ASSETS:
        return True
    if request.method not in ("GET", "HEAD") or request.endpoint not in PUBLIC_PAGES:
        return False
    try:
        return not current_user.is_authenticated
    except Exception:  # noqa: BLE001 - no member could be loaded (database down): assume one, keep nothing
        return False


def add_security_headers(response: Response) -> Response:
    """The CSP, the fixed headers, HSTS in production, and no-store wherever personal data may be."""
    # An error page is the site's own template: it gets the site's policy even on those views.
    own = OWN_POLICIES.get(request.endpoint) if response.status_code < 400 else None
    response.headers["Content-Security-Policy"] = own or SITE_POLICY
    for name, value in FIXED_HEADERS.items():
        response.headers[name] = value
    seconds = current_app.config["HSTS_SECONDS"]
    if seconds:
        response.headers["Strict-Transport-Security"] = f"max-age={seconds}; includeSubDomains"
    if not may_be_cached():
        # Exactly "no-store": it already forbids every cache, and views that set it keep their value.
        response.headers["Cache-Control"] = "no-store"
    return response
