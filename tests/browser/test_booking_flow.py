"""A booking in a browser, in Korean: a photographer fills in a profile and uploads a photo, a
customer requests a shoot and asks them, the photographer accepts with a price, the customer
confirms, and only then does each side see the other's name and contact details.

The test makes its own two members through the real services, with unique addresses, so it
shares the session's live server (and its demo photographers) with the other browser tests.

As in test_board_flows.py, screenshots are taken on freshly loaded pages only: with Debian's
Chromium a full-page screenshot of a scrolled page throws the next click off its target.
"""

import io
import re
import uuid
from datetime import timedelta

from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import select

from extensions import db
from models.member import Member
from models.shoot import ContactProvision
from services.clock import seoul_today
from tests.browser.accounts import active_member, pass_two_step

PASSWORD = "예약 흐름 시험용 아주 긴 비밀번호"
CUSTOMER_PHONE = "010-2468-1357"
GPS_IFD = 0x8825


def make_member(app, email: str, name: str, phone: str | None = None) -> int:
    """An active Korean-speaking member; with a phone, it is kept under the optional-profile consent."""
    return active_member(app, email, name, PASSWORD, phone=phone)


def jpeg_with_gps() -> bytes:
    """A JPEG carrying GPS coordinates (Jeju) and a camera model, as a phone would write it."""
    image = Image.new("RGB", (480, 320), (40, 110, 160))
    image.paste((230, 170, 60), (0, 200, 480, 320))
    exif = Image.Exif()
    exif[0x0110] = "Secret Camera 3000"  # Model
    exif[GPS_IFD] = {1: "N", 2: (33.0, 27.0, 0.0), 3: "E", 4: (126.0, 34.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def sign_in(page, base: str, email: str) -> None:
    """Sign in through the Korean form."""
    page.goto(base + "/ko/signin")
    page.get_by_label("이메일", exact=True).fill(email)
    page.get_by_label("비밀번호", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    pass_two_step(page, email)
    expect(page.get_by_role("button", name="로그아웃")).to_be_visible()


def sign_out(page) -> None:
    """Sign out with the header's button."""
    page.get_by_role("button", name="로그아웃").click()
    expect(page.get_by_role("link", name="로그인")).to_be_visible()


def test_a_customer_books_a_photographer_and_contacts_cross_only_on_confirmation(
    live_server, open_page, screenshot
):
    """Profile and photo, request and ask, accept with a price, confirm: then the contacts are shown."""
    base, app = live_server["url"], live_server["app"]
    tag = uuid.uuid4().hex[:8]
    photographer_email = f"booking.photographer.{tag}@example.com"
    customer_email = f"booking.customer.{tag}@example.com"
    photographer_name, customer_name = "예약 시험 작가", "예약 시험 고객"
    display_name = f"시험용 제주 웨딩 스냅 {tag}"
    make_member(app, photographer_email, photographer_name)
    make_member(app, customer_email, customer_name, phone=CUSTOMER_PHONE)
    shoot_day = seoul_today() + timedelta(days=30)
    page = open_page("ko-KR")

    # 1. The photographer fills in a profile, then uploads a photo that carries GPS data.
    sign_in(page, base, photographer_email)
    page.goto(base + "/ko/photographers/me")
    page.get_by_label("활동명", exact=True).fill(display_name)
    page.get_by_label("시작 가격(원)", exact=True).fill("150000")
    page.get_by_role("group", name="활동 지역").get_by_label("제주", exact=True).check()
    page.get_by_role("group", name="촬영 종류").get_by_label("웨딩", exact=True).check()
    page.get_by_role("button", name="저장", exact=True).click()
    expect(page.locator(".flashes")).to_contain_text("사진작가 프로필을 저장했습니다")
    page.get_by_label("사진(JPEG, PNG, WebP)", exact=True).set_input_files(
        files=[{"name": "jeju.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}]
    )
    page.get_by_role("button", name="사진 올리기").click()
    expect(page.locator(".flashes")).to_contain_text("사진을 올렸습니다")
    thumbnail = page.get_by_role("img", name="포트폴리오 사진 1")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("img => img.complete && img.naturalWidth > 0")
    served = page.request.get(base + thumbnail.get_attribute("src"))
    assert served.ok and served.headers["content-type"] == "image/jpeg"
    assert b"Exif" not in served.body() and b"Secret Camera" not in served.body()
    page.goto(base + "/ko/photographers/me")  # the upload lands scrolled to #portfolio
    expect(page.get_by_label("활동명", exact=True)).to_have_value(display_name)
    expect(page.get_by_role("img", name="포트폴리오 사진 1")).to_be_visible()
    screenshot(page, "booking-photographer-profile-ko")
    sign_out(page)

    # 2. The customer requests a wedding shoot in Jeju and asks the photographer.
    sign_in(page, base, customer_email)
    page.goto(base + "/ko/requests/new")
    expect(page.get_by_role("heading", name="촬영 요청하기")).to_be_visible()
    page.get_by_label("지역", exact=True).select_option(label="제주")
    page.get_by_label("촬영 날짜", exact=True).fill(shoot_day.isoformat())
    page.get_by_label("시간대", exact=True).select_option(label="오전")
    page.get_by_label("촬영 종류", exact=True).select_option(label="웨딩")
    page.get_by_label("인원", exact=True).fill("2")
    page.get_by_label("예산(원)", exact=True).fill("200000")
    page.get_by_role("button", name="사진작가 찾기").click()
    expect(page).to_have_url(re.compile(r"/ko/requests/\d+$"))
    request_url = page.url
    match = page.locator("li.match").filter(has=page.get_by_label(display_name, exact=True))
    expect(match.locator(".reasons")).to_contain_text("제주에서 활동")
    expect(match.locator(".reasons")).to_contain_text("웨딩")
    expect(match.locator(".reasons")).to_contain_text("예산 안")
    expect(match).to_contain_text("150,000")
    screenshot(page, "booking-request-matches-ko")
    match.get_by_label(display_name, exact=True).check()
    page.get_by_role("button", name="고른 사진작가에게 요청하기").click()
    expect(page.locator(".flashes")).to_contain_text("사진작가 1명에게 요청했습니다")
    expect(page.locator("ul.asks")).to_contain_text(display_name)
    sign_out(page)

    # 3. The photographer accepts for 180,000 won, consenting to give their contacts on confirmation.
    photographer_pages = []
    sign_in(page, base, photographer_email)
    page.goto(base + "/ko/asks/")
    expect(page.get_by_role("heading", name="받은 촬영 요청", level=1)).to_be_visible()
    photographer_pages.append(page.content())
    ask = page.locator("article.ask").first
    expect(ask).to_contain_text("제주")
    expect(ask).to_contain_text("웨딩")
    ask.get_by_label("수락", exact=True).check()
    ask.get_by_label("제안 가격(원, 시작 가격과 다를 때)", exact=True).fill("180000")
    ask.get_by_label(re.compile(r"^고객이 확정하면")).check()
    ask.get_by_role("button", name="답 보내기").click()
    expect(page.locator(".flashes")).to_contain_text("답을 고객에게 보냈습니다")
    expect(page.locator("article.ask").first).to_contain_text("180,000원에 수락")
    photographer_pages.append(page.content())
    screenshot(page, "booking-ask-accepted-ko")
    sign_out(page)

    # Until the customer confirms, the photographer's pages show nothing of who the customer is.
    for html in photographer_pages:
        for secret in (customer_name, customer_email, CUSTOMER_PHONE, CUSTOMER_PHONE.replace("-", "")):
            assert secret not in html

    # 4. The customer confirms; each side now sees the other's name and contact details.
    sign_in(page, base, customer_email)
    page.goto(request_url)
    accepted = page.locator("ul.asks li.ask").filter(has_text=display_name)
    expect(accepted).to_contain_text("180,000원에 수락")
    accepted.get_by_label("이 촬영을 위해 제 이름과 연락처를 이 사진작가에게 제공하는 데 동의합니다").check()
    accepted.get_by_role("button", name="이 예약 확정하기").click()
    expect(page).to_have_url(re.compile(r"/ko/bookings/\d+$"))
    expect(page.locator(".flashes")).to_contain_text("예약되었습니다")
    booking_url = page.url
    facts = page.locator("dl.facts").first
    expect(facts).to_contain_text("180,000원")
    contacts = page.locator("dl.contacts")
    expect(contacts).to_contain_text(photographer_name)
    expect(contacts).to_contain_text(photographer_email)
    screenshot(page, "booking-confirmed-customer-ko")
    sign_out(page)

    sign_in(page, base, photographer_email)
    page.goto(booking_url)
    contacts = page.locator("dl.contacts")
    expect(contacts).to_contain_text(customer_name)
    expect(contacts).to_contain_text(CUSTOMER_PHONE)
    booking_id = int(booking_url.rsplit("/", 1)[1])
    with app.app_context():
        given = {
            db.session.get(Member, provision.owner_id).email: sorted(provision.fields)
            for provision in db.session.scalars(
                select(ContactProvision).where(ContactProvision.booking_id == booking_id)
            )
        }
    assert given == {customer_email: ["email", "name", "phone"], photographer_email: ["email", "name"]}

    # 5. The shoot's day comes; the photographer marks it done and the customer reviews it.
    with app.app_context():
        from models.shoot import Booking

        db.session.get(Booking, booking_id).shoot_date = seoul_today()
        db.session.commit()
    page.goto(booking_url)
    page.get_by_role("button", name="촬영을 마쳤습니다").click()
    expect(page.locator(".flashes")).to_contain_text("촬영을 완료로 표시했습니다")
    sign_out(page)
    sign_in(page, base, customer_email)
    page.goto(booking_url)
    page.get_by_label("별점", exact=True).select_option("5")
    page.get_by_label("후기", exact=True).fill("바람 부는 날에도 자연스럽게 찍어 주셨어요.")
    page.get_by_role("button", name="후기 올리기").click()
    expect(page.locator(".flashes")).to_contain_text("후기를 남겨 주셔서 고맙습니다")
    page.goto(booking_url)
    screenshot(page, "booking-reviewed-ko")
    page.get_by_role("link", name="내 촬영").click()
    sign_out(page)
    page.goto(base + "/ko/photographers/")
    page.get_by_text(display_name).first.click()
    expect(page.locator("main")).to_contain_text("바람 부는 날에도 자연스럽게 찍어 주셨어요.")
    expect(page.locator("main")).not_to_contain_text(customer_name)


def test_in_english_the_demo_member_confirms_the_accepted_request_and_reviews_it(
    live_server, open_page, screenshot
):
    """The demo member's accepted Jeju request, confirmed and reviewed through the English pages."""
    from services.demo_accounts import DEMO_MEMBER, DEMO_PHOTOGRAPHER

    base, app = live_server["url"], live_server["app"]
    page = open_page("en-US")
    page.goto(base + "/en/signin")
    page.get_by_label("E-mail", exact=True).fill(DEMO_MEMBER["email"])
    page.get_by_label("Password", exact=True).fill(DEMO_MEMBER["password"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)
    page.goto(base + "/en/requests/")
    page.locator("main ul").last.get_by_role("link").first.click()
    accepted = page.locator("ul.asks li.ask").first
    expect(accepted).to_contain_text("accepted for 180,000 won")
    screenshot(page, "booking-request-en")
    accepted.get_by_label(
        "I agree that my name and contact details are given to this photographer for this shoot"
    ).check()
    accepted.get_by_role("button", name="Confirm this booking").click()
    expect(page.locator(".flashes")).to_contain_text("Booked.")
    expect(page.locator("dl.contacts")).to_contain_text(DEMO_PHOTOGRAPHER["email"])
    booking_id = int(page.url.rsplit("/", 1)[1])
    with app.app_context():
        from models.shoot import Booking

        db.session.get(Booking, booking_id).shoot_date = seoul_today()
        db.session.commit()
    page.reload()
    page.get_by_role("button", name="The shoot is done").click()
    expect(page.locator(".flashes")).to_contain_text("marked as done")
    page.get_by_label("Stars", exact=True).select_option("4")
    page.get_by_label("Your review", exact=True).fill("Sunrise on the crater was worth the early start.")
    page.get_by_role("button", name="Publish my review").click()
    expect(page.locator(".flashes")).to_contain_text("Thank you for your review.")
    page.reload()
    screenshot(page, "booking-reviewed-en")
