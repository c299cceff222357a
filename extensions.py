"""Extension objects, created unbound and bound to the app in create_app()."""

from flask import g, has_app_context
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Rows a request read without the ORM (services.reads.adopt) before it had a session.
ADOPTED = "usnaper_adopted"


class SiteSession(FlaskSession):
    """The ORM session of an app context; when it starts, it holds the rows the context already read.

    A page that never uses the ORM then never makes a session (nor its rollback), while one that
    does finds the signed-in member in the identity map, with any change to it flushed as usual.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if has_app_context():
            for instance in g.pop(ADOPTED, ()):
                self.add(instance)


db = SQLAlchemy(
    metadata=MetaData(naming_convention=NAMING_CONVENTION), session_options={"class_": SiteSession}
)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
# Request-level rate limits per client address (request.remote_addr: the client's own once
# ProxyFix trusts PROXY_HOPS proxies). The limits and the 429 page: blueprints/security/limits.py.
limiter = Limiter(key_func=get_remote_address)


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection, connection_record) -> None:
    """SQLite ignores foreign keys unless asked, per connection; PostgreSQL always enforces them."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@event.listens_for(Engine, "connect")
def _psycopg_sends_lists_as_binary_arrays(dbapi_connection, connection_record) -> None:
    """A list parameter (a batch of ids, keys or sealed copies) goes to PostgreSQL as a binary array.

    psycopg's default for a list is a text array, quoted element by element in Python: for a
    batch of 500 sealed copies that cost more than the statement it fed.
    """
    if type(dbapi_connection).__module__.split(".")[0] == "psycopg":
        from psycopg.types.array import ListBinaryDumper

        dbapi_connection.adapters.register_dumper(list, ListBinaryDumper)
