"""App-wide hooks that carry the language prefix through routing and templates."""

from urllib.parse import urlencode

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale

from blueprints.i18n import bp
from services.locale import path_in_language

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


@bp.app_url_value_preprocessor
def pull_language(endpoint: str | None, values: dict | None) -> None:
    """Move the language prefix out of the view arguments into g."""
    if values and "lang_code" in values:
        g.lang_code = values.pop("lang_code")


@bp.app_url_defaults
def add_language(endpoint: str, values: dict) -> None:
    """Give url_for() the current language unless another one is asked for."""
    if "lang_code" in values or not current_app.url_map.is_endpoint_expecting(endpoint, "lang_code"):
        return
    values["lang_code"] = g.get("lang_code") or str(get_locale())


@bp.app_context_processor
def language_context() -> dict:
    """The current language and the same page in each of our languages.

    Where no page matched (a 404 under an unknown prefix) the switcher offers
    each language's home page instead of another address that does not exist.
    """
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # e-mails rendered by jobs
        return {"current_language": str(get_locale())}
    rule = request.url_rule
    matched = rule is not None and "lang_code" in rule.arguments
    query = urlencode(list(request.args.items(multi=True)))
    alternates = {}
    for code in languages:
        path = path_in_language(request.path, code, languages) if matched else f"/{code}/"
        alternates[code] = f"{path}?{query}" if matched and query else path
    return {
        "current_language": str(get_locale()),
        "alternate_paths": alternates,
        "language_names": {code: LANGUAGE_NAMES[code] for code in languages},
    }
