"""The moderators' console: who may open it, what they see, every action logged and told (SPEC §1, §9)."""

import re

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Comment, Member, ModerationAction, OutboxMessage, Post, Report, RetentionRecord
from services.mail import build_message

NOTE = {"reason": "spam", "note": "광고 글"}


def moderation_urls(app) -> list[tuple[str, str]]:
    """(method, url) of every moderation route, with sample ids filled in."""
    samples = {"kind": "post", "target_id": 1, "member_id": 1, "action": "hide"}
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("moderation."):
            continue
        path = rule.rule.replace("<lang:lang_code>", "ko")
        path = re.sub(r"<(?:[^:>]+:)?(\w+)(?:\([^)]*\))?>", lambda m: str(samples[m.group(1)]), path)
        path = re.sub(r"<any\([^)]*\):(\w+)>", lambda m: str(samples[m.group(1)]), path)
        urls += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return urls


@pytest.fixture
def post_id(board_people, make_post):
    return make_post(board_people["writer"], title="검토할 글", body="홍길동 씨의 집은 어디입니다.")


def test_every_moderation_route_refuses_members_and_sends_visitors_to_sign_in(app, client, sign_in, post_id):
    urls = moderation_urls(app)
    assert len(urls) >= 9
    member = sign_in("reader1@example.com")
    for method, url in urls:
        assert member.open(url, method=method, data=NOTE).status_code == 403, url
        visitor = client.open(url, method=method, data=NOTE)
        assert visitor.status_code == 302 and "/ko/signin" in visitor.headers["Location"], url
    with app.app_context():
        assert db.session.get(Post, post_id).status == "published"
        assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == 0


@pytest.mark.parametrize("email", ["mod@example.com", "officer@example.com"])
def test_moderators_and_the_privacy_officer_open_the_console(app, sign_in, post_id, email):
    staff = sign_in(email)
    for url in (
        "/ko/moderation/",
        f"/ko/moderation/post/{post_id}",
        "/ko/moderation/log",
        "/en/moderation/suspensions",
    ):
        assert staff.get(url).status_code == 200, url
    assert "게시판 관리" in staff.get("/ko/").get_data(as_text=True)


def test_moderators_never_see_names_addresses_or_phone_numbers(app, board_people, make_member, sign_in):
    from datetime import timedelta

    from services.clock import now_utc
    from tests.test_reports import report

    author = make_member(
        email="private.person@example.com",
        name="숨길이름",
        phone="010-4444-5555",
        created_at=now_utc() - timedelta(days=60),
    )
    author_client = sign_in("private.person@example.com")
    author_client.post("/ko/boards/free/new", data={"title": "내 글", "body": "본문"})
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.author_id == author))
    report(sign_in("reader1@example.com"), post_id, details="이상해요")
    mod = sign_in("mod@example.com")
    mod.post(
        f"/ko/moderation/post/{post_id}/suspend-author", data={"suspend-days": "1", "suspend-reason": "spam"}
    )
    pages = [
        mod.get(url).get_data(as_text=True)
        for url in (
            "/ko/moderation/",
            f"/ko/moderation/post/{post_id}",
            "/ko/moderation/log",
            "/ko/moderation/suspensions",
        )
    ]
    for page in pages:
        for secret in (
            "private.person@example.com",
            "숨길이름",
            "010-4444-5555",
            "01044445555",
            "reader1@example.com",
        ):
            assert secret not in page


def test_hide_then_restore_tells_the_author_each_time_in_their_language(app, board_people, sign_in, post_id):
    with app.app_context():
        db.session.get(Member, board_people["writer"]).language = "en"
        db.session.commit()
    mod = sign_in("mod@example.com")
    assert mod.post(f"/ko/moderation/post/{post_id}/hide", data=NOTE).status_code == 302
    with app.app_context():
        assert db.session.get(Post, post_id).status == "hidden"
    mod.post(f"/ko/moderation/post/{post_id}/restore", data={"reason": "other"})
    with app.app_context():
        assert db.session.get(Post, post_id).status == "published"
        actions = db.session.scalars(select(ModerationAction).order_by(ModerationAction.id)).all()
        assert [(a.action, a.reason, a.detail, a.moderator_id) for a in actions] == [
            ("hide", "spam", {"note": "광고 글"}, board_people["moderator"]),
            ("restore", "other", {}, board_people["moderator"]),
        ]
        notices = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.template == "moderation_notice")
            .order_by(OutboxMessage.id)
        ).all()
        assert [n.context["action"] for n in notices] == ["hide", "restore"]
        first = build_message(notices[0])
        assert first["Subject"] == "A moderator's decision about your writing on USNAPER"
        text = first.get_body(preferencelist=("plain",)).get_content()
        assert "A moderator hid your writing." in text and "Why: spam or advertising" in text


def test_a_reason_from_the_list_is_required(app, sign_in, post_id):
    mod = sign_in("mod@example.com")
    response = mod.post(
        f"/ko/moderation/post/{post_id}/hide", data={"reason": "because"}, follow_redirects=True
    )
    assert "올바르지 않은 선택값입니다." in response.get_data(as_text=True)  # WTForms' own Korean
    with app.app_context():
        assert db.session.get(Post, post_id).status == "published"


def test_dismissing_reports_shows_a_post_the_reports_hid(app, sign_in, post_id):
    from tests.test_reports import report

    for number in (1, 2, 3):
        report(sign_in(f"reader{number}@example.com"), post_id)
    sign_in("mod@example.com").post(f"/ko/moderation/post/{post_id}/dismiss", data={"reason": "other"})
    with app.app_context():
        assert db.session.get(Post, post_id).status == "published"
        assert set(db.session.scalars(select(Report.status))) == {"dismissed"}


def test_delete_removes_the_post_keeps_the_log_and_an_illegal_use_record(app, board_people, sign_in, post_id):
    mod = sign_in("mod@example.com")
    assert mod.post(f"/ko/moderation/post/{post_id}/delete", data=NOTE).status_code == 302
    with app.app_context():
        assert db.session.get(Post, post_id) is None
        log = db.session.scalar(select(ModerationAction))
        assert (log.action, log.subject_id) == ("delete", board_people["writer"])
        record = db.session.scalar(select(RetentionRecord))
        assert record.category == "illegal_use" and record.payload == {
            "what": "content_deleted",
            "reason": "spam",
        }
        assert "writer@example.com" not in str(record.payload) + record.subject_key
    assert "게시글 #1" in mod.get("/ko/moderation/log").get_data(as_text=True)


def test_off_topic_deletion_is_not_an_illegal_use_record(app, sign_in, post_id):
    sign_in("mod@example.com").post(f"/ko/moderation/post/{post_id}/delete", data={"reason": "off_topic"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RetentionRecord)) == 0


def test_mask_republishes_with_symbols_and_logs_before_and_after(app, client, sign_in, post_id):
    mod = sign_in("mod@example.com")
    missing = mod.post(
        f"/ko/moderation/post/{post_id}/mask",
        data={"mask-spans": "없는말", "mask-reason": "privacy"},
        follow_redirects=True,
    )
    assert "입력한 말이 본문에 없습니다" in missing.get_data(as_text=True)
    mod.post(
        f"/ko/moderation/post/{post_id}/mask", data={"mask-spans": "홍길동\r\n", "mask-reason": "privacy"}
    )
    page = client.get(f"/ko/boards/free/{post_id}").get_data(as_text=True)
    assert "○○○ 씨의 집은 어디입니다." in page and "홍길동" not in page
    assert "운영자가 이 글의 일부를 가렸습니다" in page
    with app.app_context():
        log = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "mask"))
        assert log.detail["before"]["body"] == "홍길동 씨의 집은 어디입니다."
        assert log.detail["after"]["body"] == "○○○ 씨의 집은 어디입니다."
    officer_log = sign_in("officer@example.com").get("/ko/moderation/log").get_data(as_text=True)
    assert "가리기 전과 후" in officer_log and "일부 가림" in officer_log


def test_suspension_stops_posting_is_logged_kept_and_lifted(app, board_people, sign_in, post_id):
    mod = sign_in("mod@example.com")
    bad = mod.post(
        f"/ko/moderation/post/{post_id}/suspend-author", data={"suspend-days": "2", "suspend-reason": "spam"}
    )
    assert bad.status_code == 302
    with app.app_context():
        assert (
            db.session.get(Member, board_people["writer"]).posting_suspended_until is None
        )  # 2 is not offered
    mod.post(
        f"/ko/moderation/post/{post_id}/suspend-author", data={"suspend-days": "30", "suspend-reason": "spam"}
    )
    with app.app_context():
        writer = db.session.get(Member, board_people["writer"])
        assert writer.posting_suspended_until is not None
        (record,) = db.session.scalars(select(RetentionRecord)).all()
        assert record.category == "illegal_use" and record.payload["what"] == "posting_suspended"
        mail = db.session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.template == "moderation_notice")
            .order_by(OutboxMessage.id.desc())
        )
        assert mail.context["action"] == "suspend" and mail.context["until"]
    with app.app_context():
        from services.authors import author_tag

        tag = author_tag(board_people["writer"])
    assert "정지된 회원이 없습니다." not in mod.get("/ko/moderation/suspensions").get_data(as_text=True)
    assert f"회원 {tag}" in mod.get("/ko/moderation/suspensions").get_data(as_text=True)
    history = mod.get(f"/ko/moderation/post/{post_id}").get_data(as_text=True).split("처리 이력")[1]
    assert "글쓰기 정지" in history
    mod.post(f"/ko/moderation/suspensions/{board_people['writer']}/lift", data={"reason": "other"})
    with app.app_context():
        assert db.session.get(Member, board_people["writer"]).posting_suspended_until is None


def test_staff_cannot_be_suspended(app, board_people, sign_in, make_post):
    staff_post = make_post(board_people["officer"], title="공지")
    mod = sign_in("mod@example.com")
    mod.post(
        f"/ko/moderation/post/{staff_post}/suspend-author",
        data={"suspend-days": "30", "suspend-reason": "spam"},
    )
    with app.app_context():
        assert db.session.get(Member, board_people["officer"]).posting_suspended_until is None


def test_bulk_delete_asks_once_then_deletes_a_spam_wave(app, board_people, sign_in, make_post):
    spam = [
        make_post(board_people["troll"], title=f"광고 {n}", body=f"https://spam{n}.example/")
        for n in range(3)
    ]
    keep = make_post(board_people["writer"], title="남길 글")
    with app.app_context():
        assert {db.session.get(Post, i).status for i in spam} == {"held"}
    mod = sign_in("mod@example.com")
    assert "광고 0" in mod.get("/ko/moderation/").get_data(as_text=True)
    targets = [f"post:{i}" for i in spam] + ["post:not-a-number", "member:1"]
    first = mod.post("/ko/moderation/bulk-delete", data={"target": targets, **NOTE})
    assert first.status_code == 200 and "3건을 삭제할까요?" in first.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Post)) == 4  # nothing yet
    done = mod.post("/ko/moderation/bulk-delete", data={"target": targets, "confirm": "y", **NOTE})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Post.id)).all() == [keep]
        assert (
            db.session.scalar(
                select(func.count()).select_from(ModerationAction).where(ModerationAction.action == "delete")
            )
            == 3
        )
    nothing = mod.post("/ko/moderation/bulk-delete", data=NOTE, follow_redirects=True)
    assert "먼저 삭제할 글이나 댓글을 선택하세요." in nothing.get_data(as_text=True)


def test_deciding_a_temporary_measure_tells_claimant_and_author(app, sign_in, post_id):
    from tests.test_reports import report

    report(sign_in("reader1@example.com"), post_id, reason="defamation")
    sign_in("mod@example.com").post(f"/ko/moderation/post/{post_id}/restore", data={"reason": "other"})
    with app.app_context():
        steps = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.template == "temporary_measure")
            .order_by(OutboxMessage.id)
        ).all()
        assert [(m.context["role"], m.context["step"]) for m in steps] == [
            ("claimant", "started"),
            ("author", "started"),
            ("claimant", "restored"),
            ("author", "restored"),
        ]
        assert db.session.get(Post, post_id).status == "published"


def test_moderators_act_on_comments_and_the_count_follows(app, board_people, sign_in, post_id):
    sign_in("reader1@example.com").post(f"/ko/boards/free/{post_id}/comments", data={"body": "나쁜 댓글"})
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id))
    mod = sign_in("mod@example.com")
    mod.post(f"/ko/moderation/comment/{comment_id}/hide", data=NOTE)
    with app.app_context():
        assert db.session.get(Post, post_id).comment_count == 0
    mod.post(f"/ko/moderation/comment/{comment_id}/restore", data={"reason": "other"})
    with app.app_context():
        assert db.session.get(Post, post_id).comment_count == 1
    mod.post(f"/ko/moderation/comment/{comment_id}/delete", data=NOTE)
    with app.app_context():
        assert (
            db.session.get(Comment, comment_id) is None and db.session.get(Post, post_id).comment_count == 0
        )


def test_deleting_a_post_settles_what_was_open_on_it_and_its_comments(app, sign_in, post_id):
    from models import TemporaryMeasure
    from services.moderation_queue import queue
    from tests.test_reports import report

    reader = sign_in("reader1@example.com")
    reader.post(f"/ko/boards/free/{post_id}/comments", data={"body": "신고될 댓글"})
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id))
    sign_in("reader2@example.com").post(f"/ko/boards/report/comment/{comment_id}", data={"reason": "privacy"})
    report(sign_in("reader3@example.com"), post_id, reason="spam")
    sign_in("writer@example.com").post(f"/ko/boards/free/{post_id}/delete")
    with app.app_context():
        assert set(db.session.scalars(select(Report.status))) == {"upheld"}
        assert db.session.scalar(select(TemporaryMeasure.decision)) == "deleted"
        assert all(items == [] for items in queue().values())


def test_editing_masked_text_sends_it_back_to_review(app, sign_in, post_id):
    mod = sign_in("mod@example.com")
    mod.post(f"/ko/moderation/post/{post_id}/mask", data={"mask-spans": "홍길동", "mask-reason": "privacy"})
    sign_in("writer@example.com").post(
        f"/ko/boards/free/{post_id}/edit", data={"title": "검토할 글", "body": "홍길동 씨의 집은 어디입니다."}
    )
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert (post.status, post.status_reason, post.masked) == ("held", "edited_after_mask", False)
    assert "가림 처리 뒤 작성자가 고침" in mod.get("/ko/moderation/").get_data(as_text=True)


def test_a_shorter_suspension_never_cuts_a_longer_one_short(app, board_people, sign_in, post_id):
    mod = sign_in("mod@example.com")
    form = {"suspend-reason": "spam"}
    mod.post(f"/ko/moderation/post/{post_id}/suspend-author", data=form | {"suspend-days": "365"})
    with app.app_context():
        long = db.session.get(Member, board_people["writer"]).posting_suspended_until
    mod.post(f"/ko/moderation/post/{post_id}/suspend-author", data=form | {"suspend-days": "1"})
    with app.app_context():
        assert db.session.get(Member, board_people["writer"]).posting_suspended_until == long


def test_the_reported_section_lists_only_what_is_still_in_sight(app, board_people, make_post, sign_in):
    from services.moderation_queue import queue
    from tests.test_reports import report

    hidden = make_post(board_people["writer"], title="숨겨질 글")
    shown = make_post(board_people["reader3"], title="보이는 글")
    for number in (1, 2, 3):
        report(sign_in(f"reader{number}@example.com"), hidden)
    report(sign_in("reader1@example.com"), shown)
    with app.app_context():
        sections = queue()
        assert [item.content.id for item in sections["reported"]] == [shown]
        assert [item.content.id for item in sections["auto_hidden"]] == [hidden]


def test_the_access_log_never_ties_a_member_to_the_writing_they_edit_or_send(app, sign_in, post_id):
    from models import AccessLog

    writer = sign_in("writer@example.com")
    writer.get(f"/ko/boards/free/{post_id}/edit")
    writer.post(f"/ko/boards/free/{post_id}/comments", data={"body": "내 댓글"})
    writer.get(f"/ko/boards/free/{post_id}")  # reading a page is not authorship: its path stays
    with app.app_context():
        paths = set(db.session.scalars(select(AccessLog.path)))
    assert "/ko/boards/free/[id]/edit" in paths and "/ko/boards/free/[id]/comments" in paths
    assert f"/ko/boards/free/{post_id}/edit" not in paths and f"/ko/boards/free/{post_id}" in paths


def test_deleting_masked_content_forgets_the_text_the_mask_hid(app, sign_in, post_id):
    mod = sign_in("mod@example.com")
    mod.post(f"/ko/moderation/post/{post_id}/mask", data={"mask-spans": "홍길동", "mask-reason": "privacy"})
    sign_in("writer@example.com").post(f"/ko/boards/free/{post_id}/delete")
    with app.app_context():
        row = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "mask"))
        assert row.detail == {}


def test_out_of_sight_titles_never_reach_other_members(app, board_people, sign_in, post_id):
    from services.moderation_notices import tell_measure

    reader = sign_in("reader2@example.com")
    reader.post(f"/ko/boards/free/{post_id}/comments", data={"body": "댓글"})
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id))
    sign_in("mod@example.com").post(f"/ko/moderation/post/{post_id}/hide", data=NOTE)
    assert reader.get(f"/ko/boards/report/comment/{comment_id}").status_code == 404
    assert reader.get(f"/ko/boards/comments/{comment_id}/edit").status_code == 404
    with app.app_context():
        tell_measure(db.session.get(Comment, comment_id), board_people["reader1"], "started", "2026-12-31")
        db.session.commit()
        mail = db.session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.template == "temporary_measure")
            .order_by(OutboxMessage.id.desc())
        )
        assert mail.recipient == "" or "검토할 글" not in str(mail.context)


def test_a_hide_stays_in_the_queue_until_restored_or_deleted(app, sign_in, post_id):
    from services.moderation_queue import queue

    sign_in("mod@example.com").post(f"/ko/moderation/post/{post_id}/hide", data=NOTE)
    with app.app_context():
        assert [item.content.id for item in queue()["hidden"]] == [post_id]


@pytest.mark.parametrize("app_overrides", [{"REPORTS_PER_HOUR": 2}])
def test_reports_are_limited_per_member(app, board_people, make_post, sign_in):
    from tests.test_reports import report

    ids = [make_post(board_people["writer"], title=f"글 {n}", body=f"본문 {n}") for n in range(3)]
    reader = sign_in("reader1@example.com")
    for post in ids[:2]:
        assert report(reader, post, reason="defamation").status_code == 302
    refused = report(reader, ids[2], reason="defamation")
    assert refused.status_code == 400 and "한 시간에 2개까지" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Post, ids[2]).status == "published"


def test_the_moderators_note_reaches_the_author(app, sign_in, post_id):
    sign_in("mod@example.com").post(
        f"/ko/moderation/post/{post_id}/hide", data={"reason": "other", "note": "실명 삭제 바람"}
    )
    with app.app_context():
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "moderation_notice"))
        text = build_message(mail).get_body(preferencelist=("plain",)).get_content()
    assert "실명 삭제 바람" in text


def test_two_moderators_acting_at_once_never_count_a_comment_twice(app, sign_in, post_id):
    from services.posts import remove_comment, set_status

    reader = sign_in("reader1@example.com")
    for body in ("숨길 댓글", "지울 댓글"):
        reader.post(f"/ko/boards/free/{post_id}/comments", data={"body": body})
    with app.app_context():
        hide_id, delete_id = db.session.scalars(select(Comment.id).order_by(Comment.id)).all()
        assert db.session.get(Post, post_id).comment_count == 2

    def step(comment_id: int) -> None:
        comment = db.session.get(Comment, comment_id)
        set_status(comment, "hidden", "moderator") if comment_id == hide_id else remove_comment(comment)

    for comment_id in (hide_id, delete_id):
        with app.app_context():  # the first moderator's request has loaded the published comment...
            seen = db.session.get(Comment, comment_id)
            assert seen.status == "published"
            with app.app_context():  # ...when a second moderator's request takes the same step first
                step(comment_id)
                db.session.commit()
            set_status(seen, "hidden", "moderator") if comment_id == hide_id else remove_comment(seen)
            db.session.commit()
    with app.app_context():
        assert db.session.get(Post, post_id).comment_count == 0
        assert (
            db.session.get(Comment, delete_id) is None and db.session.get(Comment, hide_id).status == "hidden"
        )
