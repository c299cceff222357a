"""What retention storage holds now, per category of the one retention definition (SPEC §5)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from extensions import db
from services.purge import RETAINED_TABLES
from services.retention import RetentionCategory, retention_categories


@dataclass
class CategoryHolding:
    """One retention category: its rule, how many records it holds, the oldest and the next purge."""

    category: RetentionCategory
    count: int = 0
    oldest: datetime | None = None
    next_purge: datetime | None = None

    def add(self, count: int, oldest: datetime | None, next_purge: datetime | None) -> None:
        """Fold one table's figures into the category's."""
        self.count += count
        self.oldest = min(filter(None, (self.oldest, oldest)), default=None)
        self.next_purge = min(filter(None, (self.next_purge, next_purge)), default=None)


def holdings() -> list[CategoryHolding]:
    """Every retention category with its figures, in the policy's order (one query per retained table).

    Only rows already under a retention period count: an open complaint is live
    data until it closes and starts its three years.
    """
    by_key = {category.key: CategoryHolding(category) for category in retention_categories()}
    for table in RETAINED_TABLES:
        model = table.model
        figures = (func.count(), func.min(table.created_column), func.min(model.retain_until))
        query = select(*figures).where(model.retain_until.is_not(None))
        if table.category is None:
            query = select(model.category, *figures).group_by(model.category)
            rows = db.session.execute(query).all()
        else:
            rows = [(table.category, *db.session.execute(query).one())]
        for key, count, oldest, next_purge in rows:
            if count and key in by_key:
                by_key[key].add(count, oldest, next_purge)
    return list(by_key.values())
