"""Views of complaints (being built)."""

from blueprints.access import staff_required
from blueprints.complaints import bp


@bp.get("/office/complaints/")
@staff_required("privacy_officer")
def queue():
    """The privacy officer's queue (placeholder while being built)."""
    return "complaints"
