"""Views of marketing (being built)."""

from blueprints.access import staff_required
from blueprints.marketing import bp


@bp.get("/office/campaigns/")
@staff_required("privacy_officer")
def campaigns():
    """Campaigns (placeholder while being built)."""
    return "campaigns"
