"""Leaving the site: personal data deleted at once, a receipt, and the re-join guard (SPEC §5)."""

import logging

from sqlalchemy import delete, func, or_, select, update

from extensions import db
from models.access_log import AccessLog
from models.board import Comment, Post
from models.consent import ConsentEvent
from models.dormant import DormantRecord
from models.marketing import CampaignDelivery
from models.member import Member
from models.moderation import ModerationAction, Report, TemporaryMeasure
from models.outbox import OutboxMessage
from models.privacy_office import StaffAccess
from models.shoot import Booking
from models.sign_in import SignInEvent
from services import photos
from services.addresses import email_key
from services.clock import now_utc, seoul_today
from services.complaints import keep_after_withdrawal
from services.dormancy import ensure_store
from services.members import MembershipError
from services.outbox import queue_email
from services.passwords import check_password
from services.photographers import profile_of, stored_names_of
from services.posts import remove_comment, remove_posts
from services.rejoin import remember_withdrawal
from services.retention_store import keep, retain_until
from services.security_log import security_event
from services.staff import other_active_officers, record_role_change

log = logging.getLogger(__name__)

# What withdrawal deletes, named for the receipt (each a category of the personal-data registry).
DELETED_ITEMS = ("profile", "contact", "consents", "sign_ins", "emails")


def withdraw(member: Member, password: str, keep_posts: bool = False) -> dict:
    """Delete the member's personal data now, remember a hash of the address, e-mail a receipt.

    The member chooses what happens to their posts and comments: deleted with
    them, or kept and credited to "withdrawn member" with nothing linking back.
    Returns what the receipt lists: the deleted items and the records kept under
    law, each with the day it will be destroyed.
    """
    if not check_password(password, member.password_hash):
        raise MembershipError("wrong_password", "password")
    if member.staff_role == "privacy_officer" and not other_active_officers(member.id):
        # The site must never be left without someone to answer for its personal data.
        raise MembershipError("last_officer")
    now = now_utc()
    address, language, member_id = member.email, member.language, member.id
    kept = []
    visits = db.session.scalar(
        select(func.count()).select_from(AccessLog).where(AccessLog.member_id == member_id)
    )
    if visits:
        # The law keeps site-visit records; they stay, but nothing in them points to the person any more.
        db.session.execute(update(AccessLog).where(AccessLog.member_id == member_id).values(member_id=None))
        until = seoul_today(retain_until("access_log", now)).isoformat()
        kept.append({"category": "access_log", "until": until})
    kept += _keep_contracts(member, now)
    # Their complaints are consumer complaint records: kept 3 years after closing, linked to nobody.
    kept += keep_after_withdrawal(member_id, now)
    kept += _keep_office_records(member, now)
    _part_with_posts(member_id, keep_posts)
    # The profile rows go with the member row (ON DELETE CASCADE); the files after the commit.
    photo_names = stored_names_of(member_id)
    was_photographer = profile_of(member) is not None
    db.session.execute(delete(ConsentEvent).where(ConsentEvent.member_id == member_id))
    db.session.execute(delete(SignInEvent).where(SignInEvent.member_id == member_id))
    db.session.execute(
        delete(OutboxMessage).where(
            or_(
                OutboxMessage.member_id == member_id,
                func.lower(OutboxMessage.recipient) == email_key(address),
            )
        )
    )
    ensure_store()
    db.session.execute(delete(DormantRecord).where(DormantRecord.member_id == member_id))
    db.session.execute(delete(Member).where(Member.id == member_id))
    remember_withdrawal(address, now)
    deleted = (
        list(DELETED_ITEMS)
        + ([] if keep_posts else ["posts"])
        + (["photographer"] if was_photographer else [])
    )
    receipt = {
        "deleted": deleted,
        "kept": kept,
        "posts_kept": keep_posts,
        "withdrawn_on": seoul_today(now).isoformat(),
    }
    queue_email(address, "withdrawal_receipt", language, receipt, erase_after_send=True)
    db.session.commit()
    for name in photo_names:
        photos.remove(name)
    log.info("a member withdrew; personal data deleted")
    return receipt


def _keep_office_records(member: Member, now) -> list[dict]:
    """Advertising records and staff access rows stay for their periods; list them on the receipt.

    Held advertising mail is cancelled and the records are unlinked. Staff access
    rows keep the member number (the audit says whose data was opened), which
    no new member can take over.
    """
    kept = []
    if member.staff_role is not None:
        security_event("role_change", "withdrawn", member.id, before=member.staff_role, after="-")
        record_role_change(member, None, actor_id=member.id, now=now)
    db.session.execute(
        update(CampaignDelivery)
        .where(CampaignDelivery.member_id == member.id, CampaignDelivery.status == "held")
        .values(status="skipped")
    )
    adverts = db.session.scalar(
        select(func.max(CampaignDelivery.retain_until)).where(CampaignDelivery.member_id == member.id)
    )
    if adverts is not None:
        db.session.execute(
            update(CampaignDelivery).where(CampaignDelivery.member_id == member.id).values(member_id=None)
        )
        kept.append({"category": "advertising", "until": seoul_today(adverts).isoformat()})
    audited = db.session.scalar(
        select(func.max(StaffAccess.retain_until)).where(StaffAccess.subject_id == member.id)
    )
    if audited is not None:
        kept.append({"category": "staff_access_log", "until": seoul_today(audited).isoformat()})
    return kept


def _part_with_posts(member_id: int, keep_posts: bool) -> None:
    """Delete the member's writing, or keep it with no author; unlink their reports and log rows."""
    if keep_posts:
        db.session.execute(update(Post).where(Post.author_id == member_id).values(author_id=None))
        db.session.execute(update(Comment).where(Comment.author_id == member_id).values(author_id=None))
    else:
        for comment in db.session.scalars(select(Comment).where(Comment.author_id == member_id)):
            remove_comment(comment)
        # Other members' comments under these posts go with them.
        remove_posts(list(db.session.scalars(select(Post.id).where(Post.author_id == member_id))))
    # What the member wrote in their reports is their writing too: it goes, the reports stay counted.
    db.session.execute(
        update(Report).where(Report.reporter_id == member_id).values(reporter_id=None, details="")
    )
    db.session.execute(
        update(TemporaryMeasure).where(TemporaryMeasure.claimant_id == member_id).values(claimant_id=None)
    )
    for column in (ModerationAction.subject_id, ModerationAction.moderator_id):
        db.session.execute(update(ModerationAction).where(column == member_id).values({column.key: None}))
    # SQLite may hand a freed id to the next member: a suspension row must not point at them.
    db.session.execute(
        update(ModerationAction)
        .where(ModerationAction.target_kind == "member", ModerationAction.target_id == member_id)
        .values(target_id=0)
    )


def _keep_contracts(member: Member, now) -> list[dict]:
    """Contract and payment records of the member's bookings go to retention storage (5 years)."""
    bookings = db.session.scalars(
        select(Booking).where(or_(Booking.customer_id == member.id, Booking.photographer_id == member.id))
    ).all()
    for booking in bookings:
        side = "customer" if booking.customer_id == member.id else "photographer"
        contract = {
            "booking": booking.id,
            "side": side,
            "shoot_date": booking.shoot_date.isoformat(),
            "status": booking.status,
        }
        keep("contract", member.email, contract, now)
        keep(
            "payment",
            member.email,
            {"booking": booking.id, "price": booking.price, "commission": booking.commission},
            now,
        )
    if not bookings:
        return []
    until = {key: seoul_today(retain_until(key, now)).isoformat() for key in ("contract", "payment")}
    return [{"category": key, "until": day} for key, day in until.items()]
