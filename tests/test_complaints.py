"""Privacy complaints and questions (SPEC §12): the form, the console, retention and withdrawal."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Complaint, Member, OutboxMessage, StaffAccess
from services.complaints import BODY_MAX, SUBJECT_MAX
from services.mail import build_message
from services.retention_store import retain_until

QUESTION = {
    "kind": "question",
    "subject": "내 정보는 어디에\n쓰이나요?",
    "body": "제 전화번호를 누가 보나요?",
}
VISITOR = "visitor@example.net"


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def only(model, *where):
    (row,) = db.session.scalars(select(model).where(*where)).all()
    return row


@pytest.fixture
def people(board_people):
    """The board people: members, a moderator and the privacy officer."""
    return board_people


@pytest.fixture
def officer(people, sign_in):
    return sign_in("officer@example.com")


@pytest.fixture
def send(client):
    """Post the public form as a visitor (another client may be given); returns the response."""

    def post(lang: str = "ko", by=None, **data):
        form = QUESTION | {"email": VISITOR} | data
        return (by or client).post(f"/{lang}/privacy/contact", data=form)

    return post


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_visitor_sends_a_question_and_gets_a_reference_and_an_acknowledgement(app, client, send, lang):
    response = send(lang)
    assert response.status_code == 302 and response.headers["Location"] == f"/{lang}/privacy/contact/sent"
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "#1" in thanks
    with app.app_context():
        complaint = only(Complaint)
        assert (complaint.member_id, complaint.email, complaint.locale) == (None, VISITOR, lang)
        assert complaint.kind == "question" and complaint.status == "open"
        assert complaint.subject == "내 정보는 어디에 쓰이나요?"  # one line
        mail = only(OutboxMessage)
        assert (mail.template, mail.recipient, mail.locale) == ("complaint_received", VISITOR, lang)
        message = build_message(mail)
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "#1" in text and "내 정보는 어디에 쓰이나요?" in text
    if lang == "ko":
        assert message["Subject"].startswith("USNAPER") and "접수" in text
    else:
        assert "privacy office" in message["Subject"] and "We received your message" in text


@pytest.mark.parametrize("page_lang", ["ko", "en"])
def test_a_member_sends_without_an_address_and_is_answered_in_their_language(
    app, make_member, sign_in, send, page_lang
):
    make_member(email="english@example.com", language="en")
    member = sign_in("english@example.com")
    form = member.get(f"/{page_lang}/privacy/contact").get_data(as_text=True)
    assert "english@example.com" in form and 'name="email"' not in form
    response = send(page_lang, by=member, email="")
    assert response.status_code == 302
    with app.app_context():
        complaint = only(Complaint)
        assert complaint.member_id is not None and complaint.email == "" and complaint.locale == "en"
        mail = only(OutboxMessage, OutboxMessage.template == "complaint_received")
        assert (mail.recipient, mail.locale, mail.member_id) == (
            "english@example.com",
            "en",
            complaint.member_id,
        )


def test_a_member_whose_address_is_flagged_gets_no_mail_and_is_told_so(app, make_member, sign_in, send):
    make_member(email="flagged@example.com", corrections_requested=["email"])
    member = sign_in("flagged@example.com")
    form = member.get("/ko/privacy/contact").get_data(as_text=True)
    assert "flagged@example.com" not in form and "내 정보에 표시됩니다" in form
    response = send(by=member)
    thanks = member.get(response.headers["Location"]).get_data(as_text=True)
    assert "#1" in thanks and "내 정보에 표시됩니다" in thanks
    with app.app_context():
        assert count(Complaint) == 1 and count(OutboxMessage, OutboxMessage.template.like("complaint%")) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"subject": ""}, "This cannot be empty."),
        ({"body": "   \n  "}, "This cannot be empty."),
        ({"body": "\x07\x1b\u202e\u200b"}, "This cannot be empty."),  # only control and layout characters
        ({"subject": "\x01\x02"}, "This cannot be empty."),
        ({"body": "NUL\x00"}, ""),  # refused before any view (PostgreSQL cannot store it)
        ({"body": "가" * (BODY_MAX + 1)}, f"Use at most {BODY_MAX} characters."),
        ({"subject": "a" * (SUBJECT_MAX + 1)}, f"Use at most {SUBJECT_MAX} characters."),
        ({"email": ""}, "Enter your e-mail address."),
        ({"email": "not-an-address"}, "Enter a valid e-mail address."),
        ({"email": "a@b\nBcc: x@y.z"}, "Enter a valid e-mail address."),
        ({"kind": ""}, "Choose from the list."),
        ({"kind": "praise"}, "Not a valid choice"),
    ],
)
def test_invalid_input_stores_nothing_and_says_why(app, send, data, message):
    response = send("en", **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert count(Complaint) == 0 and count(OutboxMessage) == 0


def test_refusals_are_shown_in_korean_on_korean_pages(app, send):
    response = send("ko", body="\x07", email="nope")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "올바른 이메일 주소" in html


@pytest.mark.parametrize("app_overrides", [{"COMPLAINTS_PER_HOUR": 2}])
def test_sending_is_throttled_per_visitor_address_and_per_member(app, send, make_member, sign_in):
    assert [send().status_code for _ in range(3)] == [302, 302, 429]
    refused = send("en")
    assert refused.status_code == 429 and "at most 2 messages" in refused.get_data(as_text=True)
    make_member(email="busy@example.com")
    member = sign_in("busy@example.com")  # a member is counted on their own
    assert [send(by=member).status_code for _ in range(3)] == [302, 302, 429]
    with app.app_context():
        assert (
            count(Complaint) == 4
            and count(OutboxMessage, OutboxMessage.template == "complaint_received") == 4
        )


def make_complaints(app, n: int, **fields) -> list[int]:
    with app.app_context():
        rows = [
            Complaint(
                kind="complaint",
                subject=f"불만 {i}",
                body="본문",
                email=f"c{i}@example.net",
                locale="ko",
                **fields,
            )
            for i in range(n)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def test_the_queue_lists_by_status_a_page_at_a_time_and_never_shows_addresses(app, officer):
    make_complaints(app, 27)
    make_complaints(app, 1, status="closed", closed_at=datetime.now(UTC))
    first = officer.get("/ko/office/complaints/")
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    assert "불만 0" in html and "불만 24" in html and "불만 25" not in html  # open: oldest first, 25 a page
    assert "@example.net" not in html
    second = officer.get("/ko/office/complaints/?status=open&page=2").get_data(as_text=True)
    assert "불만 25" in second and "불만 26" in second and "불만 0<" not in second
    closed = officer.get("/en/office/complaints/?status=closed").get_data(as_text=True)
    assert "불만 0" in closed and "불만 1<" not in closed
    for odd in ("?page=99999999999999999999", "?status=nonsense&page=-3", "?page=abc"):
        assert officer.get(f"/ko/office/complaints/{odd}").status_code == 200


def test_opening_a_complaint_is_audited_and_keeps_the_address_hidden(app, officer, people, send):
    send(body="제 주소가 노출되었습니다.")
    response = officer.get("/ko/office/complaints/1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "제 주소가 노출되었습니다." in html and VISITOR not in html
    with app.app_context():
        row = only(StaffAccess)
        assert row.staff_id == people["officer"] and row.subject_id is None
        assert (row.purpose, row.fields, row.reason) == ("complaint", ["body", "subject"], "complaint #1")


def test_a_members_complaint_is_audited_against_that_member(app, officer, people, sign_in, send):
    send(by=sign_in("reader1@example.com"))
    officer.get("/ko/office/complaints/1")
    with app.app_context():
        assert only(StaffAccess).subject_id == people["reader1"]


def test_showing_the_contact_address_needs_a_reason_and_is_audited(app, officer, send):
    send()
    for reason, message in (("", "Say why you need to see the contact address."), ("why", "at least 5")):
        refused = officer.post("/en/office/complaints/1/contact", data={"reason": reason})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 400 and message in html and VISITOR not in html
    with app.app_context():
        assert count(StaffAccess) == 0
    shown = officer.post("/en/office/complaints/1/contact", data={"reason": "답변 메일이 반송되어 주소 확인"})
    assert shown.status_code == 200 and VISITOR in shown.get_data(as_text=True)
    assert shown.headers["Cache-Control"] == "no-store"
    with app.app_context():
        row = only(StaffAccess)
        assert (row.purpose, row.fields, row.reason) == (
            "complaint_contact",
            ["email"],
            "답변 메일이 반송되어 주소 확인",
        )


def test_the_audit_names_each_complaint_purpose_in_the_readers_language(app, officer, send):
    # The address reveal was listed by its code, and the opening under the reveal's label.
    send()
    officer.get("/ko/office/complaints/1")
    officer.post("/ko/office/complaints/1/contact", data={"reason": "답변 메일이 반송되어 주소 확인"})
    html = officer.get("/ko/office/audit").get_data(as_text=True)
    assert html.count("개인정보 민원의 제목과 내용") >= 2 and html.count("개인정보 민원의 연락처") >= 2
    assert ">complaint_contact<" not in html


def test_the_answer_is_mailed_in_the_members_current_language(app, officer, make_member, sign_in, send):
    member_id = make_member(email="switcher@example.com", language="en")
    send(by=sign_in("switcher@example.com"))
    with app.app_context():
        db.session.get(Member, member_id).language = "ko"  # changed their setting since
        db.session.commit()
    response = officer.post(
        "/en/office/complaints/1/answer", data={"answer": "전화번호는 예약 상대에게만 갑니다."}
    )
    assert response.status_code == 302
    with app.app_context():
        complaint = db.session.get(Complaint, 1)
        assert complaint.status == "answered" and complaint.answer == "전화번호는 예약 상대에게만 갑니다."
        assert complaint.answered_by is not None and complaint.answered_at is not None
        mail = only(OutboxMessage, OutboxMessage.template == "complaint_answer")
        assert (mail.recipient, mail.locale, mail.member_id) == ("switcher@example.com", "ko", member_id)
        message = build_message(mail)
    assert "답변" in message["Subject"]
    assert "전화번호는 예약 상대에게만 갑니다." in message.get_body(preferencelist=("plain",)).get_content()


def test_a_visitors_answer_goes_to_their_address_in_the_language_they_wrote_in(app, officer, send):
    send("en")
    officer.post("/ko/office/complaints/1/answer", data={"answer": "Your data is kept for three years."})
    with app.app_context():
        mail = only(OutboxMessage, OutboxMessage.template == "complaint_answer")
        assert (mail.recipient, mail.locale) == (VISITOR, "en")


def test_an_empty_answer_is_refused(app, officer, send):
    send()
    response = officer.post("/en/office/complaints/1/answer", data={"answer": " \u200b\x01 "})
    assert response.status_code == 400 and "This cannot be empty." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Complaint, 1).status == "open"
        assert count(OutboxMessage, OutboxMessage.template == "complaint_answer") == 0


def test_a_follow_up_keeps_the_first_answer_and_a_closed_complaint_is_read_only(app, officer, send):
    send()
    officer.post("/ko/office/complaints/1/answer", data={"answer": "첫 답변"})
    officer.post("/ko/office/complaints/1/answer", data={"answer": "추가 답변"})
    assert officer.post("/ko/office/complaints/1/close").status_code == 302
    page = officer.get("/en/office/complaints/1").get_data(as_text=True)
    assert "no longer changed" in page and 'name="answer"' not in page
    refused = officer.post(
        "/en/office/complaints/1/answer", data={"answer": "너무 늦은 답변"}, follow_redirects=True
    )
    assert "no longer changed" in refused.get_data(as_text=True)
    officer.post("/en/office/complaints/1/close")
    with app.app_context():
        complaint = db.session.get(Complaint, 1)
        assert (
            complaint.status == "closed" and "첫 답변" in complaint.answer and "추가 답변" in complaint.answer
        )
        assert "너무 늦은 답변" not in complaint.answer
        mails = db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.template == "complaint_answer")
            .order_by(OutboxMessage.id)
        ).all()
        assert [mail.context["answer"] for mail in mails] == [
            "첫 답변",
            "추가 답변",
        ]  # each mail only the new one


def test_closing_keeps_the_record_three_korean_years_then_the_purge_deletes_it(
    app, officer, send, monkeypatch
):
    from services.purge import purge_expired

    send()
    # 15:30 UTC on 1 March is 00:30 on 2 March in Seoul: the Korean day counts.
    closed_at = datetime(2025, 3, 1, 15, 30, tzinfo=UTC)
    monkeypatch.setattr("services.complaints.now_utc", lambda: closed_at)
    officer.post("/ko/office/complaints/1/close")
    with app.app_context():
        complaint = db.session.get(Complaint, 1)
        assert complaint.closed_at == closed_at
        assert complaint.retain_until == datetime(2028, 3, 1, 15, 0, tzinfo=UTC)  # 2028-03-02 00:00 in Seoul
        purge_day = complaint.retain_until
        assert purge_expired(now=purge_day - timedelta(seconds=1)).get("complaint", 0) == 0
        assert count(Complaint) == 1
        assert purge_expired(now=purge_day + timedelta(seconds=1))["complaint"] == 1
        assert count(Complaint) == 0


def office_urls(app) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("complaints.") and "/office/" in rule.rule:
            path = rule.rule.replace("<lang:lang_code>", "ko").replace("<int:complaint_id>", "1")
            urls += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return urls


def test_the_console_refuses_members_and_moderators_and_sends_visitors_to_sign_in(
    app, client, people, sign_in, send
):
    send()
    urls = office_urls(app)
    assert len(urls) == 5
    data = {"reason": "살펴보려고 합니다", "answer": "답변"}
    for email in ("reader1@example.com", "mod@example.com"):
        lower = sign_in(email)
        for method, url in urls:
            assert lower.open(url, method=method, data=data).status_code == 403, (email, url)
    for method, url in urls:
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302 and "/signin" in response.headers["Location"], url
    with app.app_context():
        complaint = db.session.get(Complaint, 1)
        assert complaint.status == "open" and complaint.answer is None and count(StaffAccess) == 0


def test_unknown_and_impossible_ids_are_not_found(officer):
    for complaint_id in ("2", "0", str(2**31), "99999999999999999999"):
        assert officer.get(f"/ko/office/complaints/{complaint_id}").status_code == 404
        assert (
            officer.post(f"/ko/office/complaints/{complaint_id}/answer", data={"answer": "답"}).status_code
            == 404
        )
        assert officer.post(f"/ko/office/complaints/{complaint_id}/close").status_code == 404


def test_my_info_shows_my_complaints_with_their_answers_and_the_export_has_them(app, officer, sign_in, send):
    member = sign_in("reader1@example.com")
    assert "보낸 문의나 불만이 없습니다" in member.get("/ko/me/").get_data(as_text=True)
    send(by=member, subject="탈퇴 후 기록", body="무엇이 남나요?")
    officer.post("/ko/office/complaints/1/answer", data={"answer": "계약 기록만 5년 남습니다."})
    html = member.get("/ko/me/").get_data(as_text=True)
    assert "탈퇴 후 기록" in html and "무엇이 남나요?" in html
    assert "답변 완료" in html and "계약 기록만 5년 남습니다." in html
    exported = json.loads(member.get("/ko/me/export.json").get_data(as_text=True))
    (record,) = exported["complaints"]
    assert record["subject"] == "탈퇴 후 기록" and record["answer"] == "계약 기록만 5년 남습니다."
    assert record["status"] == "answered"
    others = sign_in("reader2@example.com").get("/ko/me/").get_data(as_text=True)
    assert "탈퇴 후 기록" not in others


def test_withdrawal_keeps_complaints_unlinked_and_closed_and_the_receipt_says_so(app, people, sign_in, send):
    from services.clock import seoul_today
    from services.retention_store import retain_until
    from services.withdrawal import withdraw
    from tests.conftest import MEMBER_PASSWORD

    member = sign_in("reader1@example.com")
    send(by=member, subject="열린 불만")
    send(by=member, subject="닫힌 문의")
    with app.app_context():
        closed = only(Complaint, Complaint.subject == "닫힌 문의")
        closed.status, closed.closed_at = "closed", datetime(2025, 1, 2, tzinfo=UTC)
        closed.retain_until = retain_until("complaint", closed.closed_at)
        db.session.commit()
        before = datetime.now(UTC)
        receipt = withdraw(db.session.get(Member, people["reader1"]), MEMBER_PASSWORD)
        complaints = db.session.scalars(select(Complaint).order_by(Complaint.id)).all()
        assert [c.subject for c in complaints] == ["열린 불만", "닫힌 문의"]
        assert all(c.member_id is None and c.email == "" and c.status == "closed" for c in complaints)
        opened = complaints[0]
        assert before <= opened.closed_at and opened.retain_until == retain_until(
            "complaint", opened.closed_at
        )
        assert complaints[1].retain_until == datetime(
            2028, 1, 1, 15, 0, tzinfo=UTC
        )  # unchanged: 2028-01-02 in Seoul
        (kept,) = [item for item in receipt["kept"] if item["category"] == "complaint"]
        assert kept["until"] == seoul_today(opened.retain_until).isoformat()
        mail = only(OutboxMessage, OutboxMessage.template == "withdrawal_receipt")
        text = build_message(mail).get_body(preferencelist=("plain",)).get_content()
        assert "소비자의 불만 또는 분쟁처리에 관한 기록" in text and "3년" in text
        # Someone who never wrote to the privacy office is not told about complaint records.
        other = withdraw(db.session.get(Member, people["reader2"]), MEMBER_PASSWORD)
        assert all(item["category"] != "complaint" for item in other["kept"])


def test_the_footer_and_the_privacy_policy_link_to_the_form(client):
    for lang in ("ko", "en"):
        home = client.get(f"/{lang}/").get_data(as_text=True)
        policy = client.get(f"/{lang}/privacy").get_data(as_text=True)
        assert f'href="/{lang}/privacy/contact"' in home and f'href="/{lang}/privacy/contact"' in policy
    form = client.get("/ko/privacy/contact").get_data(as_text=True)
    assert re.search(r'name="email"', form) and "3년" in form


def test_an_answer_left_quiet_closes_by_itself_and_starts_its_three_years(app):
    from services.complaint_retention import close_quiet_answered

    now = datetime.now(UTC)
    quiet, recent = make_complaints(
        app, 2, status="answered", answer="답변", answered_at=now - timedelta(days=30, seconds=1)
    )
    with app.app_context():
        db.session.get(Complaint, recent).answered_at = now - timedelta(days=29)
        db.session.commit()
        assert close_quiet_answered(now) == 1
        closed, still = db.session.get(Complaint, quiet), db.session.get(Complaint, recent)
        assert (closed.status, closed.closed_at) == ("closed", now)
        assert closed.retain_until == retain_until("complaint", now)
        assert still.status == "answered" and still.retain_until is None
        assert close_quiet_answered(now) == 0
