"""Marketing campaigns (SPEC §10): the privacy officer writes one in both languages and sends it once.

Sending moves a draft to 'sending' with one conditional UPDATE, then fans out
over the consenting members in batches (services.fanout), each batch writing its
outbox rows and delivery records with the cursor; the campaign is 'sent' when
the fan-out runs dry. A second run, or a run after the end, sends nothing more.
"""

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import func, select, update

from extensions import db
from models.marketing import Campaign, CampaignDelivery
from models.member import Member
from models.outbox import OutboxMessage
from services.clock import now_utc
from services.fanout import fan_out
from services.mail import build_message
from services.marketing_audience import consenting_members
from services.marketing_delivery import MarketingError, deliver_to
from services.text import normalise, single_line

log = logging.getLogger(__name__)

SUBJECT_MAX = 120
BODY_MAX = 5000
# A fan-out job runs at most 30 minutes (jobs.JOB_TIMEOUT_SECONDS); one still 'sending' long after died.
STALLED_AFTER = timedelta(hours=1)
LANGUAGES = ("ko", "en")
# Stands in for a member's own signed token in the preview's unsubscribe link.
PREVIEW_TOKEN = "preview"  # noqa: S105 - not a secret


@dataclass(frozen=True)
class CampaignText:
    """What the privacy officer wrote: a subject and a plain-text body in each language."""

    subject_ko: str
    subject_en: str
    body_ko: str
    body_en: str


@dataclass(frozen=True)
class CampaignRow:
    """A campaign with how many deliveries it has in each state, for the console's list."""

    campaign: Campaign
    counts: Counter


def list_campaigns() -> list[CampaignRow]:
    """Every campaign, newest first, with its queued, held and skipped deliveries counted."""
    counts: dict[int, Counter] = {}
    for campaign_id, status, number in db.session.execute(
        select(CampaignDelivery.campaign_id, CampaignDelivery.status, func.count()).group_by(
            CampaignDelivery.campaign_id, CampaignDelivery.status
        )
    ):
        counts.setdefault(campaign_id, Counter())[status] = number
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.id.desc()))
    return [CampaignRow(campaign, counts.get(campaign.id, Counter())) for campaign in campaigns]


def delivery_counts(campaign: Campaign) -> Counter:
    """How many of the campaign's deliveries are queued, held and skipped."""
    rows = db.session.execute(
        select(CampaignDelivery.status, func.count())
        .where(CampaignDelivery.campaign_id == campaign.id)
        .group_by(CampaignDelivery.status)
    )
    return Counter(dict(rows.all()))


def find_campaign(campaign_id: int) -> Campaign | None:
    """One campaign by id."""
    return db.session.get(Campaign, campaign_id)


def _clean(text: CampaignText) -> CampaignText:
    cleaned = CampaignText(
        subject_ko=single_line(text.subject_ko),
        subject_en=single_line(text.subject_en),
        body_ko=normalise(text.body_ko),
        body_en=normalise(text.body_en),
    )
    for name, most in (("subject_ko", SUBJECT_MAX), ("subject_en", SUBJECT_MAX)) + (
        ("body_ko", BODY_MAX),
        ("body_en", BODY_MAX),
    ):
        value = getattr(cleaned, name)
        if not value:
            raise MarketingError("empty", name)
        if len(value) > most:
            raise MarketingError("too_long", name, most=most)
    return cleaned


def save_campaign(author: Member, text: CampaignText, campaign: Campaign | None = None) -> Campaign:
    """Create a draft, or change one that has not been sent; a campaign being sent or sent is refused."""
    cleaned = _clean(text)
    if campaign is None:
        campaign = Campaign(created_by=author.id, status="draft")
        db.session.add(campaign)
    elif campaign.status != "draft":
        raise MarketingError("not_draft")
    campaign.subject_ko, campaign.subject_en = cleaned.subject_ko, cleaned.subject_en
    campaign.body_ko, campaign.body_en = cleaned.body_ko, cleaned.body_en
    db.session.commit()
    log.info("campaign %s saved by staff member %s", campaign.id, author.id)
    return campaign


def preview(campaign: Campaign) -> dict[str, tuple[str, str]]:
    """The e-mail as members will get it, per language: (subject with its mark, text part)."""
    shown = {}
    for locale in LANGUAGES:
        english = locale == "en"
        row = OutboxMessage(
            id=0,
            recipient="member@example.com",
            template="campaign",
            locale=locale,
            created_at=datetime.fromtimestamp(0, UTC),
            context={
                "title": campaign.subject_en if english else campaign.subject_ko,
                "body": campaign.body_en if english else campaign.body_ko,
                "unsubscribe_url": url_for(
                    "marketing.unsubscribe_page",
                    lang_code=locale,
                    token=PREVIEW_TOKEN,
                    _external=True,
                ),
            },
        )
        message = build_message(row)
        shown[locale] = (message["Subject"], message.get_body(preferencelist=("plain",)).get_content())
    return shown


def start_sending(campaign: Campaign, now: datetime | None = None) -> None:
    """Mark a draft as being sent (once: a campaign being sent or already sent is refused)."""
    moved = db.session.execute(
        update(Campaign)
        .where(Campaign.id == campaign.id, Campaign.status == "draft")
        .values(status="sending", started_at=now or now_utc(), cursor=0)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        db.session.rollback()
        raise MarketingError("not_draft")
    db.session.commit()
    log.info("campaign %s: sending started", campaign.id)


def send(
    campaign_id: int,
    now: datetime | None = None,
    after_batch: Callable[[], None] | None = None,
    batch_size: int | None = None,
) -> int:
    """Fan a campaign out to every consenting member past its cursor; mark it sent when done.

    Safe to run twice: a campaign not 'sending' is left alone, and the cursor
    moves with each committed batch. Returns how many members were taken.
    """
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None or campaign.status != "sending":
        db.session.rollback()
        return 0
    taken = fan_out(
        Campaign,
        campaign_id,
        "cursor",
        consenting_members(),
        lambda member: deliver_to(campaign, member, now or now_utc()),
        batch_size or current_app.config["FANOUT_BATCH_SIZE"],
        after_batch,
    )
    db.session.execute(
        update(Campaign)
        .where(Campaign.id == campaign_id, Campaign.status == "sending")
        .values(status="sent", finished_at=now or now_utc())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    log.info("campaign %s: %d member(s) taken in this run", campaign_id, taken)
    return taken


def stalled_campaign_ids(now: datetime | None = None) -> list[int]:
    """Campaigns still 'sending' long after they started: their fan-out died and must resume."""
    cutoff = (now or now_utc()) - STALLED_AFTER
    return list(
        db.session.scalars(
            select(Campaign.id).where(Campaign.status == "sending", Campaign.started_at <= cutoff)
        )
    )
