"""The root redirect and the language switcher."""

from flask import current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from blueprints.i18n import bp
from services.locale import negotiate_locale, switch_target


@bp.get("/")
def root() -> Response:
    """Send a visitor without a language prefix to the language they most likely read."""
    cfg = current_app.config
    language = negotiate_locale(
        cookie_choice=request.cookies.get(cfg["LANGUAGE_COOKIE_NAME"]),
        member_language=current_user.language if current_user.is_authenticated else None,
        accept_languages=request.accept_languages,
        supported=cfg["LANGUAGES"],
        default=cfg["BABEL_DEFAULT_LOCALE"],
    )
    response = redirect(url_for("pages.home", lang_code=language))
    response.vary.update({"Cookie", "Accept-Language"})
    return response


@bp.get("/language/<lang:code>")
def switch(code: str) -> Response:
    """Remember an explicit language choice and show the same page in that language."""
    cfg = current_app.config
    target = switch_target(request.args.get("next"), code, cfg["LANGUAGES"])
    response = redirect(target or url_for("pages.home", lang_code=code), code=303)
    response.set_cookie(
        cfg["LANGUAGE_COOKIE_NAME"],
        code,
        max_age=cfg["LANGUAGE_COOKIE_DAYS"] * 24 * 3600,
        secure=bool(cfg.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response
