"""Profile content versions, moved on by triggers for the cached profile pages.

The profile page is cached per process by photographer_profiles.content_version; these triggers
move it on whenever the profile or a row shown with it (regions, kinds of shoot, blocked days,
portfolio photos, reviews) is inserted, changed or deleted, by any code. The SQL is a frozen copy
of models/profile_versions.py as it stood at this revision.

On SQLite a later batch migration that rebuilds one of these tables drops its triggers:
tests/test_migrations.py checks they still work on a database migrated to the head.

Revision ID: ece71493c8d7
Revises: 7abf5fd94d8f
Create Date: 2026-12-06 20:30:42.895235

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ece71493c8d7'
down_revision = '7abf5fd94d8f'
branch_labels = None
depends_on = None

CHILDREN = ("profile_regions", "profile_specialties", "blocked_dates", "portfolio_photos", "reviews")

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION profile_version_on_update() RETURNS trigger AS $$
    BEGIN
        IF NEW.content_version = OLD.content_version THEN
            NEW.content_version := OLD.content_version + 1;
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION profile_version_on_child() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'DELETE' THEN
            UPDATE photographer_profiles SET content_version = content_version + 1 WHERE id = NEW.profile_id;
        END IF;
        IF TG_OP = 'DELETE' OR OLD.profile_id IS DISTINCT FROM NEW.profile_id THEN
            UPDATE photographer_profiles SET content_version = content_version + 1 WHERE id = OLD.profile_id;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER profile_version_self BEFORE UPDATE ON photographer_profiles "
    "FOR EACH ROW EXECUTE FUNCTION profile_version_on_update()",
] + [
    f"CREATE TRIGGER profile_version_{name} AFTER INSERT OR UPDATE OR DELETE ON {name} "
    "FOR EACH ROW EXECUTE FUNCTION profile_version_on_child()"
    for name in CHILDREN
]

_BUMP = "UPDATE photographer_profiles SET content_version = content_version + 1 WHERE id"
SQLITE = [
    "CREATE TRIGGER profile_version_self AFTER UPDATE ON photographer_profiles FOR EACH ROW "
    "WHEN NEW.content_version = OLD.content_version BEGIN "
    "UPDATE photographer_profiles SET content_version = OLD.content_version + 1 WHERE id = NEW.id; END"
]
for _name in CHILDREN:
    SQLITE += [
        f"CREATE TRIGGER profile_version_{_name}_insert AFTER INSERT ON {_name} BEGIN {_BUMP} = NEW.profile_id; END",
        f"CREATE TRIGGER profile_version_{_name}_update AFTER UPDATE ON {_name} "
        f"BEGIN {_BUMP} IN (OLD.profile_id, NEW.profile_id); END",
        f"CREATE TRIGGER profile_version_{_name}_delete AFTER DELETE ON {_name} BEGIN {_BUMP} = OLD.profile_id; END",
    ]


def _trigger_names() -> list[str]:
    if op.get_bind().dialect.name == "postgresql":
        return [("profile_version_self", "photographer_profiles")] + [
            (f"profile_version_{name}", name) for name in CHILDREN
        ]
    return [("profile_version_self", None)] + [
        (f"profile_version_{name}_{event}", None) for name in CHILDREN for event in ("insert", "update", "delete")
    ]


def upgrade():
    with op.batch_alter_table('photographer_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_version', sa.Integer(), server_default='1', nullable=False))
    for statement in POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for trigger, table in _trigger_names():
        op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}" if postgresql else f"DROP TRIGGER IF EXISTS {trigger}")
    if postgresql:
        op.execute("DROP FUNCTION IF EXISTS profile_version_on_update()")
        op.execute("DROP FUNCTION IF EXISTS profile_version_on_child()")
    with op.batch_alter_table('photographer_profiles', schema=None) as batch_op:
        batch_op.drop_column('content_version')
