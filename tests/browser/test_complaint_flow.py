"""A privacy question in a browser: a visitor writes in English, the privacy officer answers in the
Korean console, the answer goes out in English, and the officer closes it.

The officer is made here with a unique address, so the test shares the session's live server.
"""

import re
import uuid
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from extensions import db
from models.complaint import Complaint
from models.outbox import OutboxMessage
from tests.browser.accounts import active_member
from tests.browser.test_booking_flow import PASSWORD, sign_in


def test_a_visitor_asks_and_the_privacy_officer_answers_and_closes(live_server, open_page, screenshot):
    base, app = live_server["url"], live_server["app"]
    tag = uuid.uuid4().hex[:8]
    visitor_address, subject = f"asker-{tag}@example.net", f"Who sees my phone number? {tag}"
    active_member(app, f"officer-{tag}@example.com", "책임자", PASSWORD, role="privacy_officer")

    visitor = open_page("en-US")
    visitor.goto(base + "/en/privacy/contact")
    visitor.get_by_label("A question about my personal data or the privacy policy").check()
    visitor.get_by_label("Subject of your message", exact=True).fill(subject)
    visitor.get_by_label("Your message", exact=True).fill(
        "When I book a photographer,\nwho gets my phone number?"
    )
    visitor.get_by_label("E-mail address for the answer").fill(visitor_address)
    visitor.get_by_role("button", name="Send to the privacy office").click()
    expect(visitor.get_by_text(re.compile(r"Your reference number is #\d+\."))).to_be_visible()
    screenshot(visitor, "complaint-sent-en")
    reference = re.search(r"#(\d+)", visitor.get_by_text("Your reference number").inner_text()).group(1)

    officer = open_page()
    sign_in(officer, base, f"officer-{tag}@example.com")
    officer.goto(base + "/ko/office/complaints/")
    expect(officer.get_by_text(visitor_address)).to_have_count(0)
    officer.get_by_role("link", name=subject).click()
    expect(officer.get_by_text("who gets my phone number?")).to_be_visible()
    expect(officer.get_by_text(visitor_address)).to_have_count(0)
    officer.get_by_label("답변 내용").fill("Only the photographer you book, and only after you both consent.")
    officer.get_by_role("button", name="답변 보내기").click()
    expect(officer.get_by_text("답변을 저장하고 문의한 분의 언어로 이메일을 보냈습니다.")).to_be_visible()
    screenshot(officer, "complaint-answered-ko")
    officer.get_by_role("button", name="이 문의 종결하기").click()
    expect(
        officer.get_by_text("종결된 문의입니다. 읽을 수는 있지만 더 이상 바꿀 수 없습니다.")
    ).to_be_visible()

    with app.app_context():
        complaint = db.session.get(Complaint, int(reference))
        assert complaint.subject == subject and complaint.status == "closed"
        assert complaint.retain_until - complaint.closed_at > timedelta(days=3 * 365)
        answer = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.template == "complaint_answer", OutboxMessage.recipient == visitor_address
            )
        ).one()
        assert answer.locale == "en"
