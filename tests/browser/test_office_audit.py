"""The privacy officer in a browser, in Korean: from the header to the member look-up, opening a
member's phone number only after giving a reason, then finding that opening in the access audit.

The test makes its own officer and member with unique addresses, so it shares the session's live
server with the other browser tests.
"""

import uuid

from playwright.sync_api import expect
from sqlalchemy import select

from extensions import db
from models.privacy_office import StaffAccess
from tests.browser.accounts import active_member, pass_two_step

PASSWORD = "개인정보 보호 업무 시험용 긴 비밀번호"
PHONE = "010-3141-5926"


def make_member(app, email: str, name: str, phone: str | None = None, role: str | None = None) -> int:
    """An active member (with a phone under the optional consent, and a staff role, if given)."""
    return active_member(app, email, name, PASSWORD, phone=phone, role=role)


def test_the_officer_opens_a_phone_number_with_a_reason_and_finds_it_in_the_audit(
    live_server, open_page, screenshot
):
    app, base = live_server["app"], live_server["url"]
    tag = uuid.uuid4().hex[:8]
    officer_email, subject_email = f"officer-{tag}@example.com", f"subject-{tag}@example.com"
    officer_id = make_member(app, officer_email, "보호책임자", role="privacy_officer")
    subject_id = make_member(app, subject_email, "김열람", phone=PHONE)

    page = open_page()
    page.goto(base + "/ko/signin")
    page.get_by_label("이메일", exact=True).fill(officer_email)
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    pass_two_step(page, officer_email)
    page.get_by_role("link", name="개인정보 보호 업무").click()
    expect(page.get_by_role("heading", name="개인정보 보호 업무", level=1)).to_be_visible()
    screenshot(page, "office-home-ko")

    page.get_by_role("link", name="회원 조회", exact=True).first.click()
    page.get_by_label("이메일 주소 또는 회원 번호").fill(subject_email)
    page.get_by_role("button", name="회원 찾기").click()
    expect(page.get_by_role("heading", name=f"회원 #{subject_id}")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("김열람")
    expect(page.locator("main")).not_to_contain_text(subject_email)

    # Without a reason nothing opens and nothing is written.
    page.get_by_label("휴대전화번호", exact=True).check()
    page.get_by_role("button", name="열람하고 기록하기").click()
    expect(page.locator("main")).to_contain_text("열람해야 하는 이유를 적어 주세요")
    expect(page.locator("main")).not_to_contain_text(PHONE)
    with app.app_context():
        assert db.session.scalars(select(StaffAccess).where(StaffAccess.subject_id == subject_id)).all() == []

    page.get_by_label("휴대전화번호", exact=True).check()
    page.get_by_label("열람 사유 (접근 기록에 남습니다)").fill("회원이 전화번호 정정을 요청함")
    page.get_by_role("button", name="열람하고 기록하기").click()
    expect(page.locator(".opened-data")).to_contain_text(PHONE)
    expect(page.locator(".opened-data")).not_to_contain_text("김열람")
    with app.app_context():
        [row] = db.session.scalars(select(StaffAccess).where(StaffAccess.subject_id == subject_id)).all()
        assert (row.staff_id, row.fields, row.purpose) == (officer_id, ["phone"], "member_view")

    page.goto(base + f"/ko/office/audit?member={subject_id}")
    expect(page.locator("tbody")).to_contain_text("회원이 전화번호 정정을 요청함")
    expect(page.locator("tbody")).to_contain_text(f"#{officer_id}")
    screenshot(page, "office-audit-ko")
    page.goto(base + f"/en/office/audit?member={subject_id}")
    expect(page.locator("tbody")).to_contain_text("Personal data opened in the member look-up")
