"""Demo photographers: profiles in several regions, drawn portfolio photos and blocked days."""

import io
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select

from extensions import db
from models.photographer import PhotographerProfile
from models.shoot import Ask
from services.clock import seoul_today
from services.demo_accounts import DEMO_MEMBER, DEMO_PHOTOGRAPHER, ensure_account
from services.photographers import ProfileChange, add_photo, block_day, save_profile
from services.shoots import RequestDraft, answer_ask, file_request, send_asks

# (account, profile, colours of the drawn portfolio photos)
PHOTOGRAPHERS = (
    (
        DEMO_PHOTOGRAPHER,
        ProfileChange(
            display_name="제주 바람 스냅",
            starting_price=150_000,
            regions=["jeju"],
            specialties=["snap", "wedding", "travel"],
            languages=["ko", "en"],
            bio_ko="제주 곳곳의 바다와 오름에서 자연스러운 스냅을 찍습니다.",
            bio_en="Natural snaps by the sea and on the volcanic hills of Jeju.",
        ),
        ((40, 110, 160), (230, 170, 60), (70, 140, 90)),
    ),
    (
        {
            "email": "studio.seoul@usnaper.example",
            "password": "demo-studio-password",
            "name": "데모 서울 작가",
        },
        ProfileChange(
            display_name="Seoul Light Studio",
            starting_price=90_000,
            regions=["seoul", "gyeonggi"],
            specialties=["profile", "family", "product"],
            languages=["ko", "en", "ja"],
            bio_en="Profiles and family portraits in our studio near the Han river, or at your place.",
        ),
        ((190, 190, 200), (120, 60, 90)),
    ),
    (
        {"email": "busan.sea@usnaper.example", "password": "demo-busan-password", "name": "데모 부산 작가"},
        ProfileChange(
            display_name="부산 바다 사진관",
            starting_price=120_000,
            regions=["busan", "gyeongnam"],
            specialties=["wedding", "event", "snap"],
            languages=["ko"],
            bio_ko="광안리와 해운대에서 웨딩 스냅과 행사 사진을 찍습니다.",
        ),
        ((20, 60, 120),),
    ),
)


def _drawn_photo(colour: tuple[int, int, int]) -> bytes:
    """A simple landscape drawing, so the demo needs no photo files."""
    image = Image.new("RGB", (960, 640), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 960, 640), fill=tuple(max(0, c - 50) for c in colour))
    draw.ellipse((650, 80, 800, 230), fill=(250, 235, 200))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def load_demo_photographers() -> dict[str, int]:
    """The demo photographers, once: profiles, photos and a few blocked days."""
    if db.session.scalar(select(PhotographerProfile.id).limit(1)) is not None:
        return {"photographers": 0, "shoot requests": 0}
    today = seoul_today()
    profiles = []
    for number, (account, change, colours) in enumerate(PHOTOGRAPHERS):
        member, _ = ensure_account(account)
        profile = save_profile(member, change)
        for colour in colours:
            add_photo(profile, _drawn_photo(colour))
        for offset in (3 + number, 10 + number):
            block_day(profile, today + timedelta(days=offset))
        profiles.append(profile)
    # The demo member's Jeju wedding request, already accepted: confirming it shows the contact exchange.
    member, _ = ensure_account(DEMO_MEMBER)
    draft = RequestDraft(
        "jeju",
        today + timedelta(days=21),
        "morning",
        "wedding",
        2,
        200_000,
        "오름에서 웨딩 스냅을 찍고 싶어요.",
    )
    request = file_request(member, draft)
    send_asks(member, request, [profiles[0].id])
    ask_id = db.session.scalar(select(Ask.id).where(Ask.request_id == request.id))
    answer_ask(profiles[0], ask_id, True, 180_000, "좋아요, 오름 일출 스냅으로 제안드려요.", consent=True)
    return {"photographers": len(PHOTOGRAPHERS), "shoot requests": 1}
