"""Telling people about an announced policy change: the banner, the comparison, the members' e-mails.

From scheduling until its effective date a version is "upcoming": every page
shows a banner for it and its comparison page shows what changes. An important
change is also e-mailed to every active member, batch by batch through the
outbox (services.fanout), so a killed run resumes where it stopped.
"""

import difflib
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from sqlalchemy import select, update

from extensions import db
from models.member import Member
from models.policy import POLICY_KINDS, PolicyVersion
from services.clock import now_utc, seoul_today
from services.fanout import fan_out
from services.outbox import queue_email
from services.personal_access import FrozenField, personal_value
from services.policies import ANNOUNCED, BANNER_CACHE
from services.policy_facts import consignees, officer_contact, policy_facts
from services.retention import retention_categories

log = logging.getLogger(__name__)

DIFF_CONTEXT_LINES = 3
# Shown after a drafted text; also the common tail of every version in a comparison.
GENERATED_SECTIONS = "policies/_generated.html"


@dataclass(frozen=True)
class UpcomingChange:
    """An announced version not yet in force, as the banner needs it (plain values, no session)."""

    kind: str
    version: str
    effective_on: date


@dataclass(frozen=True)
class DiffLine:
    """One line of a comparison: 'same', 'del' (only in the old text) or 'ins' (only in the new)."""

    op: str
    text: str


def upcoming_changes(today: date | None = None) -> list[UpcomingChange]:
    """Announced versions whose effective date is still ahead: one indexed query."""
    rows = db.session.execute(
        select(PolicyVersion.kind, PolicyVersion.version, PolicyVersion.effective_on)
        .where(
            PolicyVersion.kind.in_(POLICY_KINDS),
            PolicyVersion.effective_on > (today or seoul_today()),
            ANNOUNCED,
        )
        .order_by(PolicyVersion.effective_on, PolicyVersion.kind)
    )
    return [UpcomingChange(*row) for row in rows]


@dataclass(frozen=True)
class _BannerCopy:
    """A worker's copy of the upcoming changes: for which Korean day, read at which monotonic time."""

    day: date
    read_at: float
    changes: list[UpcomingChange]


def banner_changes() -> list[UpcomingChange]:
    """The upcoming changes for the banner, read from the database at most once a while per worker.

    Keyed by the Korean day, so a version stops being "upcoming" at midnight whatever the copy's
    age; announcing clears the copy (services.policies.forget_upcoming_changes).
    """
    today, now = seoul_today(), time.monotonic()
    copy = current_app.extensions.get(BANNER_CACHE)
    if (
        copy is None
        or copy.day != today
        or now - copy.read_at >= current_app.config["POLICY_BANNER_CACHE_SECONDS"]
    ):
        copy = _BannerCopy(today, now, upcoming_changes(today))
        current_app.extensions[BANNER_CACHE] = copy
    return copy.changes


class _TextExtractor(HTMLParser):
    """A legal template's words with its block structure as lines.

    The table of contents is dropped, and so is every element marked data-generated (the
    retention table, the officer's contact, the processors): those are rendered live from
    settings and the version's promises, so a draft must never copy them as words.
    """

    BLOCKS = frozenset(
        ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "thead", "tbody")
        + ("caption", "section", "article", "dl", "dt", "dd")
    )

    def __init__(self, keep_generated: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.keep_generated = keep_generated
        self.skipped = ""  # the tag whose content is being dropped
        self.skipping = 0  # how deep inside that tag we are
        self.cells = 0

    def _drops(self, tag: str, attrs) -> bool:
        generated = not self.keep_generated and any(name == "data-generated" for name, _ in attrs)
        return tag == "nav" or generated

    def handle_starttag(self, tag: str, attrs) -> None:
        if self.skipping:
            self.skipping += tag == self.skipped
            return
        if self._drops(tag, attrs):
            self.skipped, self.skipping = tag, 1
            return
        if tag in self.BLOCKS or tag in ("br", "tr"):
            self.parts.append("\n")
            self.cells = 0
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" | " if self.cells else "")
            self.cells += 1

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag == self.skipped
            return
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str, keep_generated: bool = False) -> str:
    """Plain text of an HTML fragment: one line per block, blank lines between paragraphs collapsed.

    Generated parts (data-generated) are left out unless keep_generated is set.
    """
    parser = _TextExtractor(keep_generated)
    parser.feed(html)
    parser.close()
    lines = [re.sub(r" {2,}", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip()


def version_context(row: PolicyVersion, locale: str) -> dict:
    """What a version's templates state: the numbers it promised, and today's officer and processors."""
    return {
        "kind": row.kind,
        "shown": row,
        "locale": locale,
        "facts": policy_facts(row.promises),
        "retention": retention_categories(row.promises.get("RETENTION_MONTHS")),
        "officer": officer_contact(locale),
        "consignees": consignees(locale),
    }


def _render(template: str, row: PolicyVersion, locale: str) -> str:
    with force_locale(locale):
        return render_template(template, **version_context(row, locale))


def written_text(row: PolicyVersion, locale: str) -> str:
    """A version's own words in one language, without its generated parts: what a new draft starts from."""
    body = row.body(locale)
    if body is not None:
        return body
    return html_to_text(_render(row.template_name(locale), row, locale))


def version_text(row: PolicyVersion, locale: str) -> str:
    """A version's full text for comparison: its own words, then its generated parts.

    The generated parts come last for every version, shipped or drafted, so a changed
    retention period shows as a changed line rather than as moved text.
    """
    generated = html_to_text(_render(GENERATED_SECTIONS, row, locale), keep_generated=True)
    return "\n\n".join(part for part in (written_text(row, locale), generated) if part)


def compare_texts(old: str, new: str) -> list[list[DiffLine]]:
    """Line-by-line differences as hunks, each with a few unchanged lines around it; [] when equal."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(DIFF_CONTEXT_LINES):
        hunk = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                hunk += [DiffLine("same", line) for line in old_lines[i1:i2]]
                continue
            hunk += [DiffLine("del", line) for line in old_lines[i1:i2]]
            hunk += [DiffLine("ins", line) for line in new_lines[j1:j2]]
        hunks.append(hunk)
    return hunks


def previous_version(row: PolicyVersion) -> PolicyVersion | None:
    """The announced version of the same text that this one replaces (None for a first version)."""
    query = select(PolicyVersion).where(PolicyVersion.kind == row.kind, ANNOUNCED, PolicyVersion.id != row.id)
    if row.announced_at is not None:
        query = query.where(PolicyVersion.effective_on < row.effective_on)
    else:
        # A draft would replace whatever is in force today.
        query = query.where(PolicyVersion.effective_on <= seoul_today())
    return db.session.scalar(
        query.order_by(PolicyVersion.effective_on.desc(), PolicyVersion.id.desc()).limit(1)
    )


def comparison(row: PolicyVersion, locale: str) -> tuple[PolicyVersion | None, list[list[DiffLine]]]:
    """The version this one replaces and the differences between their texts in one language."""
    previous = previous_version(row)
    if previous is None:
        return None, []
    return previous, compare_texts(version_text(previous, locale), version_text(row, locale))


def unfinished_notices() -> list[int]:
    """Ids of announced important changes whose member e-mails have not all been queued."""
    return list(
        db.session.scalars(
            select(PolicyVersion.id)
            .where(
                ANNOUNCED,
                PolicyVersion.importance == "important",
                PolicyVersion.notice_finished_at.is_(None),
            )
            .order_by(PolicyVersion.id)
        )
    )


def notify_members(
    version_id: int,
    batch_size: int,
    after_batch: Callable[[], None] | None = None,
    now: datetime | None = None,
) -> int:
    """E-mail every active member (in their language) about an important change; return how many.

    Safe to run twice and to resume: the version's cursor says who has been
    mailed, and a finished notice is not sent again.
    """
    row = db.session.get(PolicyVersion, version_id)
    if row is None or row.announced_at is None or row.importance != "important" or row.notice_finished_at:
        return 0
    languages = current_app.config["LANGUAGES"]
    contexts = {}
    for locale in languages:
        with force_locale(locale):
            on = format_date(row.effective_on, "long")
        summary = row.summary(locale)
        contexts[locale] = {"kind": row.kind, "version": row.version, "on": on, "summary": summary}

    def handle(member: Member) -> bool:
        try:
            address = personal_value(member, "email")
        except FrozenField:
            return False  # flagged as wrong by its owner: unusable until corrected
        locale = member.language if member.language in languages else languages[0]
        queue_email(address, "policy_change", locale, contexts[locale], member_id=member.id, flush=False)
        return True

    members = select(Member).where(Member.status == "active")
    sent = fan_out(PolicyVersion, version_id, "notice_cursor", members, handle, batch_size, after_batch)
    db.session.execute(
        update(PolicyVersion)
        .where(PolicyVersion.id == version_id, PolicyVersion.notice_finished_at.is_(None))
        .values(notice_finished_at=now or now_utc())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    log.info("policy notice for version id %s: %d e-mail(s) queued", version_id, sent)
    return sent
