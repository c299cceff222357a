"""One campaign to one member: queued now, held for the morning, released later; and unsubscribing."""

import logging
from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import select, update

from extensions import db
from models.marketing import Campaign, CampaignDelivery
from models.member import Member
from services.clock import now_utc
from services.link_tokens import LinkTokenError, make_token, member_from_token
from services.marketing_audience import has_current_consent, may_send_now, night_ends, reachable
from services.members import record_consents
from services.outbox import queue_email
from services.personal_access import is_frozen
from services.retention_store import retain_until
from services.rules import RuleError

log = logging.getLogger(__name__)

UNSUBSCRIBE_PURPOSE = "marketing-unsubscribe"
# Long enough for an old message found in a mailbox to still work; the link does one harmless thing.
UNSUBSCRIBE_MAX_AGE = timedelta(days=2 * 365)
RELEASE_BATCH = 200


class MarketingError(RuleError):
    """A campaign step or an unsubscribe link was refused."""


def unsubscribe_url(member: Member) -> str:
    """The absolute one-click unsubscribe address for the member (a signed token; no sign-in)."""
    token = make_token(UNSUBSCRIBE_PURPOSE, {"m": member.id})
    languages = current_app.config["LANGUAGES"]
    language = member.language if member.language in languages else languages[0]
    return url_for("marketing.unsubscribe_page", lang_code=language, token=token, _external=True)


def member_for_unsubscribe(token: str) -> Member:
    """The member an unsubscribe token names; MarketingError for a tampered, foreign or expired one."""
    try:
        member, _ = member_from_token(UNSUBSCRIBE_PURPOSE, token, UNSUBSCRIBE_MAX_AGE)
    except LinkTokenError as error:
        raise MarketingError(error.code) from None
    return member


def still_subscribed(token: str) -> bool:
    """Whether the token's member receives marketing e-mail now (MarketingError for a bad token)."""
    return has_current_consent(member_for_unsubscribe(token).id, "marketing_email")


def unsubscribe(token: str) -> bool:
    """Withdraw the marketing e-mail consent the token's member gave; False if it was not given."""
    member = member_for_unsubscribe(token)
    if not has_current_consent(member.id, "marketing_email"):
        return False
    record_consents(member, {"marketing_email": False}, "unsubscribe_link")
    db.session.commit()
    log.info("member %s unsubscribed from marketing e-mail by link", member.id)
    return True


def _queue(campaign: Campaign, member: Member) -> None:
    english = member.language == "en"
    context = {
        "title": campaign.subject_en if english else campaign.subject_ko,
        "body": campaign.body_en if english else campaign.body_ko,
        "unsubscribe_url": unsubscribe_url(member),
    }
    queue_email(member.email, "campaign", member.language, context, member_id=member.id)


def deliver_to(campaign: Campaign, member: Member, now: datetime) -> bool:
    """Queue the campaign to one consenting member, or hold it until morning; False if skipped.

    The delivery record (kept 6 months) is written with the outbox row, in the
    caller's transaction.
    """
    if is_frozen(member, "email"):
        return False
    delivery = CampaignDelivery(
        campaign_id=campaign.id, member_id=member.id, retain_until=retain_until("advertising", now)
    )
    if may_send_now(member.id, now):
        _queue(campaign, member)
        delivery.status, delivery.send_after, delivery.queued_at = "queued", now, now
    else:
        delivery.status, delivery.send_after = "held", night_ends(now)
    db.session.add(delivery)
    return True


def _settle(delivery_id: int, status: str, now: datetime) -> bool:
    """Move one held delivery on; False when another run already did (the UPDATE is conditional)."""
    values = {"status": status, "queued_at": now} if status == "queued" else {"status": status}
    moved = db.session.execute(
        update(CampaignDelivery)
        .where(CampaignDelivery.id == delivery_id, CampaignDelivery.status == "held")
        .values(values)
        .execution_options(synchronize_session=False)
    )
    return moved.rowcount == 1


def release_held(now: datetime | None = None, batch_size: int = RELEASE_BATCH) -> int:
    """Queue the held deliveries whose morning has come, re-checking consent now; return how many went."""
    now = now or now_utc()
    queued, last_id = 0, 0
    while batch := db.session.execute(
        select(CampaignDelivery.id, CampaignDelivery.campaign_id, CampaignDelivery.member_id)
        .where(
            CampaignDelivery.status == "held",
            CampaignDelivery.send_after <= now,
            CampaignDelivery.id > last_id,
        )
        .order_by(CampaignDelivery.id)
        .limit(batch_size)
    ).all():
        last_id = batch[-1].id
        for row in batch:
            member = db.session.get(Member, row.member_id) if row.member_id else None
            if not reachable(member):
                # Consent withdrawn (or the member gone) while the message waited: it is never sent.
                _settle(row.id, "skipped", now)
            elif not may_send_now(member.id, now):
                continue  # released late, into another night: wait for the next morning
            elif _settle(row.id, "queued", now):
                _queue(db.session.get(Campaign, row.campaign_id), member)
                queued += 1
            db.session.commit()
    db.session.rollback()
    return queued
