"""Which language a request is served in, and the URL converter for language prefixes."""

import re

from flask import current_app, g, has_request_context, request
from werkzeug.routing import BaseConverter

from services.locale import language_of_path


def make_language_converter(languages: tuple[str, ...]) -> type[BaseConverter]:
    """A converter matching only our language codes, so /fr/... is simply not found."""

    class LanguageConverter(BaseConverter):
        regex = "|".join(re.escape(code) for code in languages)

    return LanguageConverter


def select_locale() -> str | None:
    """Flask-Babel's selector: the URL's language prefix, else the one named by the path, else Korean.

    Without a request (jobs, CLI) it defers to force_locale or the default.
    """
    if not has_request_context():
        return None
    chosen = g.get("lang_code")
    if chosen:
        return chosen
    cfg = current_app.config
    return language_of_path(request.path, cfg["LANGUAGES"], cfg["BABEL_DEFAULT_LOCALE"])
