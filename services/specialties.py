"""The fixed, bilingual lists a photographer chooses from: kinds of shoot and languages spoken."""

from functools import lru_cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

SPECIALTIES = (
    ("wedding", _l("Wedding")),
    ("snap", _l("Snap")),
    ("profile", _l("Profile")),
    ("family", _l("Family")),
    ("travel", _l("Travel")),
    ("product", _l("Product")),
    ("event", _l("Event")),
    ("pet", _l("Pet")),
)
SPECIALTY_CODES = frozenset(code for code, _ in SPECIALTIES)

# Language names are written in their own language, as switchers show them.
SPOKEN_LANGUAGES = (("ko", "한국어"), ("en", "English"), ("ja", "日本語"), ("zh", "中文"))
SPOKEN_CODES = frozenset(code for code, _ in SPOKEN_LANGUAGES)


def specialty_label(code: str) -> str:
    """The kind of shoot in the current language."""
    return _specialty_in(code, str(get_locale()))


@lru_cache(maxsize=64)
def _specialty_in(code: str, locale: str) -> str:
    # A directory page words a few of these on every card; the catalogs never change while running.
    return str(dict(SPECIALTIES).get(code, code))


def language_label(code: str) -> str:
    """A spoken language's own name."""
    return dict(SPOKEN_LANGUAGES).get(code, code)
