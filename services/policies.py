"""Versions of the privacy policy and terms: which one is current, the history, the shipped texts."""

import logging
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from extensions import db
from models.policy import POLICY_KINDS, PolicyVersion
from services.clock import now_utc, seoul_today
from services.policy_facts import configured_promises, promise_drift

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ShippedVersion:
    """A version whose per-locale text ships in templates/legal/."""

    kind: str
    version: str
    enacted_on: date
    effective_on: date
    importance: str
    summary_ko: str
    summary_en: str


# The texts that ship with the code, each with templates/legal/<kind>/<version>.<locale>.html.
# `flask policies sync` registers them on every deploy.
SHIPPED_VERSIONS = (
    ShippedVersion(
        kind="privacy",
        version="1.0",
        enacted_on=date(2016, 3, 17),
        effective_on=date(2016, 3, 24),
        importance="general",
        summary_ko="최초 제정",
        summary_en="First version",
    ),
    ShippedVersion(
        kind="terms",
        version="1.0",
        enacted_on=date(2016, 3, 17),
        effective_on=date(2016, 3, 24),
        importance="general",
        summary_ko="최초 제정",
        summary_en="First version",
    ),
)


ANNOUNCED = PolicyVersion.announced_at.is_not(None)
# Where a worker keeps its copy of the upcoming changes (services.policy_notices.banner_changes).
BANNER_CACHE = "usnaper.upcoming_policy_changes"


def forget_upcoming_changes() -> None:
    """Drop this worker's copy of the upcoming changes: the next page reads them again."""
    current_app.extensions.pop(BANNER_CACHE, None)


def versions(kind: str) -> list[PolicyVersion]:
    """Every announced version of a legal text, newest effective date first."""
    query = (
        select(PolicyVersion)
        .where(PolicyVersion.kind == kind, ANNOUNCED)
        .order_by(PolicyVersion.effective_on.desc(), PolicyVersion.id.desc())
    )
    return list(db.session.scalars(query))


def current_version(kind: str, today: date | None = None) -> PolicyVersion | None:
    """The version in force on today's Korean date, if any has taken effect."""
    query = (
        select(PolicyVersion)
        .where(PolicyVersion.kind == kind, ANNOUNCED, PolicyVersion.effective_on <= (today or seoul_today()))
        .order_by(PolicyVersion.effective_on.desc(), PolicyVersion.id.desc())
        .limit(1)
    )
    return db.session.scalar(query)


def find_version(kind: str, version: str) -> PolicyVersion | None:
    """One announced version by its number (drafts are the privacy office's alone)."""
    return db.session.scalar(
        select(PolicyVersion).where(PolicyVersion.kind == kind, PolicyVersion.version == version, ANNOUNCED)
    )


def version_status(row: PolicyVersion, current: PolicyVersion | None, today: date | None = None) -> str:
    """'current', 'upcoming' (announced, not yet in force) or 'previous'."""
    if current is not None and row.id == current.id:
        return "current"
    if row.effective_on > (today or seoul_today()):
        return "upcoming"
    return "previous"


def sync_shipped_versions() -> int:
    """Insert the shipped versions that are missing; return how many were added.

    A new row states the promised numbers configured now. Existing rows are left
    alone: a published version is never rewritten.
    """
    added = 0
    for shipped in SHIPPED_VERSIONS:
        exists = db.session.scalar(
            select(PolicyVersion.id).where(
                PolicyVersion.kind == shipped.kind, PolicyVersion.version == shipped.version
            )
        )
        if exists is None:
            db.session.add(
                PolicyVersion(**shipped.__dict__, promises=configured_promises(), announced_at=now_utc())
            )
            added += 1
    db.session.commit()
    if added:
        forget_upcoming_changes()
        log.info("added %d shipped policy version(s)", added)
    return added


def drift_from_policies_in_force() -> dict[str, list[str]]:
    """For each legal text in force, the settings now configured differently from what it states.

    Any entry means the code would act on numbers the published policy does not
    promise: publish a new version (with its notice period) or restore the setting.
    """
    drift = {}
    for kind in POLICY_KINDS:
        current = current_version(kind)
        names = promise_drift(current.promises) if current else []
        if names:
            drift[kind] = names
    return drift
