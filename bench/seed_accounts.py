"""The two accounts every benchmark signs in with, made through the real signup and profile services."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from PIL import Image, ImageDraw
from sqlalchemy import delete

from bench.seed_plan import BENCH_MEMBER_EMAIL, BENCH_PASSWORD, BENCH_PHOTOGRAPHER_EMAIL
from extensions import db
from models.member import Member
from models.outbox import OutboxMessage
from models.photographer import PhotographerProfile
from services.clock import now_utc
from services.members import SignupRequest, find_member_by_email, sign_up
from services.photographers import ProfileChange, add_photo, save_profile


def bench_account(email: str, name: str, joined: datetime) -> Member:
    """An adult, Korean, verified account with every consent, through the real signup rules."""
    member = find_member_by_email(email) or sign_up(
        SignupRequest(
            email=email,
            password=BENCH_PASSWORD,
            name=name,
            birth_date=date(1990, 3, 15),
            language="ko",
            phone="010-2026-0000",
            preferred_region="seoul",
            consents={"privacy_notice": True, "terms": True, "optional_profile": True},
        )
    )
    # Joined when the generated history starts (so the same seed gives the same rows), active now.
    member.status, member.created_at = "active", joined
    member.email_verified_at, member.last_active_at = joined + timedelta(minutes=5), now_utc()
    # Verified by hand: its confirmation e-mail would only wait in the outbox of a mail benchmark.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.member_id == member.id))
    db.session.commit()
    return member


def bench_accounts(joined: datetime) -> tuple[Member, PhotographerProfile]:
    """The bench member and the bench photographer with a complete profile and a portfolio."""
    bench_account(BENCH_MEMBER_EMAIL, "벤치 회원", joined)
    photographer = bench_account(BENCH_PHOTOGRAPHER_EMAIL, "벤치 사진작가", joined)
    profile = save_profile(
        photographer,
        ProfileChange(
            display_name="벤치 서울 스냅",
            starting_price=150_000,
            regions=["seoul", "gyeonggi", "jeju"],
            specialties=["snap", "wedding", "family", "profile"],
            languages=["ko", "en"],
            bio_ko="서울과 경기, 제주에서 스냅과 웨딩, 가족사진을 찍습니다. 벤치마크용 가상의 작가입니다.",
            bio_en="Snaps, weddings and family portraits in Seoul, Gyeonggi and Jeju. "
            "A fictional benchmark profile.",
        ),
    )
    for colour in ((40, 110, 160), (230, 170, 60), (70, 140, 90), (120, 60, 90)):
        add_photo(profile, drawn_photo(colour))
    return photographer, profile


def drawn_photo(colour: tuple[int, int, int]) -> bytes:
    """A plain landscape drawing: the portfolio needs real JPEGs, not real photos."""
    image = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 520, 1200, 800), fill=tuple(max(0, c - 50) for c in colour))
    draw.ellipse((800, 100, 980, 280), fill=(250, 235, 200))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
