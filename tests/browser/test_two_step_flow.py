"""Two-step sign-in in a browser: a member sets it up from the key on the page, keeps the recovery
codes, signs in with a code, sees both browsers in "Where I am signed in" and ends the other one."""

import re
import time
import uuid

import pyotp
from playwright.sync_api import expect

from tests.browser.accounts import active_member

PASSWORD = "두 단계 로그인을 시험하는 긴 비밀번호"


def sign_in_with_password(page, base: str, email: str) -> None:
    page.goto(base + "/ko/signin")
    page.get_by_label("이메일", exact=True).fill(email)
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()


def test_a_member_turns_on_two_step_and_signs_in_with_a_code(live_server, open_page, screenshot):
    app, base = live_server["app"], live_server["url"]
    email = f"two-step-{uuid.uuid4().hex[:8]}@example.com"
    active_member(app, email, "이단계", PASSWORD)
    page = open_page("ko-KR")
    sign_in_with_password(page, base, email)
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()

    page.goto(base + "/ko/me/")
    page.get_by_role("link", name="2단계 로그인").click()
    page.get_by_role("button", name="2단계 로그인 설정하기").click()
    expect(page.get_by_role("img", name="인증 앱에 등록할 QR 코드")).to_be_visible()
    screenshot(page, "two-step-set-up-ko")
    key = page.locator("code.secret-key").inner_text().replace(" ", "")
    app_on_phone = pyotp.TOTP(key)
    page.get_by_label("코드", exact=True).fill(app_on_phone.now())
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="2단계 로그인 켜기").click()
    expect(page.get_by_role("heading", name="복구 코드")).to_be_visible()
    codes = [code.inner_text() for code in page.locator("ul.recovery-codes code").all()]
    assert len(codes) == 10 and all(re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code) for code in codes)
    page.get_by_role("link", name="잘 보관했습니다").click()
    expect(page.get_by_text("2단계 로그인이 켜져 있습니다.")).to_be_visible()
    page.get_by_role("button", name="로그아웃").click()

    # Another browser: the password alone stops at the code step; a recovery code gets in.
    phone = open_page("ko-KR")
    sign_in_with_password(phone, base, email)
    expect(phone.get_by_role("heading", name="2단계 로그인")).to_be_visible()
    screenshot(phone, "two-step-code-ko")
    phone.get_by_label("코드", exact=True).fill("000000")
    phone.get_by_role("button", name="로그인").click()
    expect(phone.get_by_text("코드가 맞지 않습니다")).to_be_visible()
    phone.get_by_label("코드", exact=True).fill(codes[0])
    phone.get_by_role("button", name="로그인").click()
    expect(phone.get_by_role("button", name="로그아웃")).to_be_visible()

    # The first browser signs in with the app's next code and ends the other session.
    sign_in_with_password(page, base, email)
    page.get_by_label("코드", exact=True).fill(app_on_phone.at(int(time.time()) + 30))
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()
    page.goto(base + "/ko/me/sessions")
    expect(page.get_by_text("(지금 이 세션)")).to_be_visible()
    screenshot(page, "sessions-ko")
    page.get_by_label("다른 모든 세션").check()
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="그 세션 로그아웃").click()
    expect(page.get_by_text("다른 곳에는 로그인되어 있지 않습니다.")).to_be_visible()
    phone.goto(base + "/ko/me/")
    assert "/ko/signin" in phone.url
