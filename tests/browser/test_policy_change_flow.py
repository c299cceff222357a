"""A policy change with notice in a browser: the privacy officer drafts an important change and
schedules it 30 days ahead; a member then sees the banner on every page, reads what changes, and
the important-change e-mail is in the development outbox.

The test makes its own officer and member with unique addresses, so it shares the session's live
server with the other browser tests; at the end it removes the version it announced, so the banner
does not follow the other tests around.
"""

import re
import uuid
from datetime import timedelta

from babel.dates import format_date
from playwright.sync_api import expect
from sqlalchemy import delete, select

from extensions import db
from models import Member, OutboxMessage, PolicyVersion
from services.clock import seoul_today
from tests.browser.accounts import active_member, pass_two_step

PASSWORD = "정책 변경 흐름 시험용 아주 긴 비밀번호"


def make_member(app, email: str, name: str, language: str = "ko", staff_role: str | None = None) -> int:
    """An active, established member; optionally holding a staff role."""
    return active_member(app, email, name, PASSWORD, language=language, role=staff_role)


def sign_in(page, base: str, email: str, sign_out_label: str = "로그아웃") -> None:
    """Sign in through the Korean form (a member who chose English lands on English pages)."""
    page.goto(base + "/ko/signin")
    page.get_by_label("이메일", exact=True).fill(email)
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    pass_two_step(page, email)
    expect(page.get_by_role("button", name=sign_out_label)).to_be_visible()


def sign_out(page, button: str = "로그아웃", link: str = "로그인") -> None:
    """Sign out with the header's button."""
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("link", name=link, exact=True)).to_be_visible()


def forget_pending(app, kind: str) -> None:
    """Remove an announced, not yet effective version of kind (the demo data schedules a terms change).

    A text allows one pending change at a time, and this flow schedules its own.
    """
    with app.app_context():
        db.session.execute(
            delete(PolicyVersion).where(
                PolicyVersion.kind == kind,
                PolicyVersion.announced_at.is_not(None),
                PolicyVersion.effective_on > seoul_today(),
            )
        )
        db.session.commit()


def forget_version(app, kind: str, version: str) -> None:
    """Remove what the test announced, so the other browser tests see no banner."""
    with app.app_context():
        db.session.execute(
            delete(PolicyVersion).where(PolicyVersion.kind == kind, PolicyVersion.version == version)
        )
        db.session.commit()


def open_mail(page, base: str, app, recipient: str, lang: str) -> None:
    """Open the recipient's policy_change e-mail from the development outbox page."""
    with app.app_context():
        message_id = db.session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.recipient == recipient, OutboxMessage.template == "policy_change"
            )
        )
    assert message_id is not None, f"no policy_change e-mail for {recipient}"
    app.config["DEBUG"] = True  # the outbox pages exist in development only
    try:
        page.goto(f"{base}/{lang}/dev/outbox")
        row = page.locator("tr").filter(has_text=recipient).filter(has_text="policy_change")
        expect(row).to_have_count(1)
        row.get_by_role("link", name=str(message_id), exact=True).click()
        expect(page).to_have_url(re.compile(rf"/{lang}/dev/outbox/{message_id}$"))
        page.wait_for_load_state()
    finally:
        app.config["DEBUG"] = False


def test_the_officer_schedules_an_important_change_and_a_member_is_told_in_korean(
    live_server, open_page, screenshot
):
    """Draft, preview, schedule 30 days ahead; the member sees the banner, the comparison and the e-mail."""
    base, app = live_server["url"], live_server["app"]
    tag = uuid.uuid4().hex[:8]
    officer_email, member_email = f"policy.officer.{tag}@example.com", f"policy.member.{tag}@example.com"
    make_member(app, officer_email, "정책 시험 책임자", staff_role="privacy_officer")
    make_member(app, member_email, "정책 시험 회원")
    forget_pending(app, "privacy")
    new_line = f"제20조(촬영 위치 정보) 회사는 촬영 장소 추천을 위하여 위치 정보를 추가로 처리합니다. {tag}"
    effective = seoul_today() + timedelta(days=30)
    page = open_page("ko-KR")
    version = None
    try:
        # 1. The officer drafts an important change to the privacy policy, starting from the text in force.
        sign_in(page, base, officer_email)
        page.goto(base + "/ko/office/policies/")
        expect(page.get_by_role("heading", name="처리방침·약관 버전", level=1)).to_be_visible()
        page.get_by_role("link", name="새 개인정보 처리방침 초안 쓰기").click()
        version = page.get_by_label("버전 번호", exact=True).input_value()
        assert re.fullmatch(r"\d+\.\d+", version)
        body = page.get_by_label("전문(한국어)", exact=True)
        assert "개인정보의 처리 목적" in body.input_value()
        page.get_by_label(re.compile("^중요한 변경")).check()
        page.get_by_label("변경 내용 요약(한국어)", exact=True).fill("촬영 위치 정보를 새로 처리합니다.")
        page.get_by_label("변경 내용 요약(영어)", exact=True).fill("We start processing shoot locations.")
        body.fill(body.input_value() + "\n" + new_line)
        english = page.get_by_label("전문(영어)", exact=True)
        english.fill(english.input_value() + "\nArticle 20 (Shoot locations) We also process location data.")
        page.get_by_role("button", name="초안 저장").click()
        expect(page.locator(".flashes")).to_contain_text("초안을 저장했습니다")
        expect(page.locator(".draft-preview ins").filter(has_text=new_line)).to_have_count(1)
        page.goto(page.url)  # a fresh load before the screenshot
        screenshot(page, "policy-draft-ko")

        # 2. Too short a notice is refused, naming the earliest date; 30 days ahead is accepted.
        earliest = format_date(effective, "long", locale="ko")
        page.get_by_label("시행일", exact=True).fill((effective - timedelta(days=1)).isoformat())
        page.get_by_label(re.compile("^두 언어의 전문을 모두 확인했습니다")).check()
        page.get_by_role("button", name="이 버전 공지하기").click()
        expect(page.locator(".draft-schedule")).to_contain_text(f"가장 빠른 시행일은 {earliest}입니다")
        page.get_by_label("시행일", exact=True).fill(effective.isoformat())
        page.get_by_label(re.compile("^두 언어의 전문을 모두 확인했습니다")).check()
        page.get_by_role("button", name="이 버전 공지하기").click()
        expect(page.locator(".flashes")).to_contain_text("모든 회원에게 이메일을 보내고 있습니다")
        expect(page.locator(".scheduled-version").filter(has_text=version).first).to_be_visible()
        sign_out(page)

        # 3. The member sees the banner on every page, reads what changes, and has the e-mail.
        sign_in(page, base, member_email)
        banner = page.locator(".policy-banner")
        for path in ("/ko/", "/ko/boards/", "/ko/me/", "/ko/photographers/"):
            page.goto(base + path)
            expect(banner).to_contain_text(f"{earliest}부터 개인정보 처리방침이 바뀝니다.")
        page.goto(base + "/ko/")
        screenshot(page, "policy-banner-ko")
        # The demo's terms change may share the banner: follow this version's own links.
        banner.locator(f'a[href="/ko/privacy/{version}/changes"]').click()
        expect(page).to_have_url(base + f"/ko/privacy/{version}/changes")
        expect(page.locator(".written")).to_contain_text("촬영 위치 정보를 새로 처리합니다.")
        expect(page.locator("ins").filter(has_text=new_line)).to_have_count(1)
        screenshot(page, "policy-changes-ko")
        page.goto(base + "/ko/")
        banner.locator(f'a[href="/ko/privacy/{version}"]').click()
        expect(page).to_have_url(base + f"/ko/privacy/{version}")
        expect(page.locator(".legal-text")).to_contain_text(new_line)
        expect(page.locator(".version-meta")).to_contain_text("공고 중(시행 전)")

        open_mail(page, base, app, member_email, "ko")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "USNAPER 개인정보 처리방침·이용약관 중요 변경 안내"
        )
        mail = page.locator(".mail-text")
        expect(mail).to_contain_text(f"{earliest}부터 시행됩니다")
        expect(mail).to_contain_text("촬영 위치 정보를 새로 처리합니다.")
        expect(mail).to_contain_text(f"/ko/privacy/{version}/changes")
        expect(mail).to_contain_text("회원 탈퇴로 거부하실 수 있습니다")
        screenshot(page, "policy-mail-ko")
        with app.app_context():
            officer_mailed = db.session.scalar(
                select(OutboxMessage.id).where(
                    OutboxMessage.recipient == officer_email, OutboxMessage.template == "policy_change"
                )
            )
            assert officer_mailed is not None  # every active member, staff included
    finally:
        if version:
            forget_version(app, "privacy", version)


def test_the_same_flow_in_english_for_the_terms(live_server, open_page):
    """An English-speaking officer and member: the terms change, the banner and the e-mail in English."""
    base, app = live_server["url"], live_server["app"]
    tag = uuid.uuid4().hex[:8]
    officer_email, member_email = f"terms.officer.{tag}@example.com", f"terms.member.{tag}@example.com"
    make_member(app, officer_email, "Terms Officer", language="en", staff_role="privacy_officer")
    make_member(app, member_email, "Terms Member", language="en")
    forget_pending(app, "terms")
    effective = seoul_today() + timedelta(days=30)
    page = open_page("en-US")
    version = None
    try:
        sign_in(page, base, officer_email, "Sign out")
        page.goto(base + "/en/office/policies/")
        page.get_by_role("link", name="Draft new terms of service").click()
        version = page.get_by_label("Version number", exact=True).input_value()
        page.get_by_label(re.compile("^Important change")).check()
        page.get_by_label("Summary of the changes, in Korean", exact=True).fill("환불 규정을 바꿉니다.")
        page.get_by_label("Summary of the changes, in English", exact=True).fill("The refund rules change.")
        english = page.get_by_label("Full text, in English", exact=True)
        english.fill(english.input_value() + f"\nArticle 30 (Refunds) New refund rules {tag}.")
        page.get_by_role("button", name="Save the draft").click()
        expect(page.locator(".flashes")).to_contain_text("The draft is saved")
        page.get_by_label("Effective date", exact=True).fill(effective.isoformat())
        page.get_by_label(re.compile("^I have checked both texts")).check()
        page.get_by_role("button", name="Announce this version").click()
        expect(page.locator(".flashes")).to_contain_text("every member is being e-mailed")
        sign_out(page, "Sign out", "Sign in")

        sign_in(page, base, member_email, "Sign out")
        page.goto(base + "/en/boards/")
        day = format_date(effective, "long", locale="en")
        expect(page.locator(".policy-banner")).to_contain_text(f"The terms of service change on {day}.")
        page.locator(".policy-banner").get_by_role("link", name="See what changes").click()
        expect(page.locator("ins").filter(has_text=f"New refund rules {tag}.")).to_have_count(1)

        open_mail(page, base, app, member_email, "en")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Notice of an important change to the USNAPER privacy policy or terms"
        )
        expect(page.locator(".mail-text")).to_contain_text("We are changing our terms of service.")
        expect(page.locator(".mail-text")).to_contain_text("The refund rules change.")
        with app.app_context():
            assert db.session.scalar(select(Member.language).where(Member.email == member_email)) == "en"
    finally:
        if version:
            forget_version(app, "terms", version)
