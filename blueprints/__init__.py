"""Feature blueprints; app.py registers them and nothing else imports them."""

from flask import Flask

from blueprints.i18n.locale import make_language_converter
from blueprints.policies.converters import VersionConverter


def register_blueprints(app: Flask) -> None:
    """Attach every feature's blueprint to the app (the language converter first)."""
    from blueprints.auth import bp as auth_bp
    from blueprints.boards import bp as boards_bp
    from blueprints.complaints import bp as complaints_bp
    from blueprints.dev import bp as dev_bp
    from blueprints.errors import bp as errors_bp
    from blueprints.health import bp as health_bp
    from blueprints.i18n import bp as i18n_bp
    from blueprints.layout import bp as layout_bp
    from blueprints.marketing import bp as marketing_bp
    from blueprints.me import bp as me_bp
    from blueprints.moderation import bp as moderation_bp
    from blueprints.office import bp as office_bp
    from blueprints.pages import bp as pages_bp
    from blueprints.photographers import bp as photographers_bp
    from blueprints.photographers import media_bp
    from blueprints.policies import bp as policies_bp
    from blueprints.policy_drafts import bp as policy_drafts_bp
    from blueprints.security import bp as security_bp
    from blueprints.shoots import bp as shoots_bp
    from blueprints.visits import bp as visits_bp

    app.url_map.converters["lang"] = make_language_converter(app.config["LANGUAGES"])
    app.url_map.converters["version"] = VersionConverter
    for blueprint in (
        i18n_bp,
        layout_bp,
        security_bp,
        visits_bp,
        errors_bp,
        health_bp,
        pages_bp,
        policies_bp,
        auth_bp,
        me_bp,
        boards_bp,
        photographers_bp,
        media_bp,
        shoots_bp,
        moderation_bp,
        complaints_bp,
        marketing_bp,
        office_bp,
        policy_drafts_bp,
        dev_bp,
    ):
        app.register_blueprint(blueprint)
