"""A person's first visit: Korean by default, switch languages, read the policy and an old version."""

from datetime import timedelta

from extensions import db
from models import PolicyVersion
from services.clock import now_utc, seoul_today


def add_newer_privacy_version(app) -> None:
    """Make 1.0 an earlier version by adding a test-only 9.9 in force since yesterday."""
    with app.app_context():
        if db.session.query(PolicyVersion).filter_by(kind="privacy", version="9.9").first():
            return
        today = seoul_today()
        db.session.add(
            PolicyVersion(
                kind="privacy",
                version="9.9",
                enacted_on=today - timedelta(days=10),
                effective_on=today - timedelta(days=1),
                summary_ko="시험용 개정",
                summary_en="Test revision",
                announced_at=now_utc() - timedelta(days=10),
            )
        )
        db.session.commit()


def test_first_visit_switch_language_and_read_policies(live_server, open_page, screenshot):
    add_newer_privacy_version(live_server["app"])
    base = live_server["url"]
    page = open_page("ko-KR")

    page.goto(base + "/")
    assert page.url == base + "/ko/"
    assert page.locator("html").get_attribute("lang") == "ko"
    assert page.get_by_role("heading", level=1).inner_text() == "우리 지역 사진작가를 찾아 촬영을 예약하세요"
    screenshot(page, "home-ko")

    page.get_by_role("link", name="English").click()
    assert page.url == base + "/en/"
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "home-en")

    page.locator("footer").get_by_role("link", name="Privacy policy", exact=True).click()
    assert page.url == base + "/en/privacy"
    assert page.locator("#retention-table tbody tr").count() == 8
    assert "5 years" in page.locator("#retention-table").inner_text()

    page.get_by_role("link", name="한국어").click()
    assert page.url == base + "/ko/privacy"
    assert "5년" in page.locator("#retention-table").inner_text()
    screenshot(page, "privacy-ko")

    page.get_by_role("link", name="전체 버전 보기").click()
    assert page.url == base + "/ko/privacy/history"
    page.get_by_role("link", name="1.0", exact=True).click()
    assert page.url == base + "/ko/privacy/1.0"
    assert "이 문서는 현재 시행 중인 버전이 아닙니다." in page.inner_text("main")
    assert page.locator("#retention-table").is_visible()
    screenshot(page, "privacy-1.0-ko")

    # The explicit choice (Korean) is remembered over the browser's language next time.
    page.goto(base + "/")
    assert page.url == base + "/ko/"


def test_english_browser_lands_on_english(live_server, open_page):
    page = open_page("en-US")
    page.goto(live_server["url"] + "/")
    assert page.url.endswith("/en/")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Find a photographer in your region and book a shoot"
    )


def test_narrow_phone_screen_has_no_horizontal_scroll(live_server, open_page, screenshot):
    page = open_page("ko-KR", viewport={"width": 360, "height": 740})
    for path in ("/ko/", "/ko/privacy", "/ko/terms"):
        page.goto(live_server["url"] + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, path
    screenshot(page, "terms-ko-360")


def test_keyboard_users_see_focus_and_can_skip(live_server, open_page):
    page = open_page("ko-KR")
    page.goto(live_server["url"] + "/ko/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "본문 바로가기"
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineColor, s.boxShadow]; })()"
    )
    # A dark ring (3:1 or better against the light page) with a yellow halo.
    assert style[0] == "solid" and style[1] == "rgb(27, 31, 36)" and "242, 183, 5" in style[2]
