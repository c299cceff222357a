"""The photographer, request, ask and booking forms, fed odd input: never a 500 nor a half-written record."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.clock import seoul_today

from .case import Case
from .profile import FUZZ
from .runner import fuzz_form
from .strategies import odd_url_text, valid_or_odd

PROFILE = {
    "display_name": None,
    "starting_price": valid_or_odd("150000", "150,000", "9999", "100000001", "-5"),
    "regions": st.lists(valid_or_odd("jeju", "seoul", "busan"), max_size=4),
    "specialties": st.lists(valid_or_odd("wedding", "snap"), max_size=3),
    "languages": st.lists(valid_or_odd("ko", "en", "ja"), max_size=3),
    "bio_ko": None,
    "bio_en": None,
}
REQUEST = {
    "region": valid_or_odd("jeju", "seoul"),
    "shoot_date": valid_or_odd((seoul_today() + timedelta(days=9)).isoformat(), seoul_today().isoformat()),
    "time_window": valid_or_odd("morning", "flexible"),
    "shoot_type": valid_or_odd("wedding", "snap"),
    "people": valid_or_odd("2", "0", "51"),
    "budget": valid_or_odd("200000", "200,000", "0"),
    "notes": None,
}
ANSWER = {
    "decision": valid_or_odd("accept", "decline"),
    "price": valid_or_odd("180000", "", "-1"),
    "message": None,
    "consent": valid_or_odd("y"),
}
JUNK = {"confirm": None}

CASES = [
    Case(
        "/ko/photographers/me",
        PROFILE,
        valid={
            "display_name": "퍼즈 작가",
            "starting_price": "150000",
            "regions": ["jeju"],
            "specialties": ["snap"],
        },
    ),
    # The calendar and portfolio of the fuzzer's own profile (the world gives days and photos).
    Case("/en/photographers/me/blocked/add", {"day": None}, world="profile", valid={"day": "{free_day}"}),
    Case(
        "/ko/photographers/me/blocked/remove", {"day": None}, world="profile", valid={"day": "{blocked_day}"}
    ),
    Case("/en/photographers/me/photos", {"photo": None}, world="profile"),
    Case("/ko/photographers/me/photos/{photo}/delete", JUNK, world="photo"),
    Case(
        "/ko/requests/new",
        REQUEST,
        valid={
            "region": "jeju",
            "shoot_date": (seoul_today() + timedelta(days=9)).isoformat(),
            "time_window": "morning",
            "shoot_type": "snap",
            "people": "2",
            "budget": "200000",
        },
        query={"region": odd_url_text},
    ),
    Case(
        "/en/requests/{request}/asks", {"profile": None}, world="request", valid={"profile": ["{profile_id}"]}
    ),
    Case("/en/asks/{ask}/answer", ANSWER, world="ask", valid={"decision": "accept", "consent": "y"}),
    Case(
        "/ko/asks/{ask}/confirm", {"consent": valid_or_odd("y")}, world="accepted_ask", valid={"consent": "y"}
    ),
    Case(
        "/en/bookings/{booking}/cancel",
        {"reason": None},
        world="booking",
        valid={"reason": "일정이 바뀌었어요"},
    ),
    Case("/ko/bookings/{booking}/complete", JUNK, world="due_booking"),
    Case(
        "/ko/bookings/{booking}/review",
        {"stars": valid_or_odd("1", "5", "0", "6"), "text": None},
        world="done_booking",
        valid={"stars": "5", "text": "좋았어요"},
    ),
    Case("/en/reviews/{review}/reply", {"text": None}, world="review", valid={"text": "감사합니다"}),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@FUZZ
@given(data=st.data())
def test_odd_input_never_causes_a_500_or_a_half_written_record(fuzzer, case, data):
    fuzz_form(fuzzer, case, data)
