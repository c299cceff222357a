"""A person joining in Korean, verifying, signing in and out; a 13-year-old's refused attempt."""

from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models import Member, OutboxMessage
from services.clock import seoul_today


def fill_signup(page, email: str, birth: str) -> None:
    page.get_by_label("이메일", exact=True).fill(email)
    page.get_by_label("비밀번호", exact=True).fill("브라우저로 가입하는 긴 비밀번호")
    page.get_by_label("비밀번호 확인").fill("브라우저로 가입하는 긴 비밀번호")
    page.get_by_label("이름", exact=True).fill("브라우저 회원")
    page.get_by_label("생년월일").fill(birth)
    page.get_by_label("필수 개인정보의 수집·이용에 동의합니다 (필수)").check()
    page.get_by_label("이용약관에 동의합니다 (필수)").check()


def test_join_verify_sign_in_and_out_in_korean(live_server, open_page, screenshot):
    base, app = live_server["url"], live_server["app"]
    page = open_page("ko-KR")
    page.goto(base + "/ko/")
    page.get_by_role("link", name="회원가입").click()
    fill_signup(page, "browser.member@example.com", "1995-04-01")
    screenshot(page, "signup-ko")
    page.get_by_role("button", name="회원가입").click()
    assert page.url == base + "/ko/signup/sent"
    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == "browser.member@example.com")
        ).one()
        token = message.context["token"]
    page.goto(f"{base}/ko/verify/{token}")
    assert (
        "이메일 주소가 확인되었습니다" in page.inner_text("main")
        or "이메일 주소가 확인되었습니다" in page.content()
    )
    page.get_by_label("이메일", exact=True).fill("browser.member@example.com")
    page.get_by_label("비밀번호", exact=True).fill("브라우저로 가입하는 긴 비밀번호")
    page.get_by_role("button", name="로그인").click()
    assert page.url == base + "/ko/"
    assert page.get_by_text("브라우저 회원").is_visible()
    screenshot(page, "signed-in-ko")
    page.get_by_role("button", name="로그아웃").click()
    assert page.get_by_role("link", name="로그인").is_visible()


def test_a_13_year_old_is_refused_and_nothing_is_kept(live_server, open_page, screenshot):
    base, app = live_server["url"], live_server["app"]
    page = open_page("ko-KR")
    page.goto(base + "/ko/signup")
    birth = (seoul_today().replace(year=seoul_today().year - 14) + timedelta(days=1)).isoformat()
    fill_signup(page, "too.young@example.com", birth)
    page.get_by_role("button", name="회원가입").click()
    assert "만 14세 이상만 가입할 수 있습니다" in page.inner_text("main")
    screenshot(page, "signup-under-14-ko")
    with app.app_context():
        assert db.session.scalar(select(Member).where(Member.email_key == "too.young@example.com")) is None
        assert not db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == "too.young@example.com")
        ).all()


def test_my_info_edit_export_and_withdraw_in_korean(live_server, open_page, screenshot):
    import json

    from services.members import SignupRequest, sign_up

    base, app = live_server["url"], live_server["app"]
    with app.app_context():
        member = sign_up(
            SignupRequest(
                email="my.info@example.com",
                password="브라우저로 가입하는 긴 비밀번호",
                name="내정보 회원",
                birth_date=seoul_today().replace(year=1990),
                language="ko",
                consents={"privacy_notice": True, "terms": True, "optional_profile": True},
            )
        )
        member.status = "active"
        db.session.commit()
    page = open_page("ko-KR")
    page.goto(base + "/ko/signin")
    page.get_by_label("이메일", exact=True).fill("my.info@example.com")
    page.get_by_label("비밀번호", exact=True).fill("브라우저로 가입하는 긴 비밀번호")
    page.get_by_role("button", name="로그인").click()
    page.get_by_role("link", name="내정보 회원 · 내 정보").click()
    assert page.url == base + "/ko/me/"

    page.get_by_role("link", name="내 정보 고치기").click()
    page.get_by_label("이름", exact=True).fill("고친 이름")
    page.get_by_label("선호 지역").select_option("jeju")
    page.get_by_role("button", name="저장").click()
    assert "고친 이름" in page.inner_text("main") and "제주" in page.inner_text("main")
    screenshot(page, "my-info-ko")

    with page.expect_download() as download:
        page.get_by_role("link", name="내 정보 내려받기 (JSON)").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert exported["profile"]["name"] == "고친 이름" and exported["profile"]["preferred_region"] == "jeju"

    page.get_by_role("link", name="회원 탈퇴하기").click()
    page.get_by_label("비밀번호", exact=True).fill("브라우저로 가입하는 긴 비밀번호")
    page.get_by_label("계정과 함께 삭제합니다").check()
    page.get_by_label("개인정보가 즉시 삭제되며 되살릴 수 없다는 것을 이해했습니다").check()
    page.get_by_role("button", name="내 계정 삭제하기").click()
    assert page.url == base + "/ko/"
    assert "탈퇴하셨습니다" in page.inner_text("body")
    with app.app_context():
        assert db.session.scalar(select(Member).where(Member.email_key == "my.info@example.com")) is None
