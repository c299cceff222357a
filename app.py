"""The application factory: builds and binds the app, nothing else."""

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, config_from_env
from extensions import babel, csrf, db, login_manager, migrate

log = logging.getLogger(__name__)


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the USNAPER app for the given config class (APP_ENV's by default)."""
    import jobs
    from blueprints import register_blueprints
    from blueprints.i18n.locale import select_locale
    from blueprints.security.limits import init_rate_limits
    from cli import register_commands

    config_class = config_class or config_from_env()
    notes = config_class.prepare()

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_class)
    if app.config["PROXY_HOPS"]:
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    import models  # noqa: F401  (register every model on db.metadata)

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    jobs.init_app(app)
    init_rate_limits(app)
    register_blueprints(app)
    register_commands(app)

    for note in notes:
        app.logger.warning(note)
    return app
