"""Views of the privacy office console (being built)."""

from blueprints.access import staff_required
from blueprints.office import bp


@bp.get("/")
@staff_required("privacy_officer")
def index():
    """The console's home (placeholder while being built)."""
    return "office"
