"""Views of the pages blueprint."""

from flask import render_template
from flask_babel import get_locale

from blueprints.pages import bp
from services.notices import latest_notices
from services.policy_facts import cookie_facts


@bp.get("/")
def home():
    """The front page: what USNAPER does and the latest notices."""
    return render_template("pages/home.html", notices=latest_notices(), locale=str(get_locale()))


@bp.get("/cookies")
def cookies():
    """The cookie notice: what we store, why, and how to refuse."""
    return render_template("pages/cookies.html", locale=str(get_locale()), facts=cookie_facts())
