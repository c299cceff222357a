"""The templates' gettext: the same catalogs as Flask-Babel's, found once per page and language.

Flask-Babel's template callables look the translations up anew on every call (three context
lookups each, ~50 us), and a page calls them 50 to 170 times. These keep, in the page's Babel
context, the translations of each locale already used, keyed by the Locale object itself: under
force_locale (e-mails in the member's language) that is another object, so another catalog.
"""

from flask import Flask, g
from flask_babel import get_locale, get_translations

_CACHE = "usnaper_catalogs"


def _catalog():
    """The translations for the locale in force now, from this page's Babel context when known."""
    context = g.get("_flask_babel") if g else None
    locale = getattr(context, "babel_locale", None)
    if locale is None:
        # No page context yet (or locale not chosen): ask Flask-Babel, which chooses and records it.
        locale = get_locale()
        context = g.get("_flask_babel") if g else None
        if context is None or locale is None:
            return get_translations()
    catalogs = context.__dict__.setdefault(_CACHE, {})
    translations = catalogs.get(locale)
    if translations is None:
        translations = catalogs[locale] = get_translations()
    return translations


def install(app: Flask) -> None:
    """Give the templates the cached callables in place of Flask-Babel's."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _catalog().ugettext(s),
        ngettext=lambda s, p, n: _catalog().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: _catalog().unpgettext(c, s, p, n),
    )
