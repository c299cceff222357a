"""Views of policy drafting (being built)."""

from blueprints.access import staff_required
from blueprints.policy_drafts import bp


@bp.get("/")
@staff_required("privacy_officer")
def index():
    """Drafts and scheduled versions (placeholder while being built)."""
    return "policies"
