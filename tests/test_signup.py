"""Joining: the 14+ age gate, separate consents, verification, no enumeration (SPEC §2, §3)."""

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from extensions import db
from models import AccessLog, ConsentEvent, Member, OutboxMessage
from services.age import age_on, is_old_enough
from services.clock import seoul_today
from services.field_crypto import decrypt_field
from services.members import MembershipError, SignupRequest, purge_unverified, sign_up, verification_token


def years_ago(years: int, days: int = 0) -> date:
    today = seoul_today()
    return today.replace(year=today.year - years) - timedelta(days=days)


def form(**overrides) -> dict:
    values = {
        "email": "new.member@example.com",
        "password": "a long enough passphrase",
        "password_confirm": "a long enough passphrase",
        "name": "홍길동",
        "birth_date": "1990-05-17",
        "privacy_notice": "y",
        "terms": "y",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def table_counts() -> dict[str, int]:
    return {
        table: db.session.scalar(text(f"SELECT COUNT(*) FROM {table}"))  # noqa: S608 - fixed table names
        for table in (
            "members",
            "consent_events",
            "outbox_messages",
            "retention_records",
            "throttle_counters",
        )
    }


@pytest.mark.parametrize(
    ("birth", "today", "age"),
    [
        (date(2012, 11, 25), date(2026, 11, 25), 14),  # the 14th birthday itself counts
        (date(2012, 11, 26), date(2026, 11, 25), 13),  # 13 years and 364 days
        (date(2012, 2, 29), date(2026, 2, 28), 13),  # leap-day birth, common year: not yet
        (date(2012, 2, 29), date(2026, 3, 1), 14),
        (date(2012, 2, 29), date(2028, 2, 29), 16),
    ],
)
def test_age_on_the_korean_calendar(birth, today, age):
    assert age_on(birth, today) == age


def test_the_korean_day_decides(app):
    from datetime import UTC, datetime

    # 15:30 UTC on 24 Nov is already 25 Nov in Seoul: a 25 Nov birthday has come.
    with app.app_context():
        from services.clock import seoul_today as korean_day

        assert korean_day(datetime(2026, 11, 24, 15, 30, tzinfo=UTC)) == date(2026, 11, 25)
        assert is_old_enough(date(2012, 11, 25), today=date(2026, 11, 25))


def test_under_14_is_refused_and_nothing_is_kept(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    birth = years_ago(14, days=-1).isoformat()  # the 14th birthday is tomorrow
    response = client.post("/ko/signup", data=form(email="child@example.com", birth_date=birth))
    assert response.status_code == 400
    assert "만 14세 이상만 가입할 수 있습니다" in response.get_data(as_text=True)
    with app.app_context():
        assert table_counts() == dict.fromkeys(table_counts(), 0)
        paths = [row.path for row in db.session.scalars(select(AccessLog))]
        assert paths == ["/ko/signup"]  # the path only: never the form
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "child@example.com" not in logged and birth not in logged


def test_the_service_enforces_the_age_gate_too(app):
    with app.app_context():
        request = SignupRequest(
            email="child@example.com",
            password="a long enough passphrase",
            name="x",
            birth_date=years_ago(13),
            language="ko",
            consents={"privacy_notice": True, "terms": True},
        )
        with pytest.raises(MembershipError) as refused:
            sign_up(request)
        assert refused.value.code == "under_age"
        assert table_counts()["members"] == 0


def test_14th_birthday_today_may_join(app, client):
    response = client.post("/ko/signup", data=form(birth_date=years_ago(14).isoformat()))
    assert response.status_code == 302 and response.headers["Location"].endswith("/ko/signup/sent")


def test_signup_records_every_consent_separately(app, client):
    client.post("/en/signup", data=form(marketing_email="y"))
    with app.app_context():
        events = {e.item: e for e in db.session.scalars(select(ConsentEvent))}
        assert set(events) == {
            "privacy_notice",
            "terms",
            "optional_profile",
            "marketing_email",
            "marketing_sms",
            "marketing_night",
        }
        granted = {item for item, event in events.items() if event.granted}
        assert granted == {"privacy_notice", "terms", "marketing_email"}
        assert {e.policy_version for e in events.values()} == {"1.0"}
        assert {e.channel for e in events.values()} == {"signup"}


@pytest.mark.parametrize("missing", ["privacy_notice", "terms"])
def test_required_consents_cannot_be_skipped(app, client, missing):
    response = client.post("/en/signup", data=form(**{missing: None}))
    assert response.status_code == 400 and "Joining needs this consent." in response.get_data(as_text=True)
    with app.app_context():
        assert table_counts()["members"] == 0


def test_no_box_is_ticked_in_advance(client):
    html = client.get("/ko/signup").get_data(as_text=True)
    assert html.count('type="checkbox"') == 6 and "checked" not in html
    assert 'href="/ko/privacy#items"' in html and 'href="/ko/terms"' in html


def test_the_ledger_is_append_only(app, client):
    client.post("/ko/signup", data=form())
    with app.app_context():
        event = db.session.scalars(select(ConsentEvent)).first()
        event.granted = not event.granted
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.commit()


def test_optional_items_are_kept_only_with_their_consent(app, client):
    client.post(
        "/ko/signup", data=form(email="a@example.com", phone="010-1234-5678", preferred_region="jeju")
    )
    client.post(
        "/ko/signup",
        data=form(
            email="b@example.com", phone="010-8765-4321", preferred_region="busan", optional_profile="y"
        ),
    )
    with app.app_context():
        without = db.session.scalar(select(Member).where(Member.email_key == "a@example.com"))
        with_consent = db.session.scalar(select(Member).where(Member.email_key == "b@example.com"))
        assert without.phone_encrypted is None and without.preferred_region is None
        assert with_consent.preferred_region == "busan"
        assert decrypt_field(with_consent.phone_encrypted, "member.phone") == "010-8765-4321"
        raw = db.session.execute(
            text("SELECT phone_encrypted FROM members WHERE email_key = 'b@example.com'")
        )
        assert b"8765" not in bytes(raw.scalar())


def test_a_taken_address_is_not_revealed(app, client):
    first = client.post("/ko/signup", data=form(email="taken@example.com"))
    second = client.post("/ko/signup", data=form(email="TAKEN@Example.com", name="다른 사람"))
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Member)) == 1
        templates = [
            row.template for row in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]
        assert templates == ["verify_email", "signup_attempt"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "not-an-address"}, "Enter a valid e-mail address."),
        ({"password": "short", "password_confirm": "short"}, "Use 10 to 256 characters."),
        ({"password_confirm": "something else entirely"}, "The two passwords differ."),
        ({"birth_date": "2026-13-45"}, "Enter your date of birth as YYYY-MM-DD."),
        ({"birth_date": "1850-01-01"}, "Enter your real date of birth."),
        ({"phone": "12345"}, "Enter a mobile number such as 010-1234-5678."),
        ({"preferred_region": "atlantis"}, "Not a valid choice"),
        ({"name": "x" * 101}, "Use at most 100 characters."),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(app, client, overrides, message):
    response = client.post("/en/signup", data=form(**overrides))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert table_counts()["members"] == 0


def test_long_korean_passwords_work(app, client):
    password = "사진" * 32  # 64 syllables, 192 bytes: far past bcrypt's 72
    client.post("/ko/signup", data=form(password=password, password_confirm=password))
    with app.app_context():
        member = db.session.scalars(select(Member)).one()
        member.status = "active"
        db.session.commit()
    response = client.post("/ko/signin", data={"email": "new.member@example.com", "password": password})
    assert response.status_code == 302
    wrong = client.post(
        "/ko/signin", data={"email": "new.member@example.com", "password": "사진" * 31 + "사잔"}
    )
    assert wrong.status_code == 400


def test_verification_link_works_once(app, client):
    client.post("/ko/signup", data=form())
    with app.app_context():
        member = db.session.scalars(select(Member)).one()
        token = verification_token(member)
        assert member.status == "pending"
        (message,) = db.session.scalars(select(OutboxMessage)).all()
        assert message.template == "verify_email" and message.context["token"]
    assert client.get(f"/ko/verify/{token}").status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Member)).one().status == "active"
    again = client.get(f"/ko/verify/{token}")
    assert again.status_code == 400 and "이미 사용된 링크입니다" in again.get_data(as_text=True)
    forged = client.get(f"/en/verify/x{token[1:]}")  # the payload changed: the signature no longer fits
    assert forged.status_code == 400 and "This link is not valid." in forged.get_data(as_text=True)


def test_an_expired_verification_link_says_so(app, client, monkeypatch):
    client.post("/ko/signup", data=form())
    with app.app_context():
        token = verification_token(db.session.scalars(select(Member)).one())
    monkeypatch.setattr("services.members.VERIFY_MAX_AGE", timedelta(seconds=-1))
    response = client.get(f"/en/verify/{token}")
    assert response.status_code == 400 and "This link has expired." in response.get_data(as_text=True)


def test_unverified_signups_are_purged_after_48_hours(app, client):
    from services.clock import now_utc

    client.post("/ko/signup", data=form())
    with app.app_context():
        assert purge_unverified() == 0
        assert purge_unverified(now=now_utc() + timedelta(hours=49)) == 1
        assert table_counts()["members"] == 0 and table_counts()["consent_events"] == 0


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_signup_without_a_csrf_token_is_refused(app, client):
    response = client.post("/ko/signup", data=form())
    assert response.status_code == 400
    assert "잘못된 요청입니다" in response.get_data(as_text=True)
    with app.app_context():
        assert table_counts()["members"] == 0


def test_link_tokens_never_reach_the_access_log(app, client):
    client.post("/ko/signup", data=form())
    with app.app_context():
        token = verification_token(db.session.scalars(select(Member)).one())
    client.get(f"/ko/verify/{token}")
    with app.app_context():
        paths = [row.path for row in db.session.scalars(select(AccessLog))]
    assert "/ko/verify/[token]" in paths and not any(token in path for path in paths)


def test_a_taken_address_costs_the_same_hashing_work(app, client, monkeypatch):
    import services.members as members

    calls = []
    real = members.hash_password
    monkeypatch.setattr(members, "hash_password", lambda password: calls.append(1) or real(password))
    client.post("/ko/signup", data=form(email="first@example.com"))
    client.post("/ko/signup", data=form(email="FIRST@example.com"))
    assert len(calls) == 2


def test_nul_bytes_are_refused_before_any_database_sees_them(client):
    response = client.post("/ko/signin", data={"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400
    assert client.get("/ko/privacy?q=%00").status_code == 400
    # Found by the fuzzer: only the first value of each name, and no name, was looked at.
    assert client.get("/ko/privacy?q=a&q=%00").status_code == 400
    assert client.get("/ko/privacy?%00=a").status_code == 400
    assert client.post("/ko/signup", data={"preferred_region": ["jeju", "\x00"]}).status_code == 400
    assert client.post("/ko/signup", data={"a\x00": "x"}).status_code == 400
