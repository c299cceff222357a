"""Worlds of the photographer and shoot forms: profiles, photos, requests, asks, bookings, reviews."""

import io
from datetime import timedelta

from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import select

from extensions import db
from models import Ask, Member, PhotographerProfile, ShootRequest
from services.booking_states import complete, review
from services.bookings import confirm
from services.clock import now_utc, seoul_today
from services.photographers import ProfileChange, add_photo, block_day, profile_of, save_profile
from services.shoots import RequestDraft, answer_ask, file_request, send_asks

from .strategies import FilePart, file_parts, odd_text, valid_or_odd
from .world import Built, world

BLOCKED_IN = 3  # days from today of the day the calendar worlds block
# One booking per photographer and day, and requests reach at most two years ahead: a new
# photographer takes over after this many bookings.
DAYS_PER_PHOTOGRAPHER = 600


def small_jpeg(size=(32, 24)) -> bytes:
    """A real photo the upload form accepts."""
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def _own_profile(fz) -> PhotographerProfile:
    fuzzer = fz.fuzzer()
    return profile_of(fuzzer) or save_profile(fuzzer, ProfileChange("퍼즈 작가", 100_000, ["jeju"], ["snap"]))


def _day(fz) -> tuple[int, object]:
    """A photographer number and a free future day of theirs."""
    fz.counter += 1
    return fz.counter // DAYS_PER_PHOTOGRAPHER, seoul_today() + timedelta(
        days=10 + fz.counter % DAYS_PER_PHOTOGRAPHER
    )


def _snapper(fz, number: int) -> Member:
    """Another photographer, serving Jeju."""
    key = f"snapper{number}"
    if key not in fz.people:
        fz.people[key] = fz.new_member(
            f"{key}@example.com", "작가", created_at=now_utc() - timedelta(days=60)
        )
    member = db.session.get(Member, fz.people[key])
    if profile_of(member) is None:
        save_profile(member, ProfileChange("제주 작가", 100_000, ["jeju"], ["snap"]))
    return member


def _request(customer: Member, day) -> ShootRequest:
    return file_request(customer, RequestDraft("jeju", day, "morning", "snap", 2, 200_000))


def _ask(customer: Member, request: ShootRequest, profile: PhotographerProfile) -> int:
    send_asks(customer, request, [profile.id])
    return db.session.scalar(select(Ask.id).where(Ask.request_id == request.id, Ask.profile_id == profile.id))


@world("profile")
def own_profile(fz) -> Built:
    """The fuzzer is a photographer with one blocked day."""
    profile = _own_profile(fz)
    blocked = seoul_today() + timedelta(days=BLOCKED_IN)
    block_day(profile, blocked)
    day = valid_or_odd(blocked.isoformat(), (seoul_today() - timedelta(days=3)).isoformat(), "2999-01-01")
    photo = st.one_of(st.just(FilePart(small_jpeg(), "photo.jpg", "image/jpeg")), file_parts, odd_text)
    free = (seoul_today() + timedelta(days=BLOCKED_IN + 2)).isoformat()
    return Built(
        ids={"blocked_day": blocked.isoformat(), "free_day": free}, values={"day": day, "photo": photo}
    )


@world("photo")
def own_photo(fz) -> Built:
    """The fuzzer's portfolio holds one photo."""
    photo = add_photo(_own_profile(fz), small_jpeg())
    return Built(ids={"photo": photo.id})


@world("ask")
def ask_to_fuzzer(fz) -> Built:
    """A fresh ask from a customer to the fuzzer's profile."""
    customer = db.session.get(Member, fz.person("customer"))
    _, day = _day(fz)
    ask_id = _ask(customer, _request(customer, day), _own_profile(fz))
    return Built(ids={"ask": ask_id})


@world("request")
def fuzzers_request(fz) -> Built:
    """The fuzzer's open request, with a photographer who serves it."""
    number, day = _day(fz)
    profile = profile_of(_snapper(fz, number))
    request = _request(fz.fuzzer(), day)
    pick = valid_or_odd(str(profile.id), "²", "１", f"0{profile.id}", "99999999999", "-1")
    return Built(ids={"request": request.id, "profile_id": profile.id}, values={"profile": st.lists(pick)})


def _booking(fz, fuzzer_shoots: bool, stage: str) -> Built:
    number, day = _day(fz)
    if fuzzer_shoots:
        photographer, customer = fz.fuzzer(), db.session.get(Member, fz.person("customer"))
        profile = _own_profile(fz)
    else:
        photographer, customer = _snapper(fz, number), fz.fuzzer()
        profile = profile_of(photographer)
    ask_id = _ask(customer, _request(customer, day), profile)
    answer_ask(profile, ask_id, True, None, "", True)
    if stage == "accepted":
        return Built(ids={"ask": ask_id})
    booking = confirm(customer, ask_id, True)
    built = Built(ids={"booking": booking.id})
    if stage != "confirmed":
        booking.shoot_date = seoul_today()
        db.session.commit()
    if stage in ("completed", "reviewed"):
        complete(customer, booking)
    if stage == "reviewed":
        row = review(customer, booking, 4, "좋았어요")
        built.ids["review"] = row.id
    return built


world("accepted_ask")(lambda fz: _booking(fz, fuzzer_shoots=False, stage="accepted"))
world("booking")(lambda fz: _booking(fz, fuzzer_shoots=False, stage="confirmed"))
world("due_booking")(lambda fz: _booking(fz, fuzzer_shoots=False, stage="due"))
world("done_booking")(lambda fz: _booking(fz, fuzzer_shoots=False, stage="completed"))
world("review")(lambda fz: _booking(fz, fuzzer_shoots=True, stage="reviewed"))
