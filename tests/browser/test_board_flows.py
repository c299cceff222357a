"""The boards in a browser: members report a spam post until it hides, a moderator deletes it,
suspends its author and masks a name in another post; a member writes a post in English.

Each test makes its own members and posts through the real services, so it shares the
session's live server with the other browser tests without stepping on their data.

Screenshots are taken on freshly loaded pages, never after a field has scrolled the page:
with Debian's Chromium a full-page screenshot of a scrolled page throws the next click off
its target (mousedown on the button, mouseup elsewhere, so the form is never sent).
"""

from datetime import timedelta

from playwright.sync_api import expect

from extensions import db
from models.board import Post
from models.member import Member
from services.boards import board_by_slug
from services.clock import now_utc
from services.posts import create_post
from tests.browser.accounts import active_member, pass_two_step

PASSWORD = "게시판 시험용 아주 긴 비밀번호"
MODERATOR = ("moderator@usnaper.example", "demo-moderator-password")


def make_member(app, email: str, name: str, language: str = "ko") -> int:
    """An active member who joined 60 days ago (old enough for the new-account spam rule)."""
    return active_member(app, email, name, PASSWORD, language=language)


def make_post(app, author_id: int, title: str, body: str, slug: str = "free") -> int:
    """A post written through the posting service; it must come out published."""
    with app.app_context():
        post = create_post(db.session.get(Member, author_id), board_by_slug(slug), title, body)
        assert post.status == "published", post.status_reason
        return post.id


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the Korean form."""
    page.goto(base + "/ko/signin")
    page.get_by_label("이메일", exact=True).fill(email)
    page.get_by_label("비밀번호", exact=True).fill(password)
    page.get_by_role("button", name="로그인").click()
    pass_two_step(page, email)
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()


def sign_out(page) -> None:
    """Sign out with the header's button."""
    page.get_by_role("button", name="로그아웃").click()
    expect(page.get_by_role("link", name="로그인")).to_be_visible()


def form_with(page, button: str):
    """The form holding the submit button with this exact name (the moderation page has several)."""
    return page.locator("form").filter(has=page.get_by_role("button", name=button, exact=True))


def test_reports_hide_spam_then_the_moderator_deletes_it_and_suspends_the_author(
    live_server, open_page, screenshot
):
    """Three reports hide a spam post; the moderator deletes it and suspends its author for 30 days."""
    base, app = live_server["url"], live_server["app"]
    spammer = make_member(app, "boards.spammer@example.com", "게시판 광고꾼")
    for n in (1, 2, 3):
        make_member(app, f"boards.reporter{n}@example.com", f"신고 회원 {n}")
    title = "행운의 편지: 이 글을 열 명에게 보내세요"
    spam_id = make_post(
        app,
        spammer,
        title,
        "이 글을 읽은 분은 일주일 안에 열 명에게 똑같이 보내야 행운이 찾아옵니다.\n"
        "최저가 촬영 패키지는 https://lucky.example/deal 에서 확인하세요.",
    )
    other_id = make_post(
        app, spammer, "촬영 패키지 특가 안내", "오늘만 모든 촬영 패키지를 반값에 드립니다. 연락 주세요."
    )
    page = open_page("ko-KR")
    page.goto(base + "/ko/boards/free/")
    expect(page.get_by_role("link", name=title)).to_be_visible()

    # 1. Three members report the post as spam; the third report hides it.
    for n in (1, 2, 3):
        sign_in(page, base, f"boards.reporter{n}@example.com")
        page.goto(f"{base}/ko/boards/free/{spam_id}")
        page.get_by_role("link", name="신고", exact=True).click()
        if n == 3:
            screenshot(page, "boards-report-ko")
        page.get_by_label("스팸: 행운의 편지, 광고, 다른 사이트로 유도하는 링크").check()
        page.get_by_role("button", name="신고 보내기").click()
        expect(page.locator(".flashes")).to_contain_text("신고가 운영자에게 전달되었습니다")
        sign_out(page)
    page.goto(base + "/ko/boards/free/")
    assert title not in page.inner_text("main")
    screenshot(page, "boards-hidden-by-reports-ko")
    assert page.goto(f"{base}/ko/boards/free/{spam_id}").status == 404

    # 2. The moderator finds it under "hidden by reports" and deletes it as spam.
    sign_in(page, base, *MODERATOR)
    page.get_by_role("link", name="게시판 관리").click()
    hidden = page.locator("#section-auto_hidden")
    expect(hidden.get_by_role("heading")).to_contain_text("신고로 숨겨짐")
    screenshot(page, "moderation-queue-ko")
    hidden.get_by_role("link", name=f"게시글 #{spam_id}: {title}").click()
    screenshot(page, "moderation-item-ko")
    decide = form_with(page, "삭제")
    decide.get_by_label("사유").select_option(label="스팸 또는 광고")
    decide.get_by_role("button", name="삭제", exact=True).click()
    expect(page).to_have_url(base + "/ko/moderation/")
    expect(page.locator(".flashes")).to_contain_text("삭제했습니다")

    # ... and suspends the author from another of their posts.
    page.goto(f"{base}/ko/moderation/post/{other_id}")
    suspend = form_with(page, "글쓰기 정지")
    suspend.get_by_label("글쓰기 정지 기간").select_option(label="30일")
    suspend.get_by_label("사유").select_option(label="스팸 또는 광고")
    suspend.get_by_role("button", name="글쓰기 정지", exact=True).click()
    expect(page.locator(".flashes")).to_contain_text("작성자는 당분간 글과 댓글을 쓸 수 없습니다")
    expect(page.locator("dl.facts")).to_contain_text("까지 글쓰기 정지")
    screenshot(page, "moderation-suspended-ko")
    with app.app_context():
        assert db.session.get(Post, spam_id) is None
        until = db.session.get(Member, spammer).posting_suspended_until
        assert until is not None and until > now_utc() + timedelta(days=29)
    sign_out(page)

    # The spammer can still sign in and read, but not write.
    sign_in(page, base, "boards.spammer@example.com")
    page.goto(base + "/ko/boards/free/new")
    assert "글과 댓글을 쓸 수 없습니다" in page.inner_text("main")
    screenshot(page, "boards-suspended-writer-ko")


def test_the_moderator_masks_a_name_and_republishes(live_server, open_page, screenshot):
    """A name in a post becomes ○○○ for everyone once the moderator masks it."""
    base, app = live_server["url"], live_server["app"]
    writer = make_member(app, "boards.writer@example.com", "후기 작성자")
    post_id = make_post(
        app,
        writer,
        "한강 야경 스냅 후기",
        "함께 간 홍길동 씨가 삼각대를 빌려줘서 야경이 흔들림 없이 나왔어요.",
    )
    page = open_page("ko-KR")
    sign_in(page, base, *MODERATOR)
    page.goto(f"{base}/ko/moderation/post/{post_id}")
    mask = form_with(page, "가리고 다시 게시")
    mask.get_by_label("가릴 말(한 줄에 하나, 쓰인 그대로)").fill("홍길동")
    mask.get_by_label("사유").select_option(label="다른 사람의 사생활 정보 노출")
    mask.get_by_role("button", name="가리고 다시 게시").click()
    expect(page.locator(".flashes")).to_contain_text("해당 말을 가리고 다시 게시했습니다")
    screenshot(page, "moderation-masked-ko")
    sign_out(page)

    visitor = open_page("ko-KR")
    visitor.goto(f"{base}/ko/boards/free/{post_id}")
    text = visitor.locator("article.post").inner_text()
    assert "○○○ 씨가 삼각대를" in text
    assert "다른 사람을 보호하기 위해 운영자가 이 글의 일부를 가렸습니다" in text
    assert "홍길동" not in visitor.content()
    screenshot(visitor, "boards-masked-post-ko")


def test_a_member_writes_a_post_in_english(live_server, open_page, screenshot):
    """A post written through the English form is listed, and its web address is a safe link."""
    base, app = live_server["url"], live_server["app"]
    make_member(app, "boards.english@example.com", "Board Writer", language="en")
    page = open_page("en-US")
    page.goto(base + "/en/signin")
    page.get_by_label("E-mail", exact=True).fill("boards.english@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    page.goto(base + "/en/boards/free/new")
    page.get_by_label("Title", exact=True).fill("Cherry blossoms at Yeouido")
    page.get_by_label("Text", exact=True).fill(
        "We went on a weekday morning and had the paths to ourselves.\n"
        "Our favourite frames are at https://photos.example/yeouido-spring if you want to see them."
    )
    screenshot(page, "boards-new-post-en")
    page.get_by_role("button", name="Post", exact=True).click()
    link = page.locator(".written a")
    expect(link).to_have_text("https://photos.example/yeouido-spring")
    assert link.get_attribute("href") == "https://photos.example/yeouido-spring"
    assert link.get_attribute("rel") == "nofollow ugc noopener"
    screenshot(page, "boards-post-en")

    page.goto(base + "/en/boards/free/")
    expect(page.get_by_role("link", name="Cherry blossoms at Yeouido")).to_be_visible()


def test_in_english_a_member_claims_defamation_the_author_objects_and_the_moderator_restores(
    live_server, open_page, screenshot
):
    """The temporary measure end to end in English: blinded at once, objection, restored."""
    base, app = live_server["url"], live_server["app"]
    author = make_member(app, "boards.en.author@example.com", "Author EN", language="en")
    make_member(app, "boards.en.claimant@example.com", "Claimant EN", language="en")
    title = "What really happened at the studio"
    post_id = make_post(app, author, title, "A long story about a shoot that went wrong, told as I saw it.")
    page = open_page("en-US")

    def sign_in_en(email: str, password: str = PASSWORD) -> None:
        page.goto(base + "/en/signin")
        page.get_by_label("E-mail", exact=True).fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        pass_two_step(page, email)
        page.goto(base + "/en/boards/")  # signing in lands in the member's own language
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    sign_in_en("boards.en.claimant@example.com")
    page.goto(f"{base}/en/boards/free/{post_id}")
    page.get_by_role("link", name="Report", exact=True).click()
    page.get_by_label("False information or defamation of me").check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator(".flashes")).to_contain_text("Your report is with the moderators")
    page.goto(f"{base}/en/boards/free/{post_id}")
    expect(page.locator("h1")).to_have_text("Temporarily blinded post")
    screenshot(page, "boards-blinded-en")
    page.get_by_role("button", name="Sign out").click()

    sign_in_en("boards.en.author@example.com")
    page.goto(f"{base}/en/boards/free/{post_id}")
    page.get_by_label("Why the post should be shown again").fill("Everything in it is what I saw myself.")
    page.get_by_role("button", name="Object to the measure").click()
    expect(page.locator(".flashes")).to_contain_text("Your objection is with the moderators")
    page.get_by_role("button", name="Sign out").click()

    sign_in_en(*MODERATOR)
    page.get_by_role("link", name="Moderation").click()
    objections = page.locator("#section-objections")
    expect(objections).to_contain_text(title)
    screenshot(page, "moderation-queue-en")
    objections.get_by_role("link", name=f"Post #{post_id}: {title}").click()
    expect(page.locator(".measure")).to_contain_text("Everything in it is what I saw myself.")
    page.get_by_label("Reason", exact=True).first.select_option("other")
    page.get_by_role("button", name="Restore", exact=True).click()
    expect(page.locator(".flashes")).to_contain_text("Shown again")
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{base}/en/boards/free/{post_id}")
    expect(page.locator("h1")).to_have_text(title)
