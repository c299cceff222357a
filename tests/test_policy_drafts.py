"""Drafting and scheduling policy versions: who may, the notice periods at their boundaries, the rules."""

import re
from datetime import date, timedelta

import pytest
from babel.dates import format_date
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from blueprints.policies.converters import VersionConverter
from extensions import db
from models import ConsentEvent, Member, PolicyVersion
from services import policy_drafts
from services.clock import seoul_today
from services.policy_drafts import DraftText, PolicyDraftError
from services.policy_facts import configured_promises

TODAY = date(2025, 3, 10)


def text(version: str = "1.1", importance: str = "general", **fields) -> DraftText:
    """A complete draft text."""
    values = {
        "version": version,
        "importance": importance,
        "summary_ko": "보유 기간 표를 고쳤습니다.",
        "summary_en": "The retention table is revised.",
        "body_ko": "제1조 목적\n새 처리방침 본문입니다.",
        "body_en": "Article 1 Purpose\nThe new policy text.",
    } | fields
    return DraftText(**values)


def form(version: str = "1.1", importance: str = "general", **fields) -> dict:
    """The draft form's fields, as a browser posts them."""
    draft = text(version, importance, **fields)
    return {name: getattr(draft, name) for name in DraftText.__dataclass_fields__}


def make_draft(app, kind: str = "privacy", **fields) -> int:
    """A draft saved through the service; returns its id."""
    with app.app_context():
        return policy_drafts.create_draft(1, kind, text(**fields)).id


@pytest.fixture
def officer(board_people, sign_in):
    """A client signed in as the privacy officer."""
    return sign_in("officer@example.com")


def test_version_numbers_are_the_ones_the_public_url_accepts():
    assert VersionConverter.regex == policy_drafts.VERSION_PATTERN


@pytest.mark.parametrize("who", ["writer", "moderator"])
def test_members_and_moderators_are_refused(app, board_people, sign_in, who):
    draft_id = make_draft(app)
    client = sign_in(f"{'mod' if who == 'moderator' else who}@example.com")
    for url in ("/ko/office/policies/", "/en/office/policies/new/privacy", f"/ko/office/policies/{draft_id}"):
        assert client.get(url).status_code == 403, url
    for url in (f"/ko/office/policies/{draft_id}/schedule", f"/ko/office/policies/{draft_id}/delete"):
        assert client.post(url, data={"effective_on": "2099-01-01", "confirm": "y"}).status_code == 403
    with app.app_context():
        assert db.session.get(PolicyVersion, draft_id).announced_at is None


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/ko/office/policies/")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_a_new_draft_starts_from_the_text_in_force(officer):
    html = officer.get("/ko/office/policies/new/privacy").get_data(as_text=True)
    assert 'value="1.1"' in html
    body = html[html.index('name="body_ko"') :]
    body = body[: body.index("</textarea>")]
    assert "1. 개인정보의 처리 목적" in body and "- 회원 가입과 관리" in body
    assert "&lt;h2" not in body and "<h2" not in body  # plain text, not the template's markup
    english = html[html.index('name="body_en"') :]
    assert "1. Why we process personal data" in english[: english.index("</textarea>")]


def test_the_officer_writes_edits_and_deletes_a_draft(app, officer):
    response = officer.post("/ko/office/policies/new/terms", data=form("1.1"))
    assert response.status_code == 302
    draft_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with app.app_context():
        row = db.session.get(PolicyVersion, draft_id)
        assert (row.kind, row.version, row.announced_at, row.body_ko) == (
            "terms",
            "1.1",
            None,
            "제1조 목적\n새 처리방침 본문입니다.",
        )
    edited = form("1.2", body_en="Article 1\r\nEdited.")
    assert officer.post(f"/ko/office/policies/{draft_id}", data=edited).status_code == 302
    page = officer.get("/ko/office/policies/").get_data(as_text=True)
    assert "1.2 버전 초안" in page
    with app.app_context():
        assert db.session.get(PolicyVersion, draft_id).body_en == "Article 1\nEdited."
    assert officer.post(f"/ko/office/policies/{draft_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(PolicyVersion, draft_id) is None


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("1.0", "이미 사용한 버전 번호입니다."),
        ("0.9", "1.0보다 높은 버전 번호를 써 주세요."),
        ("v2", "버전 번호는 1.1이나 2.0처럼 숫자와 점으로 적어 주세요."),
        ("1.2.3.4", "버전 번호는 1.1이나 2.0처럼 숫자와 점으로 적어 주세요."),
    ],
)
def test_a_version_number_must_be_new_and_higher(app, officer, version, message):
    response = officer.post("/ko/office/policies/new/privacy", data=form(version))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(PolicyVersion).count() == 2


def test_empty_texts_are_refused_with_a_message(officer):
    response = officer.post("/en/office/policies/new/privacy", data=form(body_en="  "))
    assert response.status_code == 400 and "This cannot be empty." in response.get_data(as_text=True)


def test_a_later_draft_needs_a_higher_number_than_other_drafts(app):
    make_draft(app, version="1.5")
    with app.app_context(), pytest.raises(PolicyDraftError) as refused:
        policy_drafts.create_draft(1, "privacy", text("1.4"))
    assert refused.value.code == "version_not_newer" and refused.value.values == {"newest": "1.5"}


@pytest.mark.parametrize(
    ("importance", "days", "accepted"),
    [("general", 6, False), ("general", 7, True), ("important", 29, False), ("important", 30, True)],
)
def test_the_notice_period_at_its_boundaries(app, importance, days, accepted):
    draft_id = make_draft(app, importance=importance)
    with app.app_context():
        row = db.session.get(PolicyVersion, draft_id)
        on = TODAY + timedelta(days=days)
        if not accepted:
            with pytest.raises(PolicyDraftError) as refused:
                policy_drafts.schedule(row, on, today=TODAY)
            earliest = TODAY + timedelta(days=7 if importance == "general" else 30)
            assert refused.value.code == "notice_too_short"
            assert refused.value.values["earliest"] == earliest
            assert db.session.get(PolicyVersion, draft_id).announced_at is None
            return
        policy_drafts.schedule(row, on, today=TODAY)
        row = db.session.get(PolicyVersion, draft_id)
        assert (row.enacted_on, row.effective_on, row.announced_at is not None) == (TODAY, on, True)
        assert row.promises == configured_promises()


@pytest.mark.parametrize("app_overrides", [{"POLICY_NOTICE_DAYS_GENERAL": 14}])
def test_the_notice_period_is_the_configured_one(app):
    draft_id = make_draft(app)
    with app.app_context():
        row = db.session.get(PolicyVersion, draft_id)
        with pytest.raises(PolicyDraftError):
            policy_drafts.schedule(row, TODAY + timedelta(days=13), today=TODAY)
        policy_drafts.schedule(row, TODAY + timedelta(days=14), today=TODAY)


def test_a_short_notice_is_refused_naming_the_earliest_date(app, officer):
    draft_id = make_draft(app, importance="important")
    six = seoul_today() + timedelta(days=29)
    response = officer.post(
        f"/ko/office/policies/{draft_id}/schedule", data={"effective_on": six.isoformat(), "confirm": "y"}
    )
    html = response.get_data(as_text=True)
    earliest = format_date(seoul_today() + timedelta(days=30), "long", locale="ko")
    assert response.status_code == 400
    assert f"이 변경은 시행 30일 전까지 공지해야 합니다. 가장 빠른 시행일은 {earliest}입니다." in html
    english = officer.post(
        f"/en/office/policies/{draft_id}/schedule", data={"effective_on": six.isoformat(), "confirm": "y"}
    ).get_data(as_text=True)
    assert (
        "the earliest effective date is "
        + format_date(seoul_today() + timedelta(days=30), "long", locale="en")
        in english
    )
    assert officer.post(f"/ko/office/policies/{draft_id}/schedule", data={}).status_code == 400


def test_scheduling_needs_the_confirmation(app, officer):
    draft_id = make_draft(app)
    on = (seoul_today() + timedelta(days=7)).isoformat()
    response = officer.post(f"/ko/office/policies/{draft_id}/schedule", data={"effective_on": on})
    assert response.status_code == 400 and "확인란에 체크해 주세요." in response.get_data(as_text=True)
    ok = officer.post(f"/ko/office/policies/{draft_id}/schedule", data={"effective_on": on, "confirm": "y"})
    assert ok.status_code == 302
    with app.app_context():
        assert db.session.get(PolicyVersion, draft_id).announced_at is not None


def test_an_announced_version_is_never_edited_deleted_or_announced_again(app, officer):
    draft_id = make_draft(app)
    on = seoul_today() + timedelta(days=7)
    with app.app_context():
        policy_drafts.schedule(db.session.get(PolicyVersion, draft_id), on)
    page = officer.get(f"/ko/office/policies/{draft_id}", follow_redirects=True).get_data(as_text=True)
    assert "이미 공지한 버전이라 고치거나 지울 수 없습니다." in page
    assert officer.post(f"/ko/office/policies/{draft_id}", data=form("1.3")).status_code == 302
    assert officer.post(f"/ko/office/policies/{draft_id}/delete").status_code == 302
    again = {"effective_on": (on + timedelta(days=1)).isoformat(), "confirm": "y"}
    assert officer.post(f"/ko/office/policies/{draft_id}/schedule", data=again).status_code == 302
    with app.app_context():
        row = db.session.get(PolicyVersion, draft_id)
        assert (row.version, row.effective_on) == ("1.1", on)
        for step in (
            lambda: policy_drafts.update_draft(row, text("1.3")),
            lambda: policy_drafts.delete_draft(row),
            lambda: policy_drafts.schedule(row, on + timedelta(days=1)),
        ):
            with pytest.raises(PolicyDraftError) as refused:
                step()
            assert refused.value.code == "announced"


def test_only_one_change_per_text_is_pending(app):
    first, second = make_draft(app, version="1.1"), make_draft(app, version="1.2")
    other_kind = make_draft(app, kind="terms", version="1.1")
    with app.app_context():
        policy_drafts.schedule(db.session.get(PolicyVersion, first), TODAY + timedelta(days=10), today=TODAY)
        with pytest.raises(PolicyDraftError) as refused:
            policy_drafts.schedule(
                db.session.get(PolicyVersion, second), TODAY + timedelta(days=20), today=TODAY
            )
        assert refused.value.code == "pending" and refused.value.values["version"] == "1.1"
        policy_drafts.schedule(
            db.session.get(PolicyVersion, other_kind), TODAY + timedelta(days=7), today=TODAY
        )
        # Once the first has taken effect, the next may be scheduled.
        later = TODAY + timedelta(days=10)
        policy_drafts.schedule(db.session.get(PolicyVersion, second), later + timedelta(days=7), today=later)


def test_an_older_draft_cannot_follow_a_newer_announced_version(app):
    older, newer = make_draft(app, version="1.1"), make_draft(app, version="1.2")
    with app.app_context():
        policy_drafts.schedule(db.session.get(PolicyVersion, newer), TODAY + timedelta(days=7), today=TODAY)
        later = TODAY + timedelta(days=8)
        with pytest.raises(PolicyDraftError) as refused:
            policy_drafts.schedule(
                db.session.get(PolicyVersion, older), later + timedelta(days=7), today=later
            )
        assert refused.value.code == "version_not_newer"


@pytest.mark.parametrize("app_overrides", [{"POLICY_NOTICE_DAYS_GENERAL": 0}])
def test_the_effective_date_must_follow_the_current_one(app, make_policy_version):
    make_policy_version(version="1.5", enacted_on=TODAY, effective_on=TODAY)
    draft_id = make_draft(app, version="1.6")
    with app.app_context():
        with pytest.raises(PolicyDraftError) as refused:
            policy_drafts.schedule(db.session.get(PolicyVersion, draft_id), TODAY, today=TODAY)
        assert refused.value.code == "not_after_current" and refused.value.values["date"] == TODAY


def test_an_absurdly_distant_date_is_refused(app):
    draft_id = make_draft(app)
    with app.app_context(), pytest.raises(PolicyDraftError) as refused:
        policy_drafts.schedule(
            db.session.get(PolicyVersion, draft_id), TODAY + timedelta(days=366), today=TODAY
        )
    assert refused.value.code == "too_far"


def test_drafts_are_invisible_to_the_public(app, client):
    make_draft(app, version="1.1")
    assert client.get("/ko/privacy/1.1").status_code == 404
    assert client.get("/en/privacy/1.1/changes").status_code == 404
    history = client.get("/ko/privacy/history").get_data(as_text=True)
    assert "/ko/privacy/1.1" not in history
    home = client.get("/ko/").get_data(as_text=True)
    assert "policy-banner" not in home
    assert "새 처리방침 본문" not in client.get("/ko/privacy").get_data(as_text=True)


def test_odd_ids_are_not_found(officer):
    assert officer.get("/ko/office/policies/99").status_code == 404
    assert officer.get(f"/ko/office/policies/{2**40}").status_code == 404
    assert officer.post(f"/ko/office/policies/{2**40}/schedule").status_code == 404


def test_the_console_lists_drafts_scheduled_and_in_force(app, officer):
    make_draft(app, version="1.1")
    scheduled = make_draft(app, kind="terms", version="2.0", importance="important")
    on = (seoul_today() + timedelta(days=30)).isoformat()
    done = officer.post(
        f"/ko/office/policies/{scheduled}/schedule", data={"effective_on": on, "confirm": "y"}
    )
    assert done.status_code == 302
    html = officer.get("/ko/office/policies/").get_data(as_text=True)
    assert "1.1 버전 초안" in html and 'href="/ko/terms/2.0"' in html
    assert 'href="/ko/privacy/1.0"' in html and 'href="/ko/terms/2.0/changes"' in html
    assert "회원에게 이메일을 보냄" in html  # the fan-out ran in-process


def test_consents_after_the_effective_date_carry_the_new_version(app, make_member, monkeypatch):
    draft_id = make_draft(app, version="1.1")
    effective = seoul_today() + timedelta(days=7)
    with app.app_context():
        policy_drafts.schedule(db.session.get(PolicyVersion, draft_id), effective)
    before = make_member(email="before@example.com")
    monkeypatch.setattr("services.policies.seoul_today", lambda now=None: effective)
    after = make_member(email="after@example.com")
    with app.app_context():
        ledger = {
            member_id: {
                event.item: event.policy_version
                for event in db.session.query(ConsentEvent).filter(ConsentEvent.member_id == member_id)
            }
            for member_id in (before, after)
        }
        assert db.session.get(Member, after) is not None
    assert ledger[before]["privacy_notice"] == "1.0" and ledger[after]["privacy_notice"] == "1.1"
    assert ledger[after]["terms"] == "1.0"  # only the privacy policy changed


def test_the_draft_page_previews_the_changes(app, officer):
    draft_id = make_draft(app, body_ko="완전히 새로운 첫 줄\n<b>굵게</b>")
    html = officer.get(f"/ko/office/policies/{draft_id}").get_data(as_text=True)
    assert re.search(r"<ins>\s*완전히 새로운 첫 줄\s*</ins>", html)
    assert "<ins>&lt;b&gt;굵게&lt;/b&gt;</ins>" in html
    assert "<del>1. 개인정보의 처리 목적</del>" in html


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    version=st.one_of(st.text(max_size=20), st.from_regex(r"[1-9]\d{0,2}\.\d{1,3}", fullmatch=True)),
    importance=st.one_of(st.sampled_from(["general", "important"]), st.text(max_size=12)),
    body=st.text(max_size=80),
    day=st.one_of(st.text(max_size=20), st.dates().map(date.isoformat)),
)
def test_odd_input_gets_an_answer_never_a_500(app, officer, version, importance, body, day):
    data = form(version) | {"importance": importance, "body_ko": body, "summary_en": body}
    draft = officer.post("/ko/office/policies/new/privacy", data=data)
    assert draft.status_code in (302, 400)
    with app.app_context():
        draft_id = db.session.scalar(select(PolicyVersion.id).order_by(PolicyVersion.id.desc()).limit(1))
    scheduled = officer.post(
        f"/ko/office/policies/{draft_id}/schedule", data={"effective_on": day, "confirm": "y"}
    )
    assert scheduled.status_code in (302, 400)


def test_an_impossible_date_is_refused_in_korean(app, officer):
    draft_id = make_draft(app)
    response = officer.post(
        f"/ko/office/policies/{draft_id}/schedule", data={"effective_on": "2030-02-30", "confirm": "y"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Not a valid" not in html


def retention_row(html: str, key: str) -> str:
    """The retention table's row for one category, as the page renders it."""
    row = html[html.index(f'data-retention="{key}"') :]
    return row[: row.index("</tr>")]


def section(html: str, anchor: str) -> str:
    """A generated section of a drafted page, from its heading to the next heading."""
    part = html[html.index(f'id="{anchor}"') :]
    return part[: part.find("<h2", 1)]


def test_a_new_draft_leaves_out_the_generated_parts(app, officer):
    app.config.update(PRIVACY_OFFICER_PHONE="02-7777-1234", PRIVACY_OFFICER_EMAIL="dpo@office.example")
    html = officer.get("/ko/office/policies/new/privacy").get_data(as_text=True)
    bodies = {}
    for locale in ("ko", "en"):
        body = html[html.index(f'name="body_{locale}"') :]
        bodies[locale] = body[: body.index("</textarea>")]
        assert "02-7777-1234" not in bodies[locale] and "dpo@office.example" not in bodies[locale]
    assert "5. 보유 기간과 파기" in bodies["ko"] and "17. 개인정보 보호책임자" in bodies["ko"]
    assert "| 5년 |" not in bodies["ko"] and "| 2년 |" not in bodies["ko"]
    assert "5. Retention and destruction" in bodies["en"] and "| 5 years |" not in bodies["en"]


def test_a_drafted_privacy_version_shows_the_periods_its_promises_state(app, client):
    # Typed in the body, these words must not be what the table says.
    draft_id = make_draft(app, body_ko="접속 기록 | 2년\n전화: 02-0000-0000", body_en="Access log | 2 years")
    app.config["RETENTION_MONTHS"] = app.config["RETENTION_MONTHS"] | {"access_log": 30}
    with app.app_context():
        policy_drafts.schedule(db.session.get(PolicyVersion, draft_id), seoul_today() + timedelta(days=7))
    # A later change of the settings does not rewrite what the published version states.
    app.config["RETENTION_MONTHS"] = app.config["RETENTION_MONTHS"] | {"access_log": 48}
    korean = client.get("/ko/privacy/1.1").get_data(as_text=True)
    english = client.get("/en/privacy/1.1").get_data(as_text=True)
    assert korean.count('data-retention="') == 8
    assert "30개월" in retention_row(korean, "access_log") and "4년" not in korean
    assert "30 months" in retention_row(english, "access_log")
    assert "5 years" in retention_row(english, "contract")
    # The anchors other pages link to (the withdrawal page's #retention) exist on a drafted version.
    assert 'id="retention"' in korean and 'id="consignment"' in korean and 'id="officer"' in korean
    assert korean.index("접속 기록 | 2년") < korean.index('id="retention"')  # the live part follows the text


def test_a_drafted_privacy_version_shows_todays_officer_and_processors(app, client):
    draft_id = make_draft(app)
    with app.app_context():
        policy_drafts.schedule(db.session.get(PolicyVersion, draft_id), seoul_today() + timedelta(days=7))
    app.config.update(
        PRIVACY_OFFICER_NAME="새 책임자",
        PRIVACY_OFFICER_NAME_EN="New Officer",
        PRIVACY_OFFICER_PHONE="02-5555-0101",
        PRIVACY_OFFICER_EMAIL="dpo@new.example",
        PRIVACY_CONSIGNEES=[{"name": "Mail Example Co.", "task_ko": "메일 발송", "task_en": "Mail delivery"}],
    )
    korean = client.get("/ko/privacy/1.1").get_data(as_text=True)
    officer_ko = section(korean, "officer")
    assert "성명: 새 책임자" in officer_ko and "전화: 02-5555-0101" in officer_ko
    assert 'href="mailto:dpo@new.example"' in officer_ko
    assert "Mail Example Co." in section(korean, "consignment") and "메일 발송" in korean
    english = client.get("/en/privacy/1.1").get_data(as_text=True)
    assert "Name: New Officer" in section(english, "officer") and "Mail delivery" in english
    app.config["PRIVACY_CONSIGNEES"] = []
    english = client.get("/en/privacy/1.1").get_data(as_text=True)
    assert "We do not currently outsource" in section(english, "consignment")


def test_a_drafted_terms_version_has_no_privacy_sections(app, client):
    draft_id = make_draft(app, kind="terms")
    with app.app_context():
        policy_drafts.schedule(db.session.get(PolicyVersion, draft_id), seoul_today() + timedelta(days=7))
    html = client.get("/ko/terms/1.1").get_data(as_text=True)
    assert "새 처리방침 본문입니다." in html
    assert "data-retention" not in html and "data-generated" not in html


def test_the_comparison_shows_a_changed_retention_period(app, client):
    draft_id = make_draft(app)
    app.config["RETENTION_MONTHS"] = app.config["RETENTION_MONTHS"] | {"access_log": 30}
    with app.app_context():
        policy_drafts.schedule(db.session.get(PolicyVersion, draft_id), seoul_today() + timedelta(days=7))
    html = client.get("/en/privacy/1.1/changes").get_data(as_text=True)
    assert re.search(r"<del>Site visit \(access log\) records \| 2 years \|[^<]*</del>", html)
    assert re.search(r"<ins>Site visit \(access log\) records \| 30 months \|[^<]*</ins>", html)
    assert "<del>1. Why we process personal data</del>" in html
    # Today's contacts are the same on both sides: not a change.
    assert not re.search(r"<(del|ins)>[^<]*(Phone|E-mail):", html)
