"""Worlds of the office and account forms: members to look up, staff, mail, complaints, campaigns,
policy drafts, a dormant account waiting to be restored, reset and unsubscribe links."""

from datetime import timedelta

from hypothesis import strategies as st
from sqlalchemy import select

from extensions import db
from models import Member, OutboxMessage
from models.member import STAFF_ROLES
from services import marketing, policy_drafts, staff
from services.auth import RESET_SALT, request_password_reset
from services.clock import now_utc, seoul_today
from services.complaints import Sender, send_complaint
from services.dormancy import separate_inactive
from services.link_tokens import make_token
from services.marketing import CampaignText
from services.marketing_delivery import unsubscribe_url
from services.my_info import OPTIONAL_CONSENTS, change_optional_consents, current_consents
from services.policy_drafts import DraftText
from services.retention import add_months

from .invariants_office import MADE_FAILED
from .strategies import odd_url_text, valid_or_odd
from .world import FUZZER, Built, world


def _emails(fz, *names: str) -> list[str]:
    return [db.session.get(Member, fz.person(name)).email for name in names]


@world("subject")
def member_to_look_up(fz) -> Built:
    """An active member with a phone number, for the look-up, open and export forms."""
    subject = fz.person("subject")
    query = valid_or_odd(*_emails(fz, "subject"), f"#{subject}", str(subject), "#999999999999", "@", FUZZER)
    return Built(ids={"member": [subject, fz.member_id]}, values={"query": query})


@world("staff")
def staff_to_change(fz) -> Built:
    """A moderator and another officer, in their roles again (through the logged service)."""
    for name, role in (("moderator", "moderator"), ("officer", "privacy_officer")):
        member = db.session.get(Member, fz.person(name))
        if member.staff_role != role:
            staff.grant_role(member.email, role, None)
    ids = [fz.person("moderator"), fz.person("officer"), fz.member_id, fz.person("subject")]
    emails = valid_or_odd(*_emails(fz, "moderator", "officer", "subject"), FUZZER, "nobody@example.com")
    return Built(
        ids={"member": ids},
        values={"email": emails, "role": valid_or_odd(*STAFF_ROLES)},
    )


@world("failed_mail")
def failed_mail(fz) -> Built:
    """A reset mail that failed, for the retry forms."""
    member = db.session.get(Member, fz.person("subject"))
    request_password_reset(member.email)
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    message.status, message.last_error = "failed", MADE_FAILED
    return Built(ids={"message": message.id})


@world("complaint")
def open_complaint(fz) -> Built:
    """An open question from a visitor."""
    sender = Sender(member=None, email="visitor@example.com", locale="ko", client_address="192.0.2.7")
    complaint = send_complaint(sender, "question", "보유 기간 문의", "제 정보는 언제 지워지나요?")
    return Built(ids={"complaint": complaint.id})


@world("campaign")
def campaign_draft(fz) -> Built:
    """A campaign draft, and a member who would get it."""
    fz.person("subject")
    text = CampaignText("봄 할인", "Spring offer", "봄 촬영을 할인합니다.", "Spring shoots for less.")
    campaign = marketing.save_campaign(fz.fuzzer(), text)
    return Built(ids={"campaign": campaign.id})


@world("draft")
def policy_draft(fz) -> Built:
    """A privacy policy draft with the next version number."""
    version = policy_drafts.suggested_version("privacy")
    text = DraftText(
        version, "general", "표를 고쳤습니다.", "The table is revised.", "제1조 본문", "Article 1"
    )
    row = policy_drafts.create_draft(fz.member_id, "privacy", text)
    earliest = policy_drafts.earliest_effective_date("general")
    values = {
        "version": valid_or_odd(
            policy_drafts.suggested_version("privacy"), version, "1.0", "999.999.999", "١.٢"
        ),
        "importance": valid_or_odd("general", "important"),
        "effective_on": valid_or_odd(earliest.isoformat(), seoul_today().isoformat(), "2999-12-31"),
        "confirm": valid_or_odd("y"),
    }
    ids = {"draft": row.id, "next_version": policy_drafts.suggested_version("privacy"), "earliest": earliest}
    return Built(ids=ids, values=values)


@world("dormant")
def dormant_account(fz) -> Built:
    """A dormant account whose password was just checked: the visitor's session waits to restore it."""
    fz.counter += 1
    member_id = fz.new_member(
        f"sleepy{fz.counter}@example.com",
        "잠든회원",
        last_active_at=add_months(now_utc(), -19),
        dormancy_notice_at=now_utc() - timedelta(days=31),
    )
    separate_inactive()
    fz.visitor = fz.app.test_client()  # a restore signs the visitor in: the next one starts afresh
    with fz.visitor.session_transaction() as session:
        session["restore"] = {"member_id": member_id, "at": now_utc().isoformat()}
    return Built(ids={"member": member_id})


@world("links")
def link_tokens(fz) -> Built:
    """A reset link for another member and an unsubscribe link for a subscriber, or odd tokens."""
    member = db.session.get(Member, fz.person("subject"))
    reset = make_token(RESET_SALT, {"m": member.id, "h": member.password_hash[-16:]})
    fan = db.session.get(Member, fz.person("fan"))
    wanted = {item: given for item, given in current_consents(fan).items() if item in OPTIONAL_CONSENTS}
    change_optional_consents(fan, wanted | {"marketing_email": True})  # subscribed again after an unsubscribe
    unsubscribe = unsubscribe_url(fan).rsplit("/", 1)[1]
    tokens = st.one_of(
        st.sampled_from([reset, unsubscribe, reset[:-2], reset + "x", "not-a-token"]), odd_url_text
    )
    return Built(
        ids={"reset_token": reset, "unsubscribe_token": unsubscribe},
        values={"reset_token": tokens, "unsubscribe_token": tokens},
    )
