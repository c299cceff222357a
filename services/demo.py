"""Believable bilingual demo content for `make run`; loading it twice adds nothing."""

from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models.notice import Notice
from models.outbox import OutboxMessage
from services.clock import now_utc
from services.demo_accounts import DEMO_MEMBER, ensure_account
from services.demo_boards import load_demo_boards
from services.demo_office import load_demo_office
from services.demo_photographers import load_demo_photographers
from services.outbox import queue_email

DEMO_NOTICES = (
    {
        "days_ago": 30,
        "title_ko": "USNAPER가 문을 열었습니다",
        "title_en": "USNAPER is open",
        "body_ko": "웨딩 스냅부터 가족사진, 제주 여행 스냅까지, 지역의 사진작가를 찾고 예약하는 "
        "USNAPER를 시작합니다. 예약이 확정되기 전에는 누구의 연락처도 공개되지 않습니다.",
        "body_en": "From wedding snaps to family portraits and travel snaps in Jeju, USNAPER helps "
        "you find and book a photographer nearby. Nobody's contact details are shown "
        "before a booking is confirmed.",
    },
    {
        "days_ago": 12,
        "title_ko": "제주·부산 지역 사진작가님을 모십니다",
        "title_en": "Photographers wanted in Jeju and Busan",
        "body_ko": "여행 스냅 수요가 많은 제주와 부산에서 활동하실 작가님을 찾습니다. "
        "작가 프로필 기능은 곧 열립니다.",
        "body_en": "Travel snaps are in demand in Jeju and Busan, and we are looking for "
        "photographers there. Photographer profiles open soon.",
    },
    {
        "days_ago": 2,
        "title_ko": "개인정보 처리방침을 꼭 읽어 주세요",
        "title_en": "Please read our privacy policy",
        "body_ko": "USNAPER는 처리방침에 적은 약속을 코드로 지킵니다. 보관 기간표와 이전 버전은 "
        "처리방침 페이지에서 언제든 볼 수 있습니다.",
        "body_en": "USNAPER keeps the promises of its privacy policy in code. The retention table "
        "and every earlier version are on the policy page at any time.",
    },
)


def load_demo_content() -> dict[str, int]:
    """Add the demo content that is not there yet; return counts of what was added."""
    existing = set(db.session.scalars(select(Notice.title_ko)))
    now = now_utc()
    added = 0
    for item in DEMO_NOTICES:
        if item["title_ko"] in existing:
            continue
        fields = {key: value for key, value in item.items() if key != "days_ago"}
        db.session.add(Notice(published_at=now - timedelta(days=item["days_ago"]), **fields))
        added += 1
    # One e-mail per language, so the development outbox page has something to show.
    mails = 0
    if db.session.scalar(select(OutboxMessage.id).limit(1)) is None:
        for locale in ("ko", "en"):
            queue_email(f"demo-{locale}@usnaper.example", "mail_check", locale)
            mails += 1
    db.session.commit()
    _, made = ensure_account(DEMO_MEMBER, preferred_region="jeju")
    counts = {"notices": added, "e-mails": mails, "members": int(made)}
    return counts | load_demo_boards() | load_demo_photographers() | load_demo_office()
