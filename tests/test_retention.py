"""The retention definition: one table, periods from config, dates that respect month ends."""

from datetime import date

import pytest
from flask_babel import force_locale

from config import DEFAULT_RETENTION_MONTHS
from services.retention import CATEGORY_KEYS, add_months, period_label, retention_categories


def test_every_configured_period_has_a_category():
    assert set(CATEGORY_KEYS) == set(DEFAULT_RETENTION_MONTHS)


def test_spec_default_periods(app):
    with app.app_context():
        months = {category.key: category.months for category in retention_categories()}
    assert months == {
        "contract": 60,
        "payment": 60,
        "complaint": 36,
        "access_log": 24,
        "event_tax": 60,
        "illegal_use": 36,
        "advertising": 6,
        "staff_access_log": 24,
    }


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 11, 25), 6, date(2027, 5, 25)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_purge_date_of_a_category(app):
    with app.app_context():
        advertising = next(c for c in retention_categories() if c.key == "advertising")
        assert advertising.purge_on(date(2026, 11, 25)) == date(2027, 5, 25)


@pytest.mark.parametrize(
    ("months", "korean", "english"),
    [(60, "5년", "5 years"), (12, "1년", "1 year"), (6, "6개월", "6 months"), (1, "1개월", "1 month")],
)
def test_period_label(app, months, korean, english):
    with app.app_context():
        with force_locale("ko"):
            assert period_label(months) == korean
        with force_locale("en"):
            assert period_label(months) == english
