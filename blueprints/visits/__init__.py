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


# Pages only the author of a post, comment or photo can open: their ids would name the author.
AUTHOR_PAGES = {"boards.edit", "boards.edit_comment_view"}


def logged_path() -> str:
    """The path, with link tokens and, where they would tie a person to their writing, ids replaced.

    A signed token carries the addresses it names. A kept post of a withdrawn
    member must link to nobody, so writes and author-only pages log "[id]"
    where the path named the post, comment or photo acted on.
    """
    path = request.path
    args = request.view_args or {}
    if args.get("token"):
        path = path.replace(args["token"], "[token]")
    if request.method != "GET" or request.endpoint in AUTHOR_PAGES:
        ids = {str(value) for name, value in args.items() if name.endswith("_id")}
        path = "/".join("[id]" if segment in ids else segment for segment in path.split("/"))
    return path


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
