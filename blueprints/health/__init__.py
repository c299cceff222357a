"""/healthz for load balancers and uptime checks."""

from flask import Blueprint, jsonify

from services.health import health_report

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Database (and Redis when configured) reachability as JSON; 503 when any is down."""
    healthy, report = health_report()
    response = jsonify(status="ok" if healthy else "unavailable", **report)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
