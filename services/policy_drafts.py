"""Drafting and scheduling new versions of the privacy policy and terms, with notice (SPEC §12).

A draft is a PolicyVersion with announced_at NULL: nobody but the privacy
office sees it. Scheduling announces it with an effective date at least the
notice period ahead; from then on it is never edited, and it becomes current on
its date by itself (services.policies.current_version compares dates).
"""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from extensions import db
from models.policy import IMPORTANCE_LEVELS, POLICY_KINDS, PolicyVersion
from services.clock import now_utc, seoul_today
from services.policies import ANNOUNCED, current_version, forget_upcoming_changes
from services.policy_facts import configured_promises
from services.policy_notices import written_text
from services.rules import RuleError
from services.text import normalise

log = logging.getLogger(__name__)

# The same shape as the public URL converter (blueprints/policies/converters.py), so every
# version can be read at its lasting URL; a test keeps the two in step.
VERSION_PATTERN = r"\d{1,3}(?:\.\d{1,3}){1,2}"
SUMMARY_MAX = 2000
BODY_MAX = 100_000
# An announced version cannot be withdrawn, so a mistyped year must not announce it for decades.
MAX_NOTICE_DAYS = 365


class PolicyDraftError(RuleError):
    """A draft or a schedule the rules refuse."""


@dataclass(frozen=True)
class DraftText:
    """What the privacy officer writes: number, importance, summaries and full texts in both languages."""

    version: str
    importance: str
    summary_ko: str
    summary_en: str
    body_ko: str
    body_en: str


@dataclass(frozen=True)
class KindOverview:
    """One legal text's versions as the privacy office sees them."""

    kind: str
    drafts: list[PolicyVersion]
    scheduled: list[PolicyVersion]
    current: PolicyVersion | None


def version_key(version: str) -> tuple[int, ...]:
    """A version number as a tuple that sorts numerically (1.10 after 1.9)."""
    return tuple(int(part) for part in version.split("."))


def overview(today: date | None = None) -> list[KindOverview]:
    """Drafts, scheduled versions and the version in force, for each legal text."""
    today = today or seoul_today()
    rows = list(db.session.scalars(select(PolicyVersion).order_by(PolicyVersion.id)))
    result = []
    for kind in POLICY_KINDS:
        mine = [row for row in rows if row.kind == kind]
        result.append(
            KindOverview(
                kind=kind,
                drafts=[row for row in mine if row.announced_at is None],
                scheduled=[row for row in mine if row.announced_at is not None and row.effective_on > today],
                current=current_version(kind, today),
            )
        )
    return result


def find_row(row_id: int) -> PolicyVersion | None:
    """Any version by id, draft or announced (the privacy office's view)."""
    return db.session.get(PolicyVersion, row_id)


def suggested_version(kind: str) -> str:
    """The next minor number after every version of this kind (1.0 -> 1.1)."""
    numbers = [
        version_key(v)
        for v in db.session.scalars(select(PolicyVersion.version).where(PolicyVersion.kind == kind))
    ]
    if not numbers:
        return "1.0"
    major, minor = (max(numbers) + (0,))[:2]
    return f"{major}.{minor + 1}"


def prefill(kind: str, locales: tuple[str, ...] = ("ko", "en")) -> dict[str, str]:
    """The words of the version in force, per language, as the starting point of a new draft.

    Generated parts (retention table, officer's contact, processors) are left out: a drafted
    version shows them live after its text, from its own promises and the settings.
    """
    current = current_version(kind)
    if current is None:
        return dict.fromkeys(locales, "")
    return {locale: written_text(current, locale) for locale in locales}


def _check_text(kind: str, text: DraftText, row_id: int | None) -> None:
    if not re.fullmatch(VERSION_PATTERN, text.version or ""):
        raise PolicyDraftError("bad_version", "version")
    if text.importance not in IMPORTANCE_LEVELS:
        raise PolicyDraftError("bad_importance", "importance")
    for field, value, most in (
        ("summary_ko", text.summary_ko, SUMMARY_MAX),
        ("summary_en", text.summary_en, SUMMARY_MAX),
        ("body_ko", text.body_ko, BODY_MAX),
        ("body_en", text.body_en, BODY_MAX),
    ):
        if not (value or "").strip():
            raise PolicyDraftError("empty", field)
        if len(value) > most:
            raise PolicyDraftError("too_long", field, most=most)
    others = db.session.scalars(
        select(PolicyVersion.version).where(PolicyVersion.kind == kind, PolicyVersion.id != (row_id or 0))
    ).all()
    if text.version in others:
        raise PolicyDraftError("version_taken", "version")
    newest = max(others, key=version_key, default=None)
    if newest is not None and version_key(text.version) <= version_key(newest):
        raise PolicyDraftError("version_not_newer", "version", newest=newest)


def _cleaned(text: DraftText) -> DraftText:
    # One form of line breaks and no control characters, so the comparison shows real changes only.
    return DraftText(
        version=(text.version or "").strip(),
        importance=text.importance,
        summary_ko=normalise(text.summary_ko),
        summary_en=normalise(text.summary_en),
        body_ko=normalise(text.body_ko),
        body_en=normalise(text.body_en),
    )


def _apply(row: PolicyVersion, text: DraftText) -> None:
    row.version, row.importance = text.version, text.importance
    row.summary_ko, row.summary_en = text.summary_ko, text.summary_en
    row.body_ko, row.body_en = text.body_ko, text.body_en


def _commit_or_taken() -> None:
    try:
        db.session.commit()
    except IntegrityError:
        # Another officer saved the same number at the same moment.
        db.session.rollback()
        raise PolicyDraftError("version_taken", "version") from None


def create_draft(officer_id: int, kind: str, text: DraftText, today: date | None = None) -> PolicyVersion:
    """Save a new, unannounced version of a legal text."""
    if kind not in POLICY_KINDS:
        raise PolicyDraftError("bad_kind")
    text = _cleaned(text)
    _check_text(kind, text, None)
    today = today or seoul_today()
    # The dates are placeholders until scheduling sets them; nobody sees a draft's dates.
    row = PolicyVersion(kind=kind, enacted_on=today, effective_on=today, promises={}, created_by=officer_id)
    _apply(row, text)
    db.session.add(row)
    _commit_or_taken()
    log.info("policy draft %s %s saved by member %s", kind, row.version, officer_id)
    return row


def update_draft(row: PolicyVersion, text: DraftText) -> PolicyVersion:
    """Change a draft; an announced version is never edited."""
    if row.announced_at is not None:
        raise PolicyDraftError("announced")
    text = _cleaned(text)
    _check_text(row.kind, text, row.id)
    _apply(row, text)
    _commit_or_taken()
    return row


def delete_draft(row: PolicyVersion) -> None:
    """Delete a draft; an announced version stays for ever."""
    if row.announced_at is not None:
        raise PolicyDraftError("announced")
    db.session.delete(row)
    db.session.commit()
    log.info("policy draft %s %s deleted", row.kind, row.version)


def notice_days(importance: str) -> int:
    """The notice period a change of this importance needs, in days (configured, SPEC §12)."""
    cfg = current_app.config
    return cfg["POLICY_NOTICE_DAYS_IMPORTANT" if importance == "important" else "POLICY_NOTICE_DAYS_GENERAL"]


def earliest_effective_date(importance: str, today: date | None = None) -> date:
    """The first effective date the notice period allows for a change scheduled today."""
    return (today or seoul_today()) + timedelta(days=notice_days(importance))


def _check_schedule(row: PolicyVersion, effective_on: date, today: date) -> None:
    if row.announced_at is not None:
        raise PolicyDraftError("announced")
    earliest = earliest_effective_date(row.importance, today)
    if effective_on < earliest:
        raise PolicyDraftError(
            "notice_too_short", "effective_on", days=notice_days(row.importance), earliest=earliest
        )
    if effective_on > today + timedelta(days=MAX_NOTICE_DAYS):
        raise PolicyDraftError("too_far", "effective_on", days=MAX_NOTICE_DAYS)
    announced = db.session.scalars(
        select(PolicyVersion).where(PolicyVersion.kind == row.kind, ANNOUNCED)
    ).all()
    current = current_version(row.kind, today)
    if current is not None and effective_on <= current.effective_on:
        raise PolicyDraftError("not_after_current", "effective_on", date=current.effective_on)
    # One pending change per text keeps "current" and the banner simple to reason about.
    pending = next((other for other in announced if other.effective_on > today), None)
    if pending is not None:
        raise PolicyDraftError("pending", version=pending.version, date=pending.effective_on)
    newest = max(announced, key=lambda other: version_key(other.version), default=None)
    if newest is not None and version_key(row.version) <= version_key(newest.version):
        raise PolicyDraftError("version_not_newer", newest=newest.version)


def schedule(
    row: PolicyVersion, effective_on: date, today: date | None = None, now: datetime | None = None
) -> PolicyVersion:
    """Announce a draft to take effect on effective_on, stating the promises configured now.

    The caller starts the e-mail fan-out of an important change once this has committed.
    """
    now = now or now_utc()
    today = today or seoul_today(now)
    _check_schedule(row, effective_on, today)
    # Conditional, so a double submit or a second officer cannot announce it twice.
    announced = db.session.execute(
        update(PolicyVersion)
        .where(PolicyVersion.id == row.id, PolicyVersion.announced_at.is_(None))
        .values(
            enacted_on=today,
            effective_on=effective_on,
            announced_at=now,
            promises=configured_promises(),
            notice_cursor=0,
            notice_finished_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    if announced.rowcount != 1:
        db.session.rollback()
        raise PolicyDraftError("announced")
    db.session.commit()
    forget_upcoming_changes()
    db.session.refresh(row)
    log.info("policy %s %s scheduled for %s (%s)", row.kind, row.version, effective_on, row.importance)
    return row
