"""The strict CSP in a real browser: pages keep their look with nothing refused, and the e-mail preview
shows its inline styles in a sandbox (issue 8).
"""

import re
import uuid

from playwright.sync_api import expect

from extensions import db
from services.outbox import queue_email
from tests.browser.accounts import active_member

PASSWORD = "보안 헤더 시험용으로 충분히 긴 비밀번호"
# What Chromium prints when a header refuses something or is malformed.
HEADER_COMPLAINTS = re.compile(r"Content Security Policy|Refused to|Permissions-Policy|Cross-Origin", re.I)


def watch_console(page) -> list[str]:
    """Every console message and page error the browser reports about our headers."""
    complaints = []
    page.on("console", lambda message: complaints.append(message.text))
    page.on("pageerror", lambda error: complaints.append(str(error)))
    return complaints


def test_pages_render_under_the_strict_policy_with_nothing_refused(live_server, open_page):
    """A visitor's and a member's pages load their stylesheet, and the browser refuses nothing."""
    base, app = live_server["url"], live_server["app"]
    email = f"headers.{uuid.uuid4().hex[:8]}@example.com"
    active_member(app, email, "헤더 시험 회원", PASSWORD)
    page = open_page("ko-KR")
    complaints = watch_console(page)
    for path in ("/ko/", "/ko/boards/", "/ko/photographers/", "/ko/privacy", "/ko/signin"):
        response = page.goto(base + path)
        assert response.status == 200 and "'unsafe-inline'" not in response.headers["content-security-policy"]
        # site.css applied: the stylesheet is our own file, allowed by style-src 'self'.
        font = page.evaluate("getComputedStyle(document.body).fontFamily")
        assert "Apple SD Gothic Neo" in font, path
    page.get_by_label("이메일", exact=True).fill(email)
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()  # form-action 'self' lets our own forms post
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()
    response = page.goto(base + "/ko/me/")
    assert response.status == 200 and response.headers["cache-control"] == "no-store"
    assert not [text for text in complaints if HEADER_COMPLAINTS.search(text)], complaints


def test_the_mail_preview_shows_inline_styles_in_a_sandbox(live_server, open_page):
    """The HTML part of an e-mail keeps its inline styles; the sandbox gives it an opaque origin."""
    base, app = live_server["url"], live_server["app"]
    with app.app_context():
        message_id = queue_email(f"preview.{uuid.uuid4().hex[:8]}@example.com", "mail_check", "ko").id
        db.session.commit()
    page = open_page("ko-KR")
    complaints = watch_console(page)
    app.config["DEBUG"] = True  # the outbox pages exist in development only
    try:
        page.goto(f"{base}/ko/dev/outbox/{message_id}")
        page.get_by_role("link", name="HTML 본문 열기").click()
        expect(page).to_have_url(re.compile(rf"/ko/dev/outbox/{message_id}/html$"))
        page.wait_for_load_state()
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(244, 246, 249)"
        assert page.evaluate("window.origin") == "null"  # sandboxed: not the site's origin
        assert page.get_by_role("link", name="개인정보 처리방침").is_visible()
    finally:
        app.config["DEBUG"] = False
    assert not [text for text in complaints if HEADER_COMPLAINTS.search(text)], complaints
