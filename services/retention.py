"""The retention table: the one definition of what is kept after withdrawal, for how long, and why.

The policy page renders it, and the withdrawal e-mail and the purge job read the
same rules, so the policy cannot say one thing while the code does another.
Periods come from configuration (RETENTION_MONTHS) with SPEC's defaults.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

D = TypeVar("D", bound=date)


@dataclass(frozen=True)
class RetentionCategory:
    """A kind of record kept under law or policy, with its period and basis."""

    key: str
    record: object  # lazy translated label
    basis: object  # lazy translated legal basis
    months: int

    def purge_on(self, kept_on: date) -> date:
        """The day a record kept on kept_on must be destroyed."""
        return add_months(kept_on, self.months)

    @property
    def period(self) -> str:
        """The period in words, in the current language."""
        return period_label(self.months)


# Order is the order shown on the policy page.
_CATEGORIES = (
    (
        "contract",
        _l("Contract and withdrawal-of-subscription records"),
        _l("Act on the Consumer Protection in Electronic Commerce"),
    ),
    (
        "payment",
        _l("Payment and supply records"),
        _l("Act on the Consumer Protection in Electronic Commerce"),
    ),
    (
        "complaint",
        _l("Consumer complaint and dispute records"),
        _l("Act on the Consumer Protection in Electronic Commerce"),
    ),
    (
        "access_log",
        _l("Site visit (access log) records"),
        _l("Protection of Communications Secrets Act, as this policy states it"),
    ),
    ("event_tax", _l("Tax records of prizes given at events"), _l("Income Tax Act")),
    (
        "illegal_use",
        _l("Records of illegal use (fake signups, policy violations, abnormal use)"),
        _l("This policy, to prevent repeated abuse"),
    ),
    (
        "advertising",
        _l("Display and advertising records"),
        _l("Act on the Consumer Protection in Electronic Commerce"),
    ),
    (
        "staff_access_log",
        _l("Staff access logs to personal data"),
        _l("Standard for safeguarding personal information; reviewed monthly"),
    ),
)
CATEGORY_KEYS = tuple(key for key, _, _ in _CATEGORIES)


def retention_categories(months: dict[str, int] | None = None) -> list[RetentionCategory]:
    """Every retention category, with the given periods or else the configured ones."""
    # A version predating a category states nothing about it: the configured period fills in.
    months = current_app.config["RETENTION_MONTHS"] | (months or {})
    return [
        RetentionCategory(key=key, record=record, basis=basis, months=months[key])
        for key, record, basis in _CATEGORIES
    ]


def period_label(months: int) -> str:
    """A period in whole years when it is one, else in months, in the current language."""
    if months % 12 == 0:
        years = months // 12
        return ngettext("%(num)d year", "%(num)d years", years)
    return ngettext("%(num)d month", "%(num)d months", months)


def add_months(start: D, months: int) -> D:
    """The same day (and time) months later, clamped to the month's end (29 Feb -> 28 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return start.replace(year=year, month=month, day=min(start.day, last_day))
