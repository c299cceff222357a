"""Complaints, campaigns and policy drafts, fed odd input: never a 500 nor a half-written record."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .case import Case
from .profile import FUZZ
from .runner import fuzz_form
from .strategies import odd_url_text, valid_or_odd

OFFICER = {"role": "privacy_officer"}
JUNK = {"confirm": None}
COMPLAINT = {"kind": valid_or_odd("complaint", "question"), "subject": None, "body": None}
CAMPAIGN = {"subject_ko": None, "body_ko": None, "subject_en": None, "body_en": None}
# The draft world gives version numbers and dates, valid and odd.
DRAFT = {
    "version": None,
    "importance": None,
    "summary_ko": None,
    "summary_en": None,
    "body_ko": None,
    "body_en": None,
}
KIND = st.one_of(st.sampled_from(["privacy", "terms"]), odd_url_text)

A_COMPLAINT = {"kind": "question", "subject": "보유 기간 문의", "body": "언제 지워지나요?"}
A_CAMPAIGN = {
    "subject_ko": "봄 할인",
    "body_ko": "할인합니다.",
    "subject_en": "Spring",
    "body_en": "For less.",
}
A_DRAFT = {
    "version": "{next_version}",
    "importance": "general",
    "summary_ko": "표를 고쳤습니다.",
    "summary_en": "The table is revised.",
    "body_ko": "제1조 목적",
    "body_en": "Article 1 Purpose",
}

CASES = [
    Case(
        "/ko/privacy/contact",
        COMPLAINT | {"email": valid_or_odd("visitor@example.com")},
        who="visitor",
        valid=A_COMPLAINT | {"email": "visitor@example.com"},
    ),
    Case("/en/privacy/contact", COMPLAINT, valid=A_COMPLAINT),
    # A refused answer shows the complaint again, and each showing is an audited opening.
    Case(
        "/en/office/complaints/{complaint}/answer",
        {"answer": None},
        world="complaint",
        refusal_writes=frozenset({"staff_accesses"}),
        **OFFICER,
    ),
    Case("/ko/office/complaints/{complaint}/close", JUNK, world="complaint", **OFFICER),
    Case(
        "/en/office/complaints/{complaint}/contact",
        {"reason": None},
        world="complaint",
        valid={"reason": "답변 메일 주소 확인"},
        **OFFICER,
    ),
    Case("/en/office/campaigns/new", CAMPAIGN, valid=A_CAMPAIGN, **OFFICER),
    Case("/ko/office/campaigns/{campaign}/edit", CAMPAIGN, world="campaign", valid=A_CAMPAIGN, **OFFICER),
    Case("/en/office/campaigns/{campaign}/send", JUNK, world="campaign", **OFFICER),
    Case(
        "/en/office/policies/new/{kind}", DRAFT, world="draft", path={"kind": KIND}, valid=A_DRAFT, **OFFICER
    ),
    Case("/ko/office/policies/{draft}", DRAFT, world="draft", valid=A_DRAFT, **OFFICER),
    Case(
        "/en/office/policies/{draft}/schedule",
        {"effective_on": None, "confirm": None},
        world="draft",
        valid={"effective_on": "{earliest}", "confirm": "y"},
        **OFFICER,
    ),
    Case("/ko/office/policies/{draft}/delete", JUNK, world="draft", **OFFICER),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@FUZZ
@given(data=st.data())
def test_odd_input_never_causes_a_500_or_a_half_written_record(fuzzer, case, data):
    fuzz_form(fuzzer, case, data)
