"""Announced policy changes: the banner, the comparison, taking effect on the date, the members' e-mails."""

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from extensions import db
from jobs.policy_notices import resume_policy_notices, send_policy_notice
from jobs.tasks import run_daily_maintenance
from models import Member, OutboxMessage, PolicyVersion
from services import policy_drafts
from services.clock import seoul_today
from services.mail import build_message
from services.policy_drafts import DraftText
from services.policy_notices import compare_texts, html_to_text

NEW_KO = "제1조 목적\n회사는 새 목적을 위하여 처리합니다.\n<script>alert(1)</script>"
NEW_EN = "Article 1 Purpose\nWe process data for a new purpose.\n<script>alert(1)</script>"


def schedule_change(
    app, importance: str = "general", days: int = 7, kind: str = "privacy", notify=False
) -> int:
    """A drafted version 1.1 announced through the services; returns its id."""
    with app.app_context():
        row = policy_drafts.create_draft(
            1,
            kind,
            DraftText(
                version="1.1",
                importance=importance,
                summary_ko="이용 목적을 넓힙니다.",
                summary_en="We widen the purposes of use.",
                body_ko=NEW_KO,
                body_en=NEW_EN,
            ),
        )
        policy_drafts.schedule(row, seoul_today() + timedelta(days=days))
        if notify:
            send_policy_notice(row.id)
        return row.id


def fix_today(monkeypatch, day) -> None:
    """Freeze the Korean date for current versions and the banner alike."""
    monkeypatch.setattr("services.policies.seoul_today", lambda now=None: day)
    monkeypatch.setattr("services.policy_notices.seoul_today", lambda now=None: day)


PAGES = [
    "/ko/",
    "/en/",
    "/ko/boards/",
    "/en/photographers/",
    "/ko/terms",
    "/en/privacy/history",
    "/ko/signin",
]


def test_the_banner_shows_on_every_page_in_both_languages(app, client, make_member, sign_in):
    schedule_change(app)
    on = seoul_today() + timedelta(days=7)
    make_member(email="reader@example.com")
    member = sign_in("reader@example.com")
    for who, url in [(client, url) for url in PAGES] + [(member, "/ko/me/"), (member, "/en/boards/")]:
        html = who.get(url).get_data(as_text=True)
        assert 'class="policy-banner"' in html, url
        language = url.split("/")[1]
        assert f'href="/{language}/privacy/1.1"' in html and f'href="/{language}/privacy/1.1/changes"' in html
        if language == "ko":
            assert f"{on.year}년 {on.month}월 {on.day}일부터 개인정보 처리방침이 바뀝니다." in html, url
        else:
            assert "The privacy policy changes on" in html, url


def banner_queries(app, client, url: str = "/en/boards/") -> tuple[int, str]:
    """How many statements on policy_versions one page sent, and the page."""
    with app.app_context():
        engine = db.engine
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len([sql for sql in statements if "policy_versions" in sql]), response.get_data(as_text=True)


def test_the_banner_is_read_once_and_then_served_from_the_workers_copy(app, client):
    schedule_change(app)
    queries, html = banner_queries(app, client)
    assert queries == 1 and 'class="policy-banner"' in html
    queries, html = banner_queries(app, client, "/ko/")
    assert queries == 0 and 'class="policy-banner"' in html


def test_announcing_a_change_clears_the_copy_at_once(app, client):
    assert 'class="policy-banner"' not in banner_queries(app, client)[1]
    schedule_change(app)
    queries, html = banner_queries(app, client)
    assert queries == 1 and 'class="policy-banner"' in html


def test_another_workers_announcement_shows_once_the_copy_expires(app, client, monkeypatch):
    """Announced in another process, the change does not clear this worker's copy: it shows when
    the copy is POLICY_BANNER_CACHE_SECONDS old."""
    clock = {"now": 1000.0}
    monkeypatch.setattr("services.policy_notices.time.monotonic", lambda: clock["now"])
    assert 'class="policy-banner"' not in banner_queries(app, client)[1]
    monkeypatch.setattr("services.policy_drafts.forget_upcoming_changes", lambda: None)
    schedule_change(app)
    clock["now"] += app.config["POLICY_BANNER_CACHE_SECONDS"] - 1
    queries, html = banner_queries(app, client)
    assert queries == 0 and 'class="policy-banner"' not in html
    clock["now"] += 1
    queries, html = banner_queries(app, client)
    assert queries == 1 and 'class="policy-banner"' in html


def test_the_copy_is_for_one_korean_day(app, client, monkeypatch):
    schedule_change(app, days=7)
    on = seoul_today() + timedelta(days=7)
    fix_today(monkeypatch, on - timedelta(days=1))
    assert 'class="policy-banner"' in banner_queries(app, client)[1]
    fix_today(monkeypatch, on)
    queries, html = banner_queries(app, client)
    assert queries == 1 and 'class="policy-banner"' not in html


def test_a_version_takes_effect_on_its_date_and_the_banner_goes(app, client, monkeypatch):
    schedule_change(app)
    on = seoul_today() + timedelta(days=7)
    fix_today(monkeypatch, on - timedelta(days=1))
    day_before = client.get("/en/privacy").get_data(as_text=True)
    assert 'class="policy-banner"' in day_before and "We process data for a new purpose." not in day_before
    assert "<dd>1.0</dd>" in day_before
    fix_today(monkeypatch, on)
    on_the_day = client.get("/en/privacy").get_data(as_text=True)
    assert 'class="policy-banner"' not in on_the_day
    assert "We process data for a new purpose." in on_the_day
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in on_the_day and "<script>alert" not in on_the_day
    old = client.get("/en/privacy/1.0").get_data(as_text=True)
    assert "Earlier version" in old and "Why we process personal data" in old
    assert 'class="policy-banner"' not in client.get("/ko/").get_data(as_text=True)


def test_history_marks_the_upcoming_version(app, client):
    schedule_change(app)
    html = client.get("/ko/privacy/history").get_data(as_text=True)
    row = html[html.index('class="upcoming-version"') :]
    row = row[: row.index("</tr>")]
    assert "/ko/privacy/1.1" in row and "공고 중(시행 전)" in row
    assert 'href="/ko/privacy/1.1/changes"' in row and "이용 목적을 넓힙니다." in row


def test_the_comparison_shows_summary_and_escaped_line_changes(app, client):
    schedule_change(app, importance="important", days=30)
    html = client.get("/ko/privacy/1.1/changes").get_data(as_text=True)
    assert "이용 목적을 넓힙니다." in html and "중요한 변경" in html
    assert "<ins>회사는 새 목적을 위하여 처리합니다.</ins>" in html
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<del>1. 개인정보의 처리 목적</del>" in html
    assert 'style="' not in html[html.index("<main") :]
    english = client.get("/en/privacy/1.1/changes").get_data(as_text=True)
    assert "<ins>We process data for a new purpose.</ins>" in english
    assert "<del>1. Why we process personal data</del>" in english
    first = client.get("/en/privacy/1.0/changes").get_data(as_text=True)
    assert "This is the first version" in first
    assert client.get("/en/privacy/7.7/changes").status_code == 404


def test_compare_texts_keeps_context_around_each_change():
    old = "\n".join(f"line {n}" for n in range(20))
    new = old.replace("line 2\n", "line two\n").replace("line 17", "line seventeen")
    hunks = compare_texts(old, new)
    assert len(hunks) == 2
    assert [(line.op, line.text) for line in hunks[0] if line.op != "same"] == [
        ("del", "line 2"),
        ("ins", "line two"),
    ]
    assert compare_texts(old, old) == []


def test_html_to_text_keeps_blocks_and_drops_the_table_of_contents():
    html = (
        '<nav><ol><li>목차</li></ol></nav><h2 id="a">1. 제목</h2>'
        "<p>본문 <b>굵게</b>&amp;</p><ul><li>하나</li><li>둘</li></ul>"
    )
    assert html_to_text(html) == "1. 제목\n\n본문 굵게&\n\n- 하나\n- 둘"


@pytest.fixture
def members(make_member):
    """Active members in both languages, one with a frozen address, one pending and one dormant."""
    return {
        "ko1": make_member(email="ko1@example.com"),
        "ko2": make_member(email="ko2@example.com"),
        "en1": make_member(email="en1@example.com", language="en"),
        "en2": make_member(email="en2@example.com", language="en"),
        "ko3": make_member(email="ko3@example.com"),
        "frozen": make_member(email="frozen@example.com", corrections_requested=["email"]),
        "pending": make_member(email="pending@example.com", active=False),
        "dormant": make_member(email="dormant@example.com", status="dormant"),
    }


def notices(app) -> dict[str, list[str]]:
    """The policy_change e-mails queued, by recipient: their languages."""
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "policy_change"))
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(row.recipient, []).append(row.locale)
        return found


EXPECTED = {
    "ko1@example.com": ["ko"],
    "ko2@example.com": ["ko"],
    "en1@example.com": ["en"],
    "en2@example.com": ["en"],
    "ko3@example.com": ["ko"],
}


def test_an_important_change_mails_every_active_member_once(app, members):
    version_id = schedule_change(app, importance="important", days=30)
    with app.app_context():
        assert send_policy_notice(version_id) == 5
        assert send_policy_notice(version_id) == 0
        assert db.session.get(PolicyVersion, version_id).notice_finished_at is not None
        assert resume_policy_notices() == 0
        statuses = {row.status for row in db.session.scalars(select(OutboxMessage))}
    assert notices(app) == EXPECTED
    assert statuses == {"sent"}  # each batch was handed to delivery


def test_a_general_change_mails_nobody(app, members):
    version_id = schedule_change(app, importance="general", days=7)
    with app.app_context():
        assert send_policy_notice(version_id) == 0
    assert notices(app) == {}


@pytest.mark.parametrize("app_overrides", [{"FANOUT_BATCH_SIZE": 2}])
def test_an_interrupted_fan_out_resumes_without_repeats(app, members, monkeypatch):
    version_id = schedule_change(app, importance="important", days=30)
    import services.policy_notices as module

    real, calls = module.queue_email, []

    def dies_on_the_fourth(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 4:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "queue_email", dies_on_the_fourth)
    with app.app_context(), pytest.raises(RuntimeError):
        send_policy_notice(version_id)
    with app.app_context():
        db.session.rollback()
    assert notices(app) == {"ko1@example.com": ["ko"], "ko2@example.com": ["ko"]}  # the first batch only
    monkeypatch.setattr(module, "queue_email", real)
    with app.app_context():
        assert run_daily_maintenance()["policy_notice_resumed"] == 1
        assert db.session.get(PolicyVersion, version_id).notice_finished_at is not None
    assert notices(app) == EXPECTED


def test_scheduling_an_important_change_in_the_console_mails_members(app, members, board_people, sign_in):
    officer = sign_in("officer@example.com")
    with app.app_context():
        draft_id = policy_drafts.create_draft(
            board_people["officer"],
            "privacy",
            DraftText("2.0", "important", "넓힙니다.", "Widened.", NEW_KO, NEW_EN),
        ).id
    on = (seoul_today() + timedelta(days=30)).isoformat()
    response = officer.post(
        f"/ko/office/policies/{draft_id}/schedule", data={"effective_on": on, "confirm": "y"}
    )
    assert response.status_code == 302
    mailed = notices(app)
    assert mailed["en1@example.com"] == ["en"] and mailed["officer@example.com"] == ["ko"]
    assert "frozen@example.com" not in mailed and "pending@example.com" not in mailed


def test_the_notice_e_mail_in_each_language(app, members):
    version_id = schedule_change(app, importance="important", days=30, notify=True)
    on = seoul_today() + timedelta(days=30)
    with app.app_context():
        rows = {
            row.recipient: row
            for row in db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.template == "policy_change")
            )
        }
        korean, english = build_message(rows["ko1@example.com"]), build_message(rows["en1@example.com"])
        assert db.session.get(PolicyVersion, version_id).version == "1.1"
        member_ids = {row.member_id for row in rows.values()}
        assert member_ids == {db.session.scalar(select(Member.id).where(Member.email == e)) for e in rows}
    ko_text = korean.get_body(preferencelist=("plain",)).get_content()
    en_text = english.get_body(preferencelist=("plain",)).get_content()
    assert korean["Subject"] == "USNAPER 개인정보 처리방침·이용약관 중요 변경 안내"
    assert (
        f"{on.year}년 {on.month}월 {on.day}일부터 시행됩니다" in ko_text
        and "이용 목적을 넓힙니다." in ko_text
    )
    assert (
        "http://localhost/ko/privacy/1.1/changes" in ko_text and "http://localhost/ko/me/withdraw" in ko_text
    )
    assert "We widen the purposes of use." in en_text and "http://localhost/en/privacy/1.1" in en_text
    assert "withdrawing your membership" in en_text
    html = english.get_body(preferencelist=("html",)).get_content()
    assert 'href="http://localhost/en/privacy/1.1/changes"' in html


def test_a_fan_out_that_cannot_start_is_resumed_by_the_daily_run(
    app, members, board_people, sign_in, monkeypatch
):
    officer = sign_in("officer@example.com")
    with app.app_context():
        draft_id = policy_drafts.create_draft(
            board_people["officer"],
            "terms",
            DraftText("1.1", "important", "바꿉니다.", "Changed.", NEW_KO, NEW_EN),
        ).id

    def broken(version_id: int) -> int:
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr("jobs.policy_notices.send_policy_notice", broken)
    on = (seoul_today() + timedelta(days=30)).isoformat()
    response = officer.post(
        f"/en/office/policies/{draft_id}/schedule", data={"effective_on": on, "confirm": "y"}
    )
    assert response.status_code == 302
    assert notices(app) == {}
    monkeypatch.undo()
    with app.app_context():
        assert db.session.get(PolicyVersion, draft_id).announced_at is not None
        assert run_daily_maintenance()["policy_notice_resumed"] == 1
    assert notices(app)["en1@example.com"] == ["en"]


def test_html_to_text_leaves_out_generated_parts_unless_asked():
    html = (
        "<h2>5. 보유</h2><p>다음 표</p>"
        '<div data-generated="retention"><div><table>'
        "<tr><td>접속 기록</td><td>2년</td></tr></table></div></div>"
        '<ul data-generated="officer"><li>전화: 02-0000-0000</li></ul><p>끝</p>'
    )
    assert html_to_text(html) == "5. 보유\n\n다음 표\n\n끝"
    kept = html_to_text(html, keep_generated=True)
    assert "접속 기록 | 2년" in kept and "- 전화: 02-0000-0000" in kept and kept.endswith("끝")
