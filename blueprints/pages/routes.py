"""Views of the pages blueprint."""

from flask import render_template
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from blueprints.pages import bp
from services.notices import latest_notices
from services.policy_facts import cookie_facts

# Features whose issues have not landed yet: each gets a page saying so plainly.
COMING_SOON = {
    "photographers": (
        _l("Photographers"),
        _l(
            "The photographer directory opens soon: you will be able to find photographers "
            "by region, date and specialty."
        ),
    ),
}


@bp.get("/")
def home():
    """The front page: what USNAPER does and the latest notices."""
    return render_template("pages/home.html", notices=latest_notices(), locale=str(get_locale()))


@bp.get("/cookies")
def cookies():
    """The cookie notice: what we store, why, and how to refuse."""
    return render_template("pages/cookies.html", locale=str(get_locale()), facts=cookie_facts())


def coming_soon(feature: str):
    """A plain 'not open yet' page for a feature still being built."""
    title, message = COMING_SOON[feature]
    return render_template("pages/coming_soon.html", title=title, message=message)


for _slug in COMING_SOON:
    bp.add_url_rule(f"/{_slug}", endpoint=_slug, view_func=coming_soon, defaults={"feature": _slug})
