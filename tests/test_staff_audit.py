"""The staff access audit (SPEC §1, §13): every opening of personal data recorded, reviewed, kept 2 years."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import AuditReview, Member, StaffAccess
from services.clock import SEOUL, now_utc
from services.member_lookup import exported_categories
from services.purge import purge_expired
from services.retention_store import retain_until
from services.staff_audit import AuditError, record_access, sign_off

REASON = "회원 본인이 전화로 요청함"


def audit_rows() -> list[StaffAccess]:
    return list(db.session.scalars(select(StaffAccess).order_by(StaffAccess.id)))


@pytest.fixture
def officer(board_people, sign_in):
    """The privacy officer's signed-in client."""
    return sign_in("officer@example.com")


@pytest.fixture
def subject(make_member):
    """A member with every optional item filled in; returns its id."""
    return make_member(
        email="subject@example.com",
        name="홍길동",
        phone="010-1234-5678",
        preferred_region="jeju",
        birth_date=date(1988, 2, 29),
    )


# The member look-up and opening personal data


def test_the_look_up_shows_the_minimum_and_writes_nothing(app, officer, subject):
    found = officer.post("/ko/office/members", data={"query": "Subject@Example.com"})
    assert found.status_code == 302 and found.headers["Location"].endswith(f"/ko/office/members/{subject}")
    assert "subject" not in found.headers["Location"]  # no address in a URL (nor in logs or history)
    page = officer.get(f"/ko/office/members/{subject}")
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert f"#{subject}" in html and "활성 회원" in html and "작가 프로필 없음" in html
    for personal in ("홍길동", "subject@example.com", "010-1234-5678", "1988-02-29", "제주"):
        assert personal not in html
    by_number = officer.post("/en/office/members", data={"query": f"#{subject}"})
    assert by_number.headers["Location"].endswith(f"/en/office/members/{subject}")
    missing = officer.post("/en/office/members", data={"query": "nobody@example.com"})
    assert "No member has that e-mail address or member number." in missing.get_data(as_text=True)
    assert officer.get("/en/office/members/99999999999").status_code == 404
    assert officer.get("/en/office/members/424242").status_code == 404
    with app.app_context():
        assert audit_rows() == []


def test_opening_personal_data_writes_the_audit_row_and_shows_only_what_was_ticked(
    app, board_people, officer, subject
):
    response = officer.post(
        f"/ko/office/members/{subject}/open",
        data={"open-fields": ["name", "phone"], "open-reason": REASON},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "홍길동" in html and "010-1234-5678" in html
    assert "subject@example.com" not in html and "1988-02-29" not in html
    with app.app_context():
        [row] = audit_rows()
        assert (row.staff_id, row.subject_id, row.purpose) == (
            board_people["officer"],
            subject,
            "member_view",
        )
        assert row.fields == ["name", "phone"] and row.reason == REASON
        assert row.retain_until == retain_until("staff_access_log", row.occurred_at)
    every = officer.post(
        f"/en/office/members/{subject}/open",
        data={"open-fields": ["email", "birth_date", "preferred_region", "language"], "open-reason": REASON},
    ).get_data(as_text=True)
    assert "subject@example.com" in every and "1988-02-29" in every and "Jeju" in every
    with app.app_context():
        assert [row.fields for row in audit_rows()][1] == [
            "birth_date",
            "email",
            "language",
            "preferred_region",
        ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"open-fields": ["name"]}, "Say why you need to open this member's data (at least 5 characters)."),
        ({"open-fields": ["name"], "open-reason": "  왜  "}, "at least 5 characters"),
        ({"open-reason": REASON}, "Tick at least one item of personal data to open."),
        ({"open-fields": ["name", "password_hash"], "open-reason": REASON}, "Tick at least one item"),
        ({"open-fields": ["name"], "open-reason": "x" * 501}, "Use at most 500 characters."),
    ],
)
def test_opening_without_a_reason_or_items_shows_the_form_again_and_writes_nothing(
    app, officer, subject, data, message
):
    response = officer.post(f"/en/office/members/{subject}/open", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert "홍길동" not in html
    with app.app_context():
        assert audit_rows() == []


def test_the_reason_is_required_by_the_service_too(app, subject):
    with app.app_context():
        with pytest.raises(AuditError) as refused:
            record_access(1, subject, "member_view", ["name"], "   \n ")
        assert refused.value.code == "reason_required"
        row = record_access(1, subject, "member_view", ["phone", "name", "name"], "  두 칸   띄운  사유 ")
        assert row.fields == ["name", "phone"] and row.reason == "두 칸 띄운 사유"


def test_a_field_the_member_flagged_as_wrong_is_not_shown(app, officer, make_member):
    flagged = make_member(email="flagged@example.com", phone="010-9999-8888", corrections_requested=["phone"])
    html = officer.post(
        f"/en/office/members/{flagged}/open", data={"open-fields": ["phone"], "open-reason": REASON}
    ).get_data(as_text=True)
    assert "010-9999-8888" not in html and "The member flagged this as wrong" in html
    with app.app_context():
        assert [row.fields for row in audit_rows()] == [["phone"]]


def test_a_dormant_members_data_cannot_be_opened(app, officer, make_member):
    dormant = make_member(email="asleep@example.com", status="dormant")
    response = officer.post(
        f"/en/office/members/{dormant}/open", data={"open-fields": ["name"], "open-reason": REASON}
    )
    assert "This account is dormant" in response.get_data(as_text=True)
    exported = officer.post(f"/en/office/members/{dormant}/export", data={"export-reason": REASON})
    assert exported.mimetype == "text/html" and "This account is dormant" in exported.get_data(as_text=True)
    with app.app_context():
        assert audit_rows() == []


def test_an_export_on_request_is_audited_with_every_category(app, board_people, officer, subject):
    response = officer.post(f"/ko/office/members/{subject}/export", data={"export-reason": REASON})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"].startswith(
        f'attachment; filename="usnaper-member-{subject}-'
    )
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["name"] == "홍길동" and data["profile"]["phone_encrypted"] == "010-1234-5678"
    with app.app_context():
        [row] = audit_rows()
        assert (row.staff_id, row.subject_id, row.purpose) == (
            board_people["officer"],
            subject,
            "member_export",
        )
        assert row.fields == exported_categories() and {"identity", "contact"} <= set(row.fields)
        assert row.reason == REASON


def test_an_export_without_a_reason_writes_nothing(app, officer, subject):
    response = officer.post(f"/en/office/members/{subject}/export", data={"export-reason": ""})
    html = response.get_data(as_text=True)
    assert response.mimetype == "text/html" and "Say why you need to open this member's data" in html
    with app.app_context():
        assert audit_rows() == []


# The audit log


def add_rows(app, rows: list[tuple[int, int, str, datetime]]) -> None:
    """Write audit rows (staff, subject, purpose, when) as if staff had opened data then."""
    with app.app_context():
        for staff_id, subject_id, purpose, when in rows:
            record_access(staff_id, subject_id, purpose, ["name"], f"사유 {subject_id} {purpose}", now=when)
        db.session.commit()


def listed_subjects(html: str) -> list[str]:
    import re

    return re.findall(r"<td>#(\d+)</td>\s*<td>#(\d+)</td>", html)


def test_the_audit_log_filters_by_staff_member_purpose_and_korean_days(app, officer):
    late_march = datetime(2026, 3, 31, 14, 59, tzinfo=UTC)  # 23:59 on 31 March in Seoul
    early_april = datetime(2026, 3, 31, 15, 0, tzinfo=UTC)  # 00:00 on 1 April in Seoul
    add_rows(
        app,
        [
            (7, 100, "member_view", late_march),
            (7, 101, "member_export", early_april),
            (8, 100, "complaint", early_april + timedelta(days=1)),
        ],
    )
    everything = listed_subjects(officer.get("/en/office/audit").get_data(as_text=True))
    assert everything == [("8", "100"), ("7", "101"), ("7", "100")]  # newest first
    assert listed_subjects(officer.get("/en/office/audit?staff=7").get_data(as_text=True)) == [
        ("7", "101"),
        ("7", "100"),
    ]
    assert listed_subjects(officer.get("/en/office/audit?member=%23100").get_data(as_text=True)) == [
        ("8", "100"),
        ("7", "100"),
    ]
    assert listed_subjects(officer.get("/en/office/audit?purpose=member_export").get_data(as_text=True)) == [
        ("7", "101")
    ]
    april = officer.get("/en/office/audit?date_from=2026-04-01&date_to=2026-04-01").get_data(as_text=True)
    assert listed_subjects(april) == [("7", "101")]
    march = officer.get("/ko/office/audit?date_to=2026-03-31").get_data(as_text=True)
    assert listed_subjects(march) == [("7", "100")]
    assert "회원 조회에서 개인정보 열람" in march


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("staff=abc", "Enter a member number such as 12."),
        ("member=99999999999", "Enter a member number such as 12."),
        ("member=0", "Enter a member number such as 12."),
        ("purpose=everything", "Choose a purpose from the list."),
        ("date_from=2026-13-01", "Enter a day as YYYY-MM-DD."),
        ("date_from=0001-01-01", "Enter a day as YYYY-MM-DD."),
        ("date_to=9999-12-31", "Enter a day as YYYY-MM-DD."),
        ("date_from=2026-04-02&date_to=2026-04-01", "The last day cannot come before the first."),
        ("before=abc", None),
        ("before=99999999999999", None),
    ],
)
def test_bad_filters_get_a_message_never_an_error(app, officer, query, message):
    add_rows(app, [(7, 100, "member_view", now_utc())])
    response = officer.get(f"/en/office/audit?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    if message:
        assert message in html and "Fix the filters above to see the log." in html
        assert listed_subjects(html) == []
    else:
        assert listed_subjects(html) == [("7", "100")]


def test_the_audit_log_pages_by_keyset_and_keeps_the_filters(app, officer):
    start = now_utc() - timedelta(days=1)
    add_rows(app, [(7, 1000 + index, "member_view", start + timedelta(seconds=index)) for index in range(53)])
    add_rows(app, [(8, 5, "member_view", start)])
    first = officer.get("/en/office/audit?staff=7").get_data(as_text=True)
    assert len(listed_subjects(first)) == 50 and listed_subjects(first)[0] == ("7", "1052")
    import html as html_lib
    import re

    older = html_lib.unescape(re.search(r'href="([^"]*before=\d+[^"]*)"', first).group(1))
    assert "staff=7" in older
    second = listed_subjects(officer.get(older).get_data(as_text=True))
    assert second == [("7", "1002"), ("7", "1001"), ("7", "1000")]
    # Query keys that are not filters never reach url_for (they could steer or break it).
    odd = officer.get("/en/office/audit?staff=7&_method=POST&lang_code=zz&_external=1&_anchor=x")
    assert odd.status_code == 200
    link = html_lib.unescape(re.search(r'href="([^"]*before=\d+[^"]*)"', odd.get_data(as_text=True)).group(1))
    assert link.startswith("/en/office/audit?") and "_method" not in link and "zz" not in link


# The monthly review


def test_the_review_counts_per_staff_member_and_highlights_unusual_volume(app, officer):
    app.config["AUDIT_UNUSUAL_OPENINGS"] = 3
    in_may = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)
    add_rows(
        app,
        [(7, subject, "member_view", in_may) for subject in (1, 1, 2, 3)]
        + [(8, 4, "member_export", in_may), (8, 4, "complaint", in_may)]
        # Seoul's calendar decides the month: 30 April 15:30 UTC is already May there.
        + [(9, 5, "member_view", datetime(2026, 4, 30, 15, 30, tzinfo=UTC))]
        + [(7, 6, "member_view", datetime(2026, 5, 31, 15, 0, tzinfo=UTC))],  # 1 June in Seoul
    )
    with app.app_context():
        from services.staff_audit import monthly_review

        review = monthly_review(date(2026, 5, 1))
        rows = {row.staff_id: row for row in review.staff}
        assert (rows[7].openings, rows[7].members, rows[7].purposes, rows[7].unusual) == (
            4,
            3,
            {"member_view": 4},
            True,
        )
        assert (rows[8].openings, rows[8].members, rows[8].unusual) == (2, 1, False)
        assert rows[8].purposes == {"member_export": 1, "complaint": 1}
        assert set(rows) == {7, 8, 9} and review.total == 7 and review.threshold == 3
    html = officer.get("/en/office/audit/review?month=2026-05").get_data(as_text=True)
    assert html.count("Unusual volume") == 1
    assert "more than 3 openings in the month is highlighted" in html
    unusual_row = html.split("Unusual volume")[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in unusual_row and "#7" in unusual_row


def test_the_review_defaults_to_last_month_and_refuses_bad_months_politely(app, officer):
    from services.staff_audit import previous_month

    with app.app_context():
        last = previous_month().strftime("%Y-%m")
    assert f"Monthly review of {last}" in officer.get("/en/office/audit/review").get_data(as_text=True)
    for bad in ("2026-13", "May", "99999-01", "2026-5"):
        response = officer.get(f"/en/office/audit/review?month={bad}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "Write the month as YYYY-MM" in html
        assert f"Monthly review of {last}" in html


def test_a_month_is_signed_off_once_and_only_after_it_ended(app, board_people, officer):
    response = officer.post("/en/office/audit/review", data={"month": "2026-01", "note": "이상 없음"})
    assert response.status_code == 302
    with app.app_context():
        [review] = db.session.scalars(select(AuditReview)).all()
        assert (review.month, review.reviewer_id, review.note) == (
            date(2026, 1, 1),
            board_people["officer"],
            "이상 없음",
        )
    page = officer.get("/en/office/audit/review?month=2026-01").get_data(as_text=True)
    assert f"Signed off by staff member #{board_people['officer']}" in page and "이상 없음" in page
    again = officer.post(
        "/en/office/audit/review", data={"month": "2026-01", "note": "again"}, follow_redirects=True
    )
    assert "This month has already been signed off." in again.get_data(as_text=True)
    this_month = now_utc().astimezone(SEOUL).strftime("%Y-%m")
    early = officer.post("/en/office/audit/review", data={"month": this_month}, follow_redirects=True)
    assert "A month can be signed off once it has ended." in early.get_data(as_text=True)
    bad = officer.post("/en/office/audit/review", data={"month": "soon"}, follow_redirects=True)
    assert bad.status_code == 200 and "Write the month as YYYY-MM" in bad.get_data(as_text=True)
    long_note = officer.post(
        "/en/office/audit/review", data={"month": "2025-12", "note": "x" * 2001}, follow_redirects=True
    )
    assert "Use at most 2000 characters." in long_note.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditReview)) == 1


# Retention: two years, then the purge


def test_audit_rows_and_sign_offs_are_kept_two_years_then_purged(app, subject):
    opened = datetime(2026, 3, 10, 1, 0, tzinfo=UTC)
    with app.app_context():
        row = record_access(1, subject, "member_view", ["name"], REASON, now=opened)
        review = sign_off(date(2026, 2, 1), 1, "", now=opened)
        db.session.commit()
        assert row.retain_until == datetime(2028, 3, 10, tzinfo=SEOUL)
        assert review.retain_until == datetime(2028, 3, 10, tzinfo=SEOUL)
        assert purge_expired(now=datetime(2028, 3, 9, 14, 59, tzinfo=UTC)) == {}
        assert purge_expired(now=datetime(2028, 3, 9, 15, 0, tzinfo=UTC)) == {"staff_access_log": 2}
        assert audit_rows() == [] and db.session.scalars(select(AuditReview)).all() == []
        assert db.session.get(Member, subject) is not None


def test_the_console_home_links_every_part_and_counts_this_months_openings(app, officer):
    add_rows(app, [(7, 1, "member_view", now_utc()), (7, 2, "member_view", now_utc())])
    html = officer.get("/ko/office/").get_data(as_text=True)
    for path in (
        "/ko/office/roles",
        "/ko/office/members",
        "/ko/office/audit",
        "/ko/office/audit/review",
        "/ko/office/complaints/",
        "/ko/office/policies/",
        "/ko/office/campaigns/",
        "/ko/office/retention",
        "/ko/office/mail",
        "/ko/office/breach",
    ):
        assert f'href="{path}"' in html, path
    assert "이번 달 열람 2건" in html
    assert 'href="/ko/office/"' in officer.get("/ko/").get_data(as_text=True)  # the header link


def test_the_console_pages_are_wholly_korean_on_korean_urls(app, officer, subject):
    from tests.test_pages import english_fragments

    add_rows(app, [(7, subject, "member_export", now_utc() - timedelta(days=40))])
    # The language switcher names English in English on every page, on purpose.
    fragments = [fragment for fragment in english_fragments() if fragment != "English"]
    pages = {
        url: officer.get(url).get_data(as_text=True)
        for url in (
            "/ko/office/",
            "/ko/office/roles",
            "/ko/office/members",
            f"/ko/office/members/{subject}",
            "/ko/office/audit",
            "/ko/office/audit/review",
        )
    }
    pages["opened"] = officer.post(
        f"/ko/office/members/{subject}/open",
        data={"open-fields": ["name", "preferred_region", "language"], "open-reason": REASON},
    ).get_data(as_text=True)
    for url, html in pages.items():
        leaked = [fragment for fragment in fragments if fragment in html]
        assert not leaked, f"{url} shows untranslated text: {leaked[:3]}"
