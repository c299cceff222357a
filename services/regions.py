"""The fixed, bilingual list of Korean provinces and metropolitan cities."""

from functools import lru_cache

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

REGIONS = (
    ("seoul", _l("Seoul")),
    ("busan", _l("Busan")),
    ("daegu", _l("Daegu")),
    ("incheon", _l("Incheon")),
    ("gwangju", _l("Gwangju")),
    ("daejeon", _l("Daejeon")),
    ("ulsan", _l("Ulsan")),
    ("sejong", _l("Sejong")),
    ("gyeonggi", _l("Gyeonggi-do")),
    ("gangwon", _l("Gangwon")),
    ("chungbuk", _l("Chungcheongbuk-do")),
    ("chungnam", _l("Chungcheongnam-do")),
    ("jeonbuk", _l("Jeonbuk")),
    ("jeonnam", _l("Jeollanam-do")),
    ("gyeongbuk", _l("Gyeongsangbuk-do")),
    ("gyeongnam", _l("Gyeongsangnam-do")),
    ("jeju", _l("Jeju")),
)
REGION_CODES = frozenset(code for code, _ in REGIONS)


def region_label(code: str | None) -> str:
    """The region's name in the current language ('' for none or an unknown code)."""
    return _region_in(code, str(get_locale())) if code else ""


@lru_cache(maxsize=128)
def _region_in(code: str, locale: str) -> str:
    # Cards and filter forms word these on every page; the catalogs never change while running.
    return str(dict(REGIONS).get(code, ""))
