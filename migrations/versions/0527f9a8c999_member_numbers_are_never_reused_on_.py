"""Member numbers are never reused on SQLite (AUTOINCREMENT); PostgreSQL sequences never reuse them.

Revision ID: 0527f9a8c999
Revises: e6b51a16e141
Create Date: 2026-11-25 15:15:11.626672

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0527f9a8c999'
down_revision = 'e6b51a16e141'
branch_labels = None
depends_on = None


def _rebuild_members(autoincrement: bool) -> None:
    # Only SQLite needs (and only SQLite allows) this: the table is rebuilt with the keyword.
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table(
        "members", recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def upgrade():
    _rebuild_members(True)


def downgrade():
    _rebuild_members(False)
