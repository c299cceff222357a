"""Reports, the automatic hiding threshold and the temporary measure for rights claims (SPEC §9)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import ModerationAction, OutboxMessage, Post, Report, TemporaryMeasure
from services.clock import now_utc
from services.moderation_queue import queue


def report(client, post_id: int, reason: str = "spam", details: str = ""):
    return client.post(f"/ko/boards/report/post/{post_id}", data={"reason": reason, "details": details})


def mails_to(address: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == address)))


@pytest.fixture
def post_id(board_people, make_post):
    return make_post(board_people["writer"], title="신고될 글", body="이 글은 신고됩니다.")


def test_a_member_reports_a_post_once(app, board_people, sign_in, post_id):
    reader = sign_in("reader1@example.com")
    assert "스팸: 행운의 편지" in reader.get(f"/ko/boards/report/post/{post_id}").get_data(as_text=True)
    assert report(reader, post_id, details="광고 같아요").status_code == 302
    again = report(reader, post_id)
    assert again.status_code == 400 and "이미 신고했습니다." in again.get_data(as_text=True)
    with app.app_context():
        (row,) = db.session.scalars(select(Report)).all()
        assert (row.reason, row.details, row.reporter_id) == ("spam", "광고 같아요", board_people["reader1"])


def test_a_report_needs_a_listed_reason_and_bounded_details(app, board_people, sign_in, post_id):
    reader = sign_in("reader1@example.com")
    assert report(reader, post_id, reason="because").status_code == 400
    long = reader.post(f"/en/boards/report/post/{post_id}", data={"reason": "spam", "details": "x" * 1001})
    assert long.status_code == 400 and "Use at most 1000 characters." in long.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Report)).all() == []


def test_authors_cannot_report_their_own_post_and_visitors_must_sign_in(app, client, sign_in, post_id):
    own = report(sign_in("writer@example.com"), post_id)
    assert own.status_code == 400 and "자신의 글은 신고할 수 없습니다." in own.get_data(as_text=True)
    assert report(client, post_id).status_code == 302  # to the sign-in page
    with app.app_context():
        assert db.session.scalars(select(Report)).all() == []


def test_reports_by_the_threshold_of_distinct_members_hide_the_post(app, client, sign_in, post_id):
    for number in (1, 2):
        report(sign_in(f"reader{number}@example.com"), post_id)
    assert "신고될 글" in client.get("/ko/boards/free/").get_data(as_text=True)  # two is not enough
    report(sign_in("reader3@example.com"), post_id)
    assert "신고될 글" not in client.get("/ko/boards/free/").get_data(as_text=True)
    assert client.get(f"/ko/boards/free/{post_id}").status_code == 404
    author_view = sign_in("writer@example.com").get(f"/ko/boards/free/{post_id}").get_data(as_text=True)
    assert "운영자가 검토하는 동안 숨겨져 있습니다" in author_view
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert (post.status, post.status_reason) == ("hidden", "reports")
        assert [item.content.id for item in queue()["auto_hidden"]] == [post_id]
        assert db.session.scalar(select(ModerationAction.action)) == "auto_hide"
        (notice,) = mails_to("writer@example.com")[1:]  # after the verification e-mail
        assert notice.template == "moderation_notice" and notice.context["action"] == "auto_hide"


@pytest.mark.parametrize("reason", ["defamation", "privacy"])
def test_a_rights_claim_blinds_the_post_at_once_and_tells_both_sides(app, client, sign_in, post_id, reason):
    report(sign_in("reader1@example.com"), post_id, reason=reason)
    page = client.get(f"/ko/boards/free/{post_id}").get_data(as_text=True)
    assert "임시조치된 글" in page and "이 글은 신고됩니다." not in page and "신고될 글" not in page
    assert "임시조치된 글" in client.get("/ko/boards/free/").get_data(as_text=True)
    with app.app_context():
        measure = db.session.scalar(select(TemporaryMeasure))
        assert measure.reason == reason and measure.decided_at is None
        assert measure.ends_at - measure.started_at == timedelta(days=30)
        assert db.session.get(Post, post_id).status == "blinded"
        for address, role in (("reader1@example.com", "claimant"), ("writer@example.com", "author")):
            (mail,) = [m for m in mails_to(address) if m.template == "temporary_measure"]
            assert mail.context["role"] == role and mail.context["step"] == "started"


def test_the_author_objects_once_from_the_post_page(app, sign_in, post_id):
    report(sign_in("reader1@example.com"), post_id, reason="defamation")
    writer = sign_in("writer@example.com")
    page = writer.get(f"/ko/boards/free/{post_id}").get_data(as_text=True)
    assert "이 글은 신고됩니다." in page and "임시조치에 이의 제기" in page  # the author still reads it
    assert writer.post(f"/ko/boards/objection/post/{post_id}", data={"objection": " "}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(TemporaryMeasure.objected_at)) is None
    writer.post(f"/ko/boards/objection/post/{post_id}", data={"objection": "사실만 썼습니다."})
    again = writer.post(
        f"/ko/boards/objection/post/{post_id}", data={"objection": "다시"}, follow_redirects=True
    )
    assert "이의가 이미 운영자에게 전달되었습니다." in again.get_data(as_text=True)
    other = sign_in("reader2@example.com")
    assert (
        other.post(f"/ko/boards/objection/post/{post_id}", data={"objection": "남의 글"}).status_code == 404
    )
    with app.app_context():
        measure = db.session.scalar(select(TemporaryMeasure))
        assert measure.objection == "사실만 썼습니다."
        assert [item.content.id for item in queue()["objections"]] == [post_id]
        assert queue()["measures"] == []


def test_a_measure_undecided_after_its_period_is_flagged_overdue(app, sign_in, post_id):
    report(sign_in("reader1@example.com"), post_id, reason="privacy")
    with app.app_context():
        (item,) = queue()["measures"]
        assert not item.overdue
        (late,) = queue(now=now_utc() + timedelta(days=30, seconds=1))["measures"]
        assert late.overdue
        assert db.session.get(Post, post_id).status == "blinded"  # still blinded until decided
    mod = sign_in("mod@example.com")
    with app.app_context():
        measure = db.session.scalar(select(TemporaryMeasure))
        measure.ends_at = now_utc() - timedelta(minutes=1)
        db.session.commit()
    assert "기한 지남: 바로 결정하세요" in mod.get("/ko/moderation/").get_data(as_text=True)


def test_comments_can_be_reported_and_blinded_too(app, client, sign_in, post_id):
    reader = sign_in("reader1@example.com")
    sign_in("writer@example.com").post(f"/ko/boards/free/{post_id}/comments", data={"body": "누군가의 주소"})
    with app.app_context():
        from models import Comment

        comment_id = db.session.scalar(select(Comment.id))
    reader.post(f"/ko/boards/report/comment/{comment_id}", data={"reason": "privacy"})
    page = client.get(f"/ko/boards/free/{post_id}").get_data(as_text=True)
    assert "누군가의 주소" not in page and "임시조치(블라인드)되어 있습니다" in page
    with app.app_context():
        assert db.session.get(Post, post_id).comment_count == 0


def test_two_claims_at_the_same_moment_open_one_measure_and_both_count(
    app, board_people, sign_in, post_id, monkeypatch
):
    from models import Member
    from services import reports

    with app.app_context():
        stale = db.session.get(Post, post_id)  # the second claim's request loaded the post first...
        assert stale.status == "published"
        report(sign_in("reader1@example.com"), post_id, reason="defamation")  # ...then the first one won
        monkeypatch.setattr(reports, "open_measure", lambda content: None)  # checked before that commit
        reports.report(db.session.get(Member, board_people["reader2"]), stale, "privacy")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(TemporaryMeasure)) == 1
        assert db.session.scalar(select(func.count()).select_from(Report)) == 2
        assert db.session.get(Post, post_id).status == "blinded"
