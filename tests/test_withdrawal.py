"""Leaving the site: deletion at once, sessions ended, a receipt from the retention definition,
and the re-join guard that keeps no address (SPEC §5)."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from extensions import db
from models import (
    AccessLog,
    ConsentEvent,
    Member,
    OutboxMessage,
    RetentionRecord,
    SignInEvent,
    WithdrawnAddress,
)
from services.clock import now_utc
from services.mail import build_message
from services.members import SignupRequest, sign_up

PASSWORD = "a long enough passphrase"
EMAIL = "leaving@example.com"


@pytest.fixture
def join(make_member):
    """Factory: an active member with an optional phone number; returns its id."""
    return lambda email=EMAIL: make_member(email=email, name="탈퇴할회원", phone="010-5555-6666")


def signed_in_client(app, email: str = EMAIL):
    client = app.test_client()
    client.post("/ko/signin", data={"email": email, "password": PASSWORD})
    return client


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_withdrawal_deletes_everything_at_once_and_ends_every_session(app, join):
    member_id = join()
    client, other_device = signed_in_client(app), signed_in_client(app)
    client.get("/ko/privacy")
    response = client.post(
        "/ko/me/withdraw", data={"password": PASSWORD, "understood": "y", "posts": "delete"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Member, member_id) is None
        assert count(ConsentEvent) == 0 and count(SignInEvent) == 0
        # Site visits stay under law, but nothing in them points back to the person.
        assert count(AccessLog) > 0 and count(AccessLog, AccessLog.member_id.is_not(None)) == 0
        assert count(WithdrawnAddress) == 1
        dump = " ".join(
            str(row)
            for table in (
                "members",
                "consent_events",
                "sign_in_events",
                "withdrawn_addresses",
                "retention_records",
            )
            for row in db.session.execute(text(f"SELECT * FROM {table}")).all()  # noqa: S608 - fixed names
        )
        assert EMAIL not in dump and "탈퇴할회원" not in dump
    for device in (client, other_device):
        assert device.get("/ko/me/").status_code == 302  # signed out everywhere


def test_the_receipt_lists_what_was_deleted_and_what_is_kept_until_when(app, monkeypatch, join):
    from tests.test_outbox import RecordingTransport

    join()
    client = signed_in_client(app)
    client.get("/ko/")
    transport = RecordingTransport()
    monkeypatch.setattr("services.delivery.transport", lambda: transport)
    client.post("/ko/me/withdraw", data={"password": PASSWORD, "understood": "y", "posts": "delete"})
    (receipt,) = transport.sent
    assert receipt["To"] == EMAIL and receipt["Subject"] == "USNAPER 탈퇴 안내: 삭제한 정보와 보관하는 기록"
    body = receipt.get_body(preferencelist=("plain",)).get_content()
    assert "연락처: 이메일 주소와 휴대전화번호" in body
    assert "사이트 방문(접속 로그) 기록" in body and "2년 보관" in body and "통신비밀보호법" in body
    with app.app_context():
        (row,) = db.session.scalars(select(OutboxMessage)).all()
        assert row.status == "sent" and row.recipient == "" and row.context == {}  # erased once sent


def test_a_wrong_password_withdraws_nothing(app, join):
    member_id = join()
    client = signed_in_client(app)
    response = client.post(
        "/en/me/withdraw", data={"password": "not my password", "understood": "y", "posts": "delete"}
    )
    assert response.status_code == 400 and "That password is not right." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Member, member_id) is not None


def test_withdrawal_needs_the_acknowledgement_and_a_recent_sign_in(app, join):
    join()
    client = signed_in_client(app)
    refused = client.post("/en/me/withdraw", data={"password": PASSWORD})
    assert refused.status_code == 400 and "Tick this box to confirm." in refused.get_data(as_text=True)
    assert "Choose what happens to your posts and comments." in refused.get_data(as_text=True)
    with client.session_transaction() as session:
        session["signed_in_at"] = (now_utc() - timedelta(hours=1)).isoformat()
    stale = client.post("/en/me/withdraw", data={"password": PASSWORD, "understood": "y", "posts": "delete"})
    assert stale.status_code == 302 and "/en/signin" in stale.headers["Location"]


@pytest.mark.parametrize("app_overrides", [{"REJOIN_MAX_WITHDRAWALS": 2, "REJOIN_WINDOW_DAYS": 90}])
def test_the_third_join_within_the_window_is_refused_without_keeping_the_address(app, join):
    for _ in range(2):
        join(email="Hopper@Example.com")
        signed_in_client(app, "hopper@example.com").post(
            "/ko/me/withdraw", data={"password": PASSWORD, "understood": "y", "posts": "delete"}
        )
    response = app.test_client().post(
        "/ko/signup",
        data={
            "email": "HOPPER@example.com",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
            "name": "다시",
            "birth_date": "1991-01-01",
            "privacy_notice": "y",
            "terms": "y",
        },
    )
    assert response.status_code == 400 and "너무 자주 반복하여" in response.get_data(as_text=True)
    with app.app_context():
        assert count(Member) == 0
        (record,) = db.session.scalars(select(RetentionRecord)).all()
        assert record.category == "illegal_use" and record.payload["withdrawals"] == 2
        hashes = db.session.scalars(select(WithdrawnAddress.email_hash)).all()
        assert "hopper" not in " ".join(hashes + [record.subject_key])


def test_withdrawn_address_hashes_are_forgotten_after_the_window(app, join):
    from services.rejoin import forget_old_withdrawals

    join()
    signed_in_client(app).post(
        "/ko/me/withdraw", data={"password": PASSWORD, "understood": "y", "posts": "delete"}
    )
    with app.app_context():
        assert forget_old_withdrawals() == 0
        assert forget_old_withdrawals(now=now_utc() + timedelta(days=91)) == 1


def test_receipt_renders_in_english_too(app):
    with app.app_context():
        from services.outbox import queue_email

        row = queue_email(
            "x@example.com",
            "withdrawal_receipt",
            "en",
            {
                "deleted": ["profile"],
                "kept": [{"category": "access_log", "until": "2028-11-25"}],
                "withdrawn_on": "2026-11-25",
            },
        )
        message = build_message(row)
        db.session.rollback()
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Site visit (access log) records: kept for 2 years, until 2028-11-25" in body


def test_every_mail_about_the_member_goes_whatever_address_it_went_to(app, join):
    join()
    client = signed_in_client(app)
    client.post(
        "/ko/me/email", data={"email": "Other.Address@example.com", "password": PASSWORD}
    )  # mail to another address
    client.post("/ko/password/forgot", data={"email": EMAIL})
    with app.app_context():
        assert count(OutboxMessage) == 3  # verification, e-mail change, reset
    client.post("/ko/me/withdraw", data={"password": PASSWORD, "understood": "y", "posts": "delete"})
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage.template)).all() == ["withdrawal_receipt"]


def test_unverified_signups_leave_no_mail_behind(app):
    from services.members import purge_unverified

    with app.app_context():
        sign_up(
            SignupRequest(
                email="never.verified@example.com",
                password=PASSWORD,
                name="x",
                birth_date=date(1990, 1, 1),
                language="ko",
                consents={"privacy_notice": True, "terms": True},
            )
        )
        assert count(OutboxMessage) == 1
        purge_unverified(now=now_utc() + timedelta(days=3))
        assert count(OutboxMessage) == 0


def write_and_get_reported(app, board_people, make_post, sign_in) -> tuple[int, int, int]:
    """The writer's post with another member's comment under it, a comment of the writer's
    elsewhere, and a report and a moderation step that name the writer."""
    from models import Comment

    own = make_post(board_people["writer"], title="떠날 회원의 글", body="남길까 지울까")
    other = make_post(board_people["reader1"], title="다른 회원의 글")
    reader, writer = sign_in("reader1@example.com"), sign_in("writer@example.com")
    reader.post(f"/ko/boards/free/{own}/comments", data={"body": "다른 회원의 댓글"})
    writer.post(f"/ko/boards/free/{other}/comments", data={"body": "떠날 회원의 댓글"})
    writer.post(f"/ko/boards/report/post/{other}", data={"reason": "off_topic"})
    sign_in("mod@example.com").post(f"/ko/moderation/post/{own}/hide", data={"reason": "other"})
    sign_in("mod@example.com").post(f"/ko/moderation/post/{own}/restore", data={"reason": "other"})
    with app.app_context():
        comment = db.session.scalar(select(Comment.id).where(Comment.author_id == board_people["writer"]))
    return own, other, comment


def receipt_text(transport) -> str:
    (receipt,) = [m for m in transport.sent if "탈퇴" in m["Subject"]]
    return receipt.get_body(preferencelist=("plain",)).get_content()


def test_withdrawing_with_delete_removes_every_post_and_comment(
    app, monkeypatch, board_people, make_post, sign_in
):
    from models import Comment, ModerationAction, Post, Report
    from tests.test_outbox import RecordingTransport

    own, other, comment = write_and_get_reported(app, board_people, make_post, sign_in)
    transport = RecordingTransport()
    monkeypatch.setattr("services.delivery.transport", lambda: transport)
    response = sign_in("writer@example.com").post(
        "/ko/me/withdraw", data={"password": PASSWORD, "understood": "y", "posts": "delete"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Post, own) is None and db.session.get(Comment, comment) is None
        # The other member's comment went with the deleted post; their own post stays, its count right.
        assert db.session.scalars(select(Comment.body)).all() == []
        assert db.session.get(Post, other).comment_count == 0
        assert db.session.scalar(select(Report.reporter_id)) is None
        assert set(db.session.scalars(select(ModerationAction.subject_id))) == {None}
    assert "게시판에 쓴 글과 댓글" in receipt_text(transport) and "탈퇴한 회원" not in receipt_text(transport)


def test_withdrawing_with_keep_leaves_posts_as_withdrawn_member_linked_to_nothing(
    app, client, monkeypatch, board_people, make_post, sign_in
):
    from models import Comment, Post
    from tests.test_outbox import RecordingTransport

    own, other, comment = write_and_get_reported(app, board_people, make_post, sign_in)
    transport = RecordingTransport()
    monkeypatch.setattr("services.delivery.transport", lambda: transport)
    before = client.get(f"/ko/boards/free/{own}").get_data(as_text=True)
    writer = sign_in("writer@example.com")
    writer.post("/ko/me/withdraw", data={"password": PASSWORD, "understood": "y", "posts": "keep"})
    page = client.get(f"/ko/boards/free/{own}").get_data(as_text=True)
    assert "떠날 회원의 글" in page and "탈퇴한 회원" in page
    tag = re.search(r"회원 ([0-9A-F]{6})", before).group(1)
    assert tag not in page  # the tag that tied the posts together is gone
    assert "떠날 회원의 댓글" in client.get(f"/ko/boards/free/{other}").get_data(as_text=True)
    with app.app_context():
        assert (
            db.session.get(Post, own).author_id is None and db.session.get(Comment, comment).author_id is None
        )
    assert '"탈퇴한 회원"의 글로 게시판에 남으며' in receipt_text(transport)
    assert "게시판에 쓴 글과 댓글" not in receipt_text(transport)
    # Nobody can edit or delete a withdrawn member's post any more.
    assert writer.post(f"/ko/boards/free/{own}/delete").status_code == 302  # signed out: to sign-in
    with app.app_context():
        assert db.session.get(Post, own) is not None


def test_withdrawal_blanks_what_the_member_wrote_in_reports(app, board_people, make_post, sign_in):
    from models import Report

    post_id = make_post(board_people["reader1"])
    writer = sign_in("writer@example.com")
    writer.post(
        f"/ko/boards/report/post/{post_id}", data={"reason": "spam", "details": "내 전화 010-1111-2222"}
    )
    writer.post("/ko/me/withdraw", data={"password": PASSWORD, "understood": "y", "posts": "keep"})
    with app.app_context():
        row = db.session.scalar(select(Report))
        assert (row.reporter_id, row.details) == (None, "")


def test_the_only_privacy_officer_cannot_leave_until_someone_else_holds_the_role(app, make_member, sign_in):
    from models import RoleChange

    officer_id = make_member(email=EMAIL, staff_role="privacy_officer")
    client = sign_in(EMAIL)  # with the two-step code staff have
    form = {"password": PASSWORD, "understood": "y", "posts": "delete"}
    response = client.post("/en/me/withdraw", data=form)
    assert response.status_code == 400
    assert "You are the only privacy officer." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Member, officer_id) is not None
    make_member(email="second@example.com", staff_role="privacy_officer")
    assert client.post("/en/me/withdraw", data=form).status_code == 302
    with app.app_context():
        assert db.session.get(Member, officer_id) is None
        change = db.session.scalar(select(RoleChange).where(RoleChange.member_id == officer_id))
        assert (change.before, change.after, change.actor_id) == ("privacy_officer", None, officer_id)


def test_office_records_stay_unlinked_and_are_on_the_receipt(app, join, make_member):
    from models import Campaign, CampaignDelivery
    from services.retention_store import retain_until
    from services.staff_audit import record_access

    member_id = join()
    now = now_utc()
    with app.app_context():
        campaign = Campaign(subject_ko="광고", subject_en="Ad", body_ko="본문", body_en="Body", created_by=1)
        db.session.add(campaign)
        db.session.flush()
        db.session.add(
            CampaignDelivery(
                campaign_id=campaign.id,
                member_id=member_id,
                status="held",
                send_after=now + timedelta(hours=3),
                retain_until=retain_until("advertising", now),
            )
        )
        record_access(1, member_id, "member_view", ["name"], "checking a correction request")
        db.session.commit()
    with app.app_context():
        from services.withdrawal import withdraw

        receipt = withdraw(db.session.get(Member, member_id), PASSWORD)
        delivery = db.session.scalar(select(CampaignDelivery))
        # The held advertisement is never sent, and the record names nobody.
        assert (delivery.status, delivery.member_id) == ("skipped", None)
        assert {"advertising", "staff_access_log"} <= {item["category"] for item in receipt["kept"]}


def test_a_withdrawn_members_number_is_never_given_to_the_next_member(app, join, make_member):
    member_id = join()
    with app.app_context():
        from services.withdrawal import withdraw

        withdraw(db.session.get(Member, member_id), PASSWORD)
    # The withdrawn member held the highest number: SQLite without AUTOINCREMENT would reuse it.
    assert make_member(email="newcomer@example.com") > member_id
