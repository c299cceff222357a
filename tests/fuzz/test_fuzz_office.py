"""The privacy office console's forms, fed odd input: never a 500 nor a half-written record.

The fuzzer holds the privacy officer's role (another officer exists, so a step
that would leave the office without one is refused, not taken).
"""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.clock import seoul_today
from services.member_lookup import VIEWABLE_FIELDS

from .case import Case
from .profile import FUZZ
from .runner import fuzz_form
from .strategies import valid_or_odd

OFFICER = {"role": "privacy_officer"}
REASON = valid_or_odd("회원 본인의 요청으로 확인합니다", "short")
LAST_MONTH = (seoul_today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
JUNK = {"confirm": None}
BREACH = {
    "subject_ko": None,
    "subject_en": None,
    "body_ko": None,
    "body_en": None,
    "member_ids": valid_or_odd("1", "1, 2\n3", "99999999999", "²", "0", ""),
    "confirm": valid_or_odd("y"),
}

WHY = "회원 본인의 요청으로 확인합니다"

CASES = [
    # The fuzzer's own number is refused (sign-out does that); everyone else's sessions may end.
    Case(
        "/en/office/sessions/member",
        {"member_id": valid_or_odd("{member}", "0", "99999999999", "²", "-1")},
        world="subject",
        valid={"member_id": "{member}"},
        **OFFICER,
    ),
    Case("/ko/office/sessions/everyone", {"confirm": valid_or_odd("y")}, valid={"confirm": "y"}, **OFFICER),
    Case("/en/office/members", {"query": None}, world="subject", valid={"query": "#{member}"}, **OFFICER),
    Case(
        "/ko/office/members/{member}/open",
        {"open-fields": st.lists(valid_or_odd(*VIEWABLE_FIELDS)), "open-reason": REASON},
        world="subject",
        valid={"open-fields": ["name", "phone"], "open-reason": WHY},
        **OFFICER,
    ),
    Case(
        "/en/office/members/{member}/export",
        {"export-reason": REASON},
        world="subject",
        valid={"export-reason": WHY},
        **OFFICER,
    ),
    Case(
        "/en/office/roles",
        {"email": None, "role": None},
        world="staff",
        valid={"email": "moderator@example.com", "role": "privacy_officer"},
        **OFFICER,
    ),
    Case("/ko/office/roles/{member}/remove", JUNK, world="staff", **OFFICER),
    Case(
        "/en/office/breach",
        BREACH,
        valid={
            "subject_ko": "개인정보 유출 안내",
            "subject_en": "A notice about your personal data",
            "body_ko": "연락처가 노출되었습니다.",
            "body_en": "Your contact details were exposed.",
            "confirm": "y",
        },
        **OFFICER,
    ),
    Case("/en/office/mail/retry", JUNK, world="failed_mail", **OFFICER),
    Case("/ko/office/mail/{message}/retry", JUNK, world="failed_mail", **OFFICER),
    Case(
        "/en/office/audit/review",
        {
            "month": valid_or_odd(LAST_MONTH, seoul_today().strftime("%Y-%m"), "2025-13", "1999-01"),
            "note": None,
        },
        valid={"month": LAST_MONTH, "note": "이상 없음"},
        **OFFICER,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@FUZZ
@given(data=st.data())
def test_odd_input_never_causes_a_500_or_a_half_written_record(fuzzer, case, data):
    fuzz_form(fuzzer, case, data)
