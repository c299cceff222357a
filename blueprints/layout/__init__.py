"""What every page's layout needs: brand, footer contacts, date filters."""

import logging
from datetime import datetime
from functools import lru_cache

from flask import Blueprint, g
from flask_babel import format_datetime, get_locale, get_timezone
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

from blueprints.fragments import cached
from services.authors import author_tag
from services.policy_facts import officer_contact
from services.policy_notices import banner_changes
from services.regions import region_label
from services.retention import retention_categories
from services.specialties import language_label, specialty_label
from services.text import split_links

bp = Blueprint("layout", __name__)
log = logging.getLogger(__name__)

# CLDR's medium Korean pattern prints "AM"; Korean readers expect 오전/오후.
DATETIME_PATTERNS = {"ko": "y년 M월 d일 aaaa h:mm", "en": "MMM d, y, h:mm a"}


@bp.app_context_processor
def layout_context() -> dict:
    """Values the header and footer show on every page."""
    return {"site_name": "USNAPER", "officer": officer_contact(str(get_locale()))}


@bp.app_template_global("upcoming_policy_changes")
def upcoming_policy_changes() -> list:
    """Announced policy versions not yet in force, for the notice banner: a worker's short-lived copy."""
    if "upcoming_policy_changes" not in g:
        try:
            g.upcoming_policy_changes = banner_changes()
        except SQLAlchemyError:
            # An error page rendered while the database is down must still render.
            log.warning("policy banner skipped: database unavailable", exc_info=True)
            g.upcoming_policy_changes = []
    return g.upcoming_policy_changes


@bp.app_template_filter("local_datetime")
def local_datetime(value: datetime) -> str:
    """An instant shown in Asia/Seoul, worded for the page's language."""
    return _worded(value, str(get_locale()), str(get_timezone()))


@lru_cache(maxsize=8192)
def _worded(value: datetime, locale: str, zone: str) -> str:
    # Babel's formatting was a tenth of a board page (bench.profiling), and every visitor sees the
    # same posts: each instant is worded once per process and language. The key holds all the
    # output depends on; locale and zone are those of the request that calls it.
    return format_datetime(value, DATETIME_PATTERNS.get(locale, "medium"))


@bp.app_template_global("retention_category")
def retention_category(key: str):
    """One category of the retention definition, worded in the current language (e-mails use it)."""
    return next(category for category in retention_categories() if category.key == key)


@bp.app_template_filter("plain_text")
def plain_text(value: str) -> Markup:
    """Member-written text made safe: every character escaped, http(s) links made into links.

    Line breaks are kept by the stylesheet (white-space: pre-wrap), so no markup
    is ever built from what a member typed beyond these escaped anchors.
    """
    parts = []
    for kind, part in split_links(value or ""):
        if kind == "link":
            parts.append(Markup('<a href="{0}" rel="nofollow ugc noopener">{0}</a>').format(part))
        else:
            parts.append(escape(part))
    return Markup("").join(parts)


@bp.app_template_global("author_tag")
def author_tag_global(author_id: int | None) -> str | None:
    """The pseudonymous tag an author shows on the boards (None: a withdrawn member)."""
    return author_tag(author_id)


# Pieces of pages rendered once per process and language (`{{ cached("_partials/footer_body.html", ...) }}`).
bp.add_app_template_global(cached, "cached")

# Codes of the fixed bilingual lists, worded in the page's language (`codes|map('region_label')`).
bp.add_app_template_filter(region_label, "region_label")
bp.add_app_template_filter(specialty_label, "specialty_label")
bp.add_app_template_filter(language_label, "language_label")

CONTACT_FIELD_LABELS = {"name": _l("full name"), "phone": _l("mobile phone"), "email": _l("e-mail address")}


@bp.app_template_filter("contact_field_label")
def contact_field_label(field: str) -> str:
    """A provided contact field, named in the page's language."""
    return str(CONTACT_FIELD_LABELS.get(field, field))
