"""What every page's layout needs: brand, footer contacts, date filters."""

from datetime import datetime

from flask import Blueprint
from flask_babel import format_datetime, get_locale

from services.policy_facts import officer_contact
from services.retention import retention_categories

bp = Blueprint("layout", __name__)

# CLDR's medium Korean pattern prints "AM"; Korean readers expect 오전/오후.
DATETIME_PATTERNS = {"ko": "y년 M월 d일 aaaa h:mm", "en": "MMM d, y, h:mm a"}


@bp.app_context_processor
def layout_context() -> dict:
    """Values the header and footer show on every page."""
    return {"site_name": "USNAPER", "officer": officer_contact(str(get_locale()))}


@bp.app_template_filter("local_datetime")
def local_datetime(value: datetime) -> str:
    """An instant shown in Asia/Seoul, worded for the page's language."""
    return format_datetime(value, DATETIME_PATTERNS.get(str(get_locale()), "medium"))


@bp.app_template_global("retention_category")
def retention_category(key: str):
    """One category of the retention definition, worded in the current language (e-mails use it)."""
    return next(category for category in retention_categories() if category.key == key)
