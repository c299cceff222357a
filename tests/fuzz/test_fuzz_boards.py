"""The boards and the moderators' forms, fed odd input: never a 500 nor a half-written record."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.moderation import REPORT_REASONS
from services.moderation import SUSPENSION_DAYS

from .case import Case
from .profile import FUZZ
from .runner import fuzz_form
from .strategies import odd_url_text, valid_or_odd
from .world_boards import MASKABLE

WRITING = {"title": None, "body": None}
A_POST = {"title": "제목입니다", "body": "본문입니다."}
REPORT = {"reason": valid_or_odd(*REPORT_REASONS), "details": None}
REASON = {"reason": None, "note": None}  # the world gives the reasons (valid or odd)
BECAUSE = {"reason": "spam", "note": "광고 글입니다."}
JUNK = {"confirm": None}
SLUG = st.one_of(st.sampled_from(["free", "notice", "FREE", "free%2F..", "없는게시판"]), odd_url_text)
MODERATOR = {"role": "moderator"}

CASES = [
    Case("/en/boards/{slug}/new", WRITING, path={"slug": SLUG}, valid=A_POST, valid_path={"slug": "free"}),
    Case("/ko/boards/free/new", WRITING, valid=A_POST),
    Case("/en/boards/free/{post}/comments", {"body": None}, world="post", valid={"body": "댓글입니다."}),
    # The fuzzer's own writing: edited and deleted.
    Case("/en/boards/free/{post}/edit", WRITING, world="own_writing", valid=A_POST),
    Case("/ko/boards/free/{post}/delete", JUNK, world="own_writing"),
    Case(
        "/en/boards/comments/{comment}/edit", {"body": None}, world="own_writing", valid={"body": "고친 댓글"}
    ),
    Case("/ko/boards/comments/{comment}/delete", JUNK, world="own_writing"),
    Case("/en/boards/report/post/{post}", REPORT, world="post", valid={"reason": "spam"}),
    Case("/ko/boards/report/comment/{comment}", REPORT, world="post", valid={"reason": "privacy"}),
    Case("/en/boards/objection/post/{post}", {"objection": None}, world="own_measured"),
    Case("/ko/boards/objection/comment/{comment}", {"objection": None}, world="own_measured"),
    # The moderators' console: the fuzzer holds the moderator role.
    Case("/en/moderation/post/{post}/dismiss", REASON, world="hidden_post", valid=BECAUSE, **MODERATOR),
    Case("/en/moderation/post/{post}/hide", REASON, world="post", valid=BECAUSE, **MODERATOR),
    Case("/ko/moderation/comment/{comment}/hide", REASON, world="post", **MODERATOR),
    Case("/en/moderation/post/{post}/restore", REASON, world="hidden_post", valid=BECAUSE, **MODERATOR),
    Case("/en/moderation/comment/{comment}/delete", REASON, world="post", **MODERATOR),
    Case("/ko/moderation/post/{post}/delete", REASON, world="post", valid=BECAUSE, **MODERATOR),
    Case(
        "/en/moderation/post/{post}/mask",
        {"mask-spans": None, "mask-reason": None, "mask-note": None},
        world="post",
        valid={"mask-spans": MASKABLE, "mask-reason": "privacy"},
        **MODERATOR,
    ),
    Case(
        "/en/moderation/comment/{comment}/suspend-author",
        {"suspend-days": None, "suspend-reason": None, "suspend-note": None},
        world="post",
        valid={"suspend-days": str(SUSPENSION_DAYS[0]), "suspend-reason": "spam"},
        **MODERATOR,
    ),
    Case(
        "/en/moderation/bulk-delete",
        {"target": None, "reason": None, "note": None, "confirm": None},
        world="post",
        valid={"target": ["post:{post}", "comment:{comment}"], "reason": "spam", "confirm": "y"},
        **MODERATOR,
    ),
    Case("/ko/moderation/suspensions/{member}/lift", REASON, world="suspended", valid=BECAUSE, **MODERATOR),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@FUZZ
@given(data=st.data())
def test_odd_input_never_causes_a_500_or_a_half_written_record(fuzzer, case, data):
    fuzz_form(fuzzer, case, data)
