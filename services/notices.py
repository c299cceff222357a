"""Site notices shown on the home page."""

from sqlalchemy import select

from extensions import db
from models.notice import Notice
from services.clock import now_utc


def latest_notices(limit: int = 5) -> list[Notice]:
    """The most recent published notices, newest first."""
    query = (
        select(Notice)
        .where(Notice.published_at <= now_utc())
        .order_by(Notice.published_at.desc(), Notice.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
