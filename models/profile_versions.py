"""A profile's content version: moved on by the database whenever anything its public page shows changes.

The profile page is cached per process by this number (blueprints/photographers), so it must move
on every change, whichever code makes it: an ORM flush, a Core statement, a cascade, a purge. Only
triggers see all of those. They fire on the profile row itself and on every table the page reads
from it: regions, kinds of shoot, blocked days, portfolio photos, reviews.

Attached here to the tables, so `create_all()` (tests) builds them; the migration that added the
column creates the same triggers on real databases.
"""

from sqlalchemy import event

from models.photographer import (
    BlockedDate,
    PhotographerProfile,
    PortfolioPhoto,
    ProfileRegion,
    ProfileSpecialty,
)
from models.shoot import Review

# Every table whose rows show on a profile page, by a profile_id column.
SHOWN_WITH_PROFILE = tuple(
    model.__table__ for model in (ProfileRegion, ProfileSpecialty, BlockedDate, PortfolioPhoto, Review)
)

POSTGRESQL_FUNCTIONS = (
    # The profile row itself: any update that did not already move the version moves it by one.
    """
    CREATE OR REPLACE FUNCTION profile_version_on_update() RETURNS trigger AS $$
    BEGIN
        IF NEW.content_version = OLD.content_version THEN
            NEW.content_version := OLD.content_version + 1;
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    # A row shown with a profile: the profile it belongs to (before and after) moves on.
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
)


def postgresql_statements() -> list[str]:
    """The functions and triggers on PostgreSQL."""
    statements = [*POSTGRESQL_FUNCTIONS]
    statements.append(
        "CREATE TRIGGER profile_version_self BEFORE UPDATE ON photographer_profiles "
        "FOR EACH ROW EXECUTE FUNCTION profile_version_on_update()"
    )
    for table in SHOWN_WITH_PROFILE:
        statements.append(
            f"CREATE TRIGGER profile_version_{table.name} AFTER INSERT OR UPDATE OR DELETE ON {table.name} "
            "FOR EACH ROW EXECUTE FUNCTION profile_version_on_child()"
        )
    return statements


def sqlite_statements() -> list[str]:
    """The triggers on SQLite, which has no functions and one event per trigger."""
    bump = "UPDATE photographer_profiles SET content_version = content_version + 1 WHERE id"
    statements = [
        "CREATE TRIGGER profile_version_self AFTER UPDATE ON photographer_profiles FOR EACH ROW "
        "WHEN NEW.content_version = OLD.content_version BEGIN "
        "UPDATE photographer_profiles SET content_version = OLD.content_version + 1 WHERE id = NEW.id; END"
    ]
    for table in SHOWN_WITH_PROFILE:
        name = table.name
        statements += [
            f"CREATE TRIGGER profile_version_{name}_insert AFTER INSERT ON {name} "
            f"BEGIN {bump} = NEW.profile_id; END",
            f"CREATE TRIGGER profile_version_{name}_update AFTER UPDATE ON {name} "
            f"BEGIN {bump} IN (OLD.profile_id, NEW.profile_id); END",
            f"CREATE TRIGGER profile_version_{name}_delete AFTER DELETE ON {name} "
            f"BEGIN {bump} = OLD.profile_id; END",
        ]
    return statements


@event.listens_for(PhotographerProfile.metadata, "after_create")
def _create_triggers(metadata, connection, tables=(), **kw) -> None:
    """After a create_all() that made the profile table (and so every table the triggers name)."""
    if not any(table.name == PhotographerProfile.__tablename__ for table in tables):
        return
    dialect = connection.dialect.name
    statements = {"postgresql": postgresql_statements, "sqlite": sqlite_statements}.get(dialect)
    for statement in statements() if statements else ():
        connection.exec_driver_sql(statement)
