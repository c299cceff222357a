"""Demo content of the privacy office: its officer, audit rows, complaints, a failed e-mail,
a campaign draft and a scheduled change to the terms, so every console page has something to show."""

from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models.complaint import Complaint
from models.marketing import Campaign
from models.member import Member
from models.outbox import OutboxMessage
from models.privacy_office import StaffAccess
from services.clock import now_utc, seoul_today
from services.complaints import Sender, answer_complaint, close_complaint, send_complaint
from services.demo_accounts import DEMO_MEMBER, DEMO_NEIGHBOUR, DEMO_OFFICER, ensure_account
from services.marketing import CampaignText, save_campaign
from services.members import record_consents
from services.my_info import current_consents
from services.outbox import queue_email
from services.policies import find_version
from services.policy_drafts import DraftText, create_draft, prefill, schedule
from services.staff_audit import record_access

TERMS_ADDITION = {
    "ko": "\n\n개인정보 문의와 불만 접수\n개인정보에 관한 문의나 불만은 사이트의 '개인정보 문의' 양식으로 "
    "보낼 수 있으며, 개인정보 보호책임자가 이메일로 답변합니다.",
    "en": "\n\nQuestions and complaints about personal data\nQuestions and complaints about personal "
    "data can be sent with the site's privacy contact form; the privacy officer answers by e-mail.",
}


def _audit_rows(officer: Member, member: Member) -> int:
    if db.session.scalar(select(StaffAccess.id).limit(1)) is not None:
        return 0
    now = now_utc()
    openings = [
        (35, ["name", "email"], "member_view", "회원이 전화로 이메일 정정을 요청해 본인 확인"),
        (33, ["phone"], "member_view", "Booking dispute: checking the phone number the member says is wrong"),
        (31, ["name", "email", "phone"], "member_export", "회원이 우편으로 열람을 청구해 사본을 보냄"),
        (2, ["email"], "member_view", "반송된 안내 메일 주소 확인"),
    ]
    for days_ago, fields, purpose, reason in openings:
        record_access(officer.id, member.id, purpose, fields, reason, now=now - timedelta(days=days_ago))
    db.session.commit()
    return len(openings)


def _complaints(officer: Member, member: Member) -> int:
    if db.session.scalar(select(Complaint.id).limit(1)) is not None:
        return 0
    answered = send_complaint(
        Sender(member=member, email="", locale="ko", client_address="127.0.0.1"),
        "complaint",
        "예약 취소 뒤에도 제 연락처가 보이나요?",
        "지난달 예약을 취소했습니다. 사진작가님께 제 전화번호가 아직 보이는지 궁금합니다.",
    )
    answer_complaint(
        officer,
        answered,
        "예약이 끝나면 상대방 화면에서 연락처가 더 이상 보이지 않습니다. "
        "제공 기록은 내 정보에서 확인하실 수 있습니다.",
    )
    closed = send_complaint(
        Sender(member=None, email="visitor-en@usnaper.example", locale="en", client_address="127.0.0.2"),
        "question",
        "Do you keep my photos after I leave?",
        "If I delete my account, are the portfolio photos I uploaded deleted too?",
    )
    answer_complaint(officer, closed, "Yes: withdrawal deletes the photo files at once, with the rows.")
    close_complaint(officer, closed)
    send_complaint(
        Sender(member=None, email="visitor-ko@usnaper.example", locale="ko", client_address="127.0.0.3"),
        "question",
        "마케팅 메일을 밤에도 받나요?",
        "광고 메일 수신에 동의하면 밤늦게도 메일이 오나요?",
    )
    return 3


def _failed_mail() -> int:
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.status == "failed")) is not None:
        return 0
    message = queue_email("bounced@usnaper.example", "mail_check", "ko")
    message.status, message.attempts = "failed", 6
    message.last_error = "550 5.1.1 mailbox unavailable (demo)"
    db.session.commit()
    return 1


def _campaign(officer: Member, neighbour: Member) -> int:
    if not current_consents(neighbour)["marketing_email"]:
        record_consents(neighbour, {"marketing_email": True}, "my_info")
        db.session.commit()
    if db.session.scalar(select(Campaign.id).limit(1)) is not None:
        return 0
    save_campaign(
        officer,
        CampaignText(
            subject_ko="제주 봄 스냅, 지금 작가님을 찾아보세요",
            subject_en="Spring snaps in Jeju: find your photographer now",
            body_ko="유채꽃이 피는 3월, 제주에서 활동하는 작가님들이 예약을 받고 있습니다.",
            body_en="In March, when the canola flowers bloom, photographers in Jeju are taking bookings.",
        ),
    )
    return 1


def _terms_change(officer: Member) -> int:
    if find_version("terms", "1.1") is not None:
        return 0
    text = prefill("terms")
    row = create_draft(
        officer.id,
        "terms",
        DraftText(
            version="1.1",
            importance="general",
            summary_ko="개인정보 문의·불만 접수 방법을 추가했습니다.",
            summary_en="Adds how to send a privacy question or complaint from the site.",
            body_ko=text["ko"] + TERMS_ADDITION["ko"],
            body_en=text["en"] + TERMS_ADDITION["en"],
        ),
    )
    schedule(row, seoul_today() + timedelta(days=7))
    return 1


def load_demo_office() -> dict[str, int]:
    """Add the privacy office's demo content that is missing; return counts of what was added."""
    officer, made = ensure_account(DEMO_OFFICER, role="privacy_officer")
    member, _ = ensure_account(DEMO_MEMBER)
    neighbour, _ = ensure_account(DEMO_NEIGHBOUR)
    return {
        "privacy officers": int(made),
        "audit rows": _audit_rows(officer, member),
        "complaints": _complaints(officer, member),
        "failed e-mails": _failed_mail(),
        "campaigns": _campaign(officer, neighbour),
        "policy changes": _terms_change(officer),
    }
