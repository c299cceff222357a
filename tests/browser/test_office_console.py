"""The privacy office console in a browser, in Korean and in English (SPEC §10, §13; issue 7).

1. The privacy officer opens every console page from the console home's links, each with its
   heading in the page's language and no English source text left on the Korean pages.
2. A marketing campaign: written in both languages, previewed, sent; a consenting member's e-mail
   (subject marked "(광고)" / "(AD)") is in the development outbox, and its unsubscribe link, opened
   with no sign-in, withdraws the consent in the ledger.
3. The mail dashboard: a failed message is shown with a masked address and sent again.
4. A breach notice to one member id: logged on the page and queued in the outbox.

Each test makes its own officer and members with unique addresses, so it shares the session's live
server with the other browser tests. As in test_board_flows.py, screenshots are taken on freshly
loaded pages only.
"""

import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect
from sqlalchemy import select

from extensions import db
from models import OutboxMessage
from models.consent import ConsentEvent
from models.marketing import CampaignDelivery
from services.mail import build_message
from services.outbox import queue_email
from tests.browser.accounts import active_member, pass_two_step

PASSWORD = "개인정보 보호 업무 콘솔 시험용 긴 비밀번호"
LANGUAGES = ("ko", "en")
LOCALES = {"ko": "ko-KR", "en": "en-US"}
# The words of the sign-in form and the header, per language.
WORDS = {
    "ko": {"email": "이메일", "password": "비밀번호", "sign_in": "로그인", "sign_out": "로그아웃"},
    "en": {"email": "E-mail", "password": "Password", "sign_in": "Sign in", "sign_out": "Sign out"},
}
# Each card of the console home: (screenshot name, {language: (link text, page heading)}).
CONSOLE_PAGES = [
    ("roles", {"ko": ("운영진 역할", "운영진 역할"), "en": ("Staff roles", "Staff roles")}),
    ("members", {"ko": ("회원 조회", "회원 조회"), "en": ("Member look-up", "Member look-up")}),
    ("audit", {"ko": ("개인정보 접근 기록", "개인정보 접근 기록"), "en": ("Access audit", "Access audit")}),
    (
        "review",
        {
            "ko": ("월간 점검", re.compile(r"^\S.* 월간 점검$")),
            "en": ("Monthly review", re.compile(r"^Monthly review of \S")),
        },
    ),
    (
        "complaints",
        {
            "ko": ("민원과 문의", "개인정보 문의·불만"),
            "en": ("Complaints and questions", "Privacy complaints and questions"),
        },
    ),
    ("policies", {"ko": ("방침 변경", "처리방침·약관 버전"), "en": ("Policy changes", "Policy versions")}),
    (
        "campaigns",
        {"ko": ("광고 캠페인", "광고 캠페인"), "en": ("Marketing campaigns", "Marketing campaigns")},
    ),
    (
        "retention",
        {"ko": ("보관 현황", "보관 현황"), "en": ("Retention dashboard", "Retention dashboard")},
    ),
    ("mail", {"ko": ("메일 현황", "메일 현황"), "en": ("Mail dashboard", "Mail dashboard")}),
    ("breach", {"ko": ("유출 통지", "유출 통지"), "en": ("Breach notices", "Breach notification")}),
]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
CATALOG = Path(__file__).parents[2] / "translations" / "ko" / "LC_MESSAGES" / "messages.po"


def english_leftovers() -> list[str]:
    """English source phrases of the Korean catalog (three words or more) that a Korean page must not show.

    A message with placeholders contributes each literal piece between them; messages whose Korean
    is the same as the English (names, codes) are left out.
    """
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    phrases = set()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        english = message.id[0] if isinstance(message.id, tuple) else message.id
        korean = message.string[0] if isinstance(message.string, tuple) else message.string
        if not korean or korean == english:
            continue
        for piece in re.split(r"%\(\w+\)[sd]|%[sd]", english):
            piece = piece.strip(" .,:;()…")
            if len(piece.split()) >= 3:
                phrases.add(piece)
    return sorted(phrases)


def make_member(
    app, email: str, name: str, language: str = "ko", role: str | None = None, marketing: bool = False
) -> int:
    """An active, established member through the real signup rules; optionally staff, or consenting to ads.

    A marketing member also gives the night-time consent, so a campaign reaches them at once whatever
    the time in Seoul: without it a campaign sent between 21:00 and 08:00 is held until the morning,
    and the test would depend on when it runs.
    """
    consents = ("marketing_email", "marketing_night") if marketing else ()
    return active_member(app, email, name, PASSWORD, language=language, role=role, consents=consents)


def make_officer(app, tag: str, lang: str) -> tuple[str, int]:
    """A privacy officer speaking lang; returns (address, id)."""
    email = f"console.officer.{lang}.{tag}@example.com"
    return email, make_member(app, email, "콘솔 시험 책임자", language=lang, role="privacy_officer")


def sign_in(page, base: str, email: str, lang: str) -> None:
    """Sign in through the form in lang, then open the console home."""
    words = WORDS[lang]
    page.goto(f"{base}/{lang}/signin")
    page.get_by_label(words["email"], exact=True).fill(email)
    page.get_by_label(words["password"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=words["sign_in"]).click()
    pass_two_step(page, email)
    expect(page.get_by_role("button", name=words["sign_out"])).to_be_visible()
    page.goto(f"{base}/{lang}/office/")
    heading = {"ko": "개인정보 보호 업무", "en": "Privacy office"}[lang]
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible()


def open_console_card(page, link: str) -> None:
    """Follow one card's link on the console home."""
    page.locator(".office-grid").get_by_role("link", name=link, exact=True).click()


def find_mail(app, recipient: str, template: str) -> OutboxMessage:
    """The newest outbox row of this kind for the recipient."""
    with app.app_context():
        row = db.session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient, OutboxMessage.template == template)
            .order_by(OutboxMessage.id.desc())
        )
        assert row is not None, f"no {template} e-mail for {recipient}"
        db.session.expunge(row)
        return row


def open_in_dev_outbox(page, base: str, app, row: OutboxMessage, lang: str) -> None:
    """Open one e-mail from the development outbox list, as the other browser tests do."""
    app.config["DEBUG"] = True  # the outbox pages exist in development only
    try:
        page.goto(f"{base}/{lang}/dev/outbox")
        listed = page.locator("tr").filter(has_text=row.recipient).filter(has_text=row.template)
        listed.get_by_role("link", name=str(row.id), exact=True).click()
        expect(page).to_have_url(re.compile(rf"/{lang}/dev/outbox/{row.id}$"))
        page.wait_for_load_state()
    finally:
        app.config["DEBUG"] = False


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_officer_opens_every_console_page_in_the_page_language(live_server, open_page, screenshot, lang):
    """Every card of the console home opens its page, headed in the page's language."""
    base, app = live_server["url"], live_server["app"]
    officer_email, _ = make_officer(app, uuid.uuid4().hex[:8], lang)
    leftovers = english_leftovers()
    assert len(leftovers) > 100  # the catalog was read
    page = open_page(LOCALES[lang])
    sign_in(page, base, officer_email, lang)
    screenshot(page, f"office-console-home-{lang}")
    home = page.url

    for name, texts in CONSOLE_PAGES:
        link, heading = texts[lang]
        open_console_card(page, link)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("html")).to_have_attribute("lang", re.compile(rf"^{lang}"))
        main = page.locator("main").inner_text()
        if lang == "ko":
            shown = [phrase for phrase in leftovers if phrase in main]
            assert shown == [], f"{name}: English left on the Korean page: {shown}"
        else:
            # The page's own words (headings, column names, labels, buttons) are English; data may not be.
            chrome = page.locator("main").locator("h1, h2, th, label, button, legend, .sub-nav a")
            korean = [text for text in chrome.all_inner_texts() if HANGUL.search(text)]
            assert korean == [], f"{name}: Korean words on the English page: {korean}"
        screenshot(page, f"office-console-{name}-{lang}")
        page.goto(home)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_campaign_reaches_a_consenting_member_who_unsubscribes_without_signing_in(
    live_server, open_page, screenshot, lang
):
    """Write, preview, send; the member's e-mail is marked as advertising; its link withdraws the consent."""
    base, app = live_server["url"], live_server["app"]
    tag = uuid.uuid4().hex[:8]
    officer_email, _ = make_officer(app, tag, lang)
    member_email = f"console.marketing.{lang}.{tag}@example.com"
    member_id = make_member(app, member_email, "광고 수신 회원", language=lang, marketing=True)
    subject_ko, subject_en = f"봄맞이 스냅 촬영 할인 {tag}", f"Spring snapshot discount {tag}"
    body_ko, body_en = "제주 봄 촬영을 20% 할인해 드립니다.", "Twenty percent off spring shoots in Jeju."
    ko = lang == "ko"
    page = open_page(LOCALES[lang])

    # The officer writes the campaign in both languages and checks the preview.
    sign_in(page, base, officer_email, lang)
    open_console_card(page, "광고 캠페인" if ko else "Marketing campaigns")
    page.get_by_role("link", name="새 캠페인 작성" if ko else "Write a new campaign").click()
    page.get_by_label("제목(한국어)" if ko else "Subject in Korean", exact=True).fill(subject_ko)
    page.get_by_label(
        "한국어 본문(일반 텍스트)" if ko else "Message in Korean (plain text)", exact=True
    ).fill(body_ko)
    page.get_by_label("제목(영어)" if ko else "Subject in English", exact=True).fill(subject_en)
    page.get_by_label("영어 본문(일반 텍스트)" if ko else "Message in English (plain text)", exact=True).fill(
        body_en
    )
    page.get_by_role("button", name="초안 저장" if ko else "Save the draft").click()
    expect(page.locator(".flashes")).to_contain_text(
        "초안을 저장했습니다" if ko else "The draft is saved. Check the preview before sending it."
    )
    korean_preview = page.locator(".campaign-preview[lang=ko]")
    english_preview = page.locator(".campaign-preview[lang=en]")
    expect(korean_preview).to_contain_text(f"(광고) {subject_ko}")
    expect(korean_preview.locator(".mail-text")).to_contain_text(body_ko)
    expect(english_preview).to_contain_text(f"(AD) {subject_en}")
    expect(english_preview.locator(".mail-text")).to_contain_text(body_en)
    screenshot(page, f"office-campaign-preview-{lang}")

    # It is sent after the confirmation step.
    page.get_by_role("link", name="발송…" if ko else "Send…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "캠페인을 발송할까요?" if ko else "Send the campaign?"
    )
    expect(page.locator("main")).to_contain_text(subject_ko if ko else subject_en)
    screenshot(page, f"office-campaign-confirm-{lang}")
    page.get_by_role("button", name="네, 발송합니다" if ko else "Yes, send it").click()
    expect(page.locator(".flashes")).to_contain_text("발송을 시작했습니다" if ko else "Sending has started.")

    # The member's e-mail is in the development outbox, marked as advertising in their language.
    mail = find_mail(app, member_email, "campaign")
    assert mail.locale == lang and mail.member_id == member_id
    open_in_dev_outbox(page, base, app, mail, lang)
    marked = f"(광고) {subject_ko}" if ko else f"(AD) {subject_en}"
    expect(page.get_by_role("heading", level=1)).to_have_text(marked)
    text = page.locator(".mail-text")
    expect(text).to_contain_text(body_ko if ko else body_en)
    screenshot(page, f"office-campaign-mail-{lang}")
    links = set(re.findall(r"https?://\S+/unsubscribe/\S+", text.inner_text()))
    assert len(links) == 1, links
    [link] = links
    assert urlsplit(link).path.startswith(f"/{lang}/unsubscribe/")
    assert link == mail.context["unsubscribe_url"]
    with app.app_context():
        # Sent at once, not held for the morning (the member gave the night-time consent too).
        delivery = db.session.scalar(select(CampaignDelivery).where(CampaignDelivery.member_id == member_id))
        assert delivery.status == "queued"
        assert build_message(mail)["List-Unsubscribe"] == f"<{link}>"

    # In a fresh browser with no sign-in, the link opens one button, and pressing it unsubscribes.
    # E-mail links carry the configured SERVER_NAME; the path is opened on the live server.
    visitor = open_page(LOCALES[lang])
    visitor.goto(base + urlsplit(link).path)
    unsubscribe = "광고성 이메일 수신거부" if ko else "Unsubscribe from advertising e-mail"
    expect(visitor.get_by_role("heading", level=1)).to_have_text(unsubscribe)
    expect(visitor.get_by_role("button", name=WORDS[lang]["sign_out"])).to_have_count(0)
    button = visitor.get_by_role("button", name="광고성 이메일 수신거부" if ko else "Stop advertising e-mail")
    expect(button).to_be_visible()
    screenshot(visitor, f"office-unsubscribe-{lang}")
    button.click()
    expect(visitor.get_by_role("status")).to_contain_text(
        "이제 USNAPER의 광고성 이메일을 받지 않습니다"
        if ko
        else "Done: you will no longer receive advertising e-mail from USNAPER."
    )
    screenshot(visitor, f"office-unsubscribed-{lang}")

    with app.app_context():
        latest = db.session.scalar(
            select(ConsentEvent)
            .where(ConsentEvent.member_id == member_id, ConsentEvent.item == "marketing_email")
            .order_by(ConsentEvent.id.desc())
            .limit(1)
        )
        assert (latest.granted, latest.channel) == (False, "unsubscribe_link")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_officer_retries_a_failed_message_from_the_mail_dashboard(
    live_server, open_page, screenshot, lang
):
    """A failed message is listed with a masked address; Retry sends it."""
    base, app = live_server["url"], live_server["app"]
    tag = uuid.uuid4().hex[:8]
    officer_email, _ = make_officer(app, tag, lang)
    recipient = f"mailfail.{lang}.{tag}@example.com"
    with app.app_context():
        row = queue_email(recipient, "mail_check", lang)
        # Failed in the same transaction that queues it, so delivery never claims it first.
        row.status, row.attempts, row.last_error = "failed", 6, "550 5.1.1 mailbox unavailable (test)"
        db.session.commit()
        message_id = row.id
    ko = lang == "ko"
    page = open_page(LOCALES[lang])
    sign_in(page, base, officer_email, lang)
    open_console_card(page, "메일 현황" if ko else "Mail dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("메일 현황" if ko else "Mail dashboard")
    listed = page.locator("tbody tr").filter(has=page.get_by_role("cell", name=str(message_id), exact=True))
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("m•••@example.com")
    expect(listed).to_contain_text("mailbox unavailable (test)")
    expect(page.locator("main")).not_to_contain_text(recipient)
    screenshot(page, f"office-mail-failed-{lang}")
    listed.get_by_role("button", name="다시 보내기" if ko else "Retry").click()
    expect(page.locator(".flashes")).to_contain_text(
        "메일 1건을 다시 보냅니다." if ko else "1 message(s) will be sent again."
    )
    expect(
        page.locator("tbody tr").filter(has=page.get_by_role("cell", name=str(message_id), exact=True))
    ).to_have_count(0)
    with app.app_context():
        assert db.session.get(OutboxMessage, message_id).status == "sent"
    page.goto(page.url)
    screenshot(page, f"office-mail-retried-{lang}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_officer_sends_a_breach_notice_to_one_member(live_server, open_page, screenshot, lang):
    """The notice to one member id is logged on the page and the member's e-mail is queued."""
    base, app = live_server["url"], live_server["app"]
    tag = uuid.uuid4().hex[:8]
    officer_email, officer_id = make_officer(app, tag, lang)
    member_email = f"console.breach.{lang}.{tag}@example.com"
    member_id = make_member(app, member_email, "유출 통지 대상", language=lang)
    subject_ko, subject_en = f"개인정보 유출 안내 {tag}", f"Personal data leak notice {tag}"
    body_ko = "2025년 3월 2일 회원 이메일 주소 일부가 유출되었습니다. 비밀번호를 바꿔 주세요."
    body_en = "On 2 March 2025 some members' e-mail addresses leaked. Please change your password."
    ko = lang == "ko"
    page = open_page(LOCALES[lang])
    sign_in(page, base, officer_email, lang)
    open_console_card(page, "유출 통지" if ko else "Breach notices")
    page.get_by_label("제목(한국어)" if ko else "Subject in Korean", exact=True).fill(subject_ko)
    page.get_by_label("안내문(한국어)" if ko else "Notice in Korean", exact=True).fill(body_ko)
    page.get_by_label("제목(영어)" if ko else "Subject in English", exact=True).fill(subject_en)
    page.get_by_label("안내문(영어)" if ko else "Notice in English", exact=True).fill(body_en)
    page.get_by_label("대상 회원 번호" if ko else "Affected member ids", exact=True).fill(str(member_id))
    page.get_by_label(
        "본문과 받는 사람을 확인했습니다. 지금 보냅니다."
        if ko
        else "I have checked the text and the recipients: send it now.",
        exact=True,
    ).check()
    page.get_by_role("button", name="통지 보내기" if ko else "Send the notice").click()
    expect(page.locator(".flashes")).to_contain_text(
        "유출 통지를 보내고 있습니다" if ko else "The breach notice is being sent."
    )
    logged = page.locator("tbody tr").filter(has_text=subject_ko if ko else subject_en)
    expect(logged).to_have_count(1)
    expect(logged).to_contain_text("지정한 회원 1명" if ko else "1 chosen member(s)")
    expect(logged).to_contain_text(f"#{officer_id}")
    expect(logged.locator("td").last).to_have_text("1")
    page.goto(page.url)
    screenshot(page, f"office-breach-log-{lang}")

    mail = find_mail(app, member_email, "breach_notice")
    assert (mail.locale, mail.member_id) == (lang, member_id)
    open_in_dev_outbox(page, base, app, mail, lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "USNAPER 개인정보 관련 중요 안내" if ko else "Important notice from USNAPER about your personal data"
    )
    expect(page.locator(".mail-text")).to_contain_text(body_ko if ko else body_en)
    screenshot(page, f"office-breach-mail-{lang}")
