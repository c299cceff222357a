"""My info: see everything, export it, change optional consents (SPEC §4)."""

import json
import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import inspect, select

from extensions import db
from models import ConsentEvent, Member
from services.clock import now_utc
from services.members import SignupRequest, sign_up
from services.personal_data import NOT_PERSONAL, REGISTRY

PASSWORD = "a long enough passphrase"


@pytest.fixture
def member(make_member):
    return make_member(
        email="me@example.com",
        name="이내정보",
        birth_date=date(1988, 8, 8),
        phone="010-2222-3333",
        preferred_region="jeju",
        consents={"privacy_notice": True, "terms": True, "optional_profile": True, "marketing_email": True},
    )


@pytest.fixture
def signed_in(client, member):
    client.post("/ko/signin", data={"email": "me@example.com", "password": PASSWORD})
    return client


def test_my_info_needs_a_sign_in(client):
    response = client.get("/ko/me/")
    assert response.status_code == 302 and "/ko/signin" in response.headers["Location"]


def test_my_info_shows_everything_held(signed_in):
    html = signed_in.get("/ko/me/").get_data(as_text=True)
    for expected in (
        "me@example.com",
        "이내정보",
        "1988년 8월 8일",
        "010-2222-3333",
        "제주",
        "동의 이력",
        "최근 로그인",
    ):
        assert expected in html
    assert "아직 누구에게도 제공되지 않았습니다" in html


def test_export_holds_profile_consents_sign_ins_and_mail(signed_in):
    response = signed_in.get("/en/me/export.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    assert data["profile"]["email"] == "me@example.com"
    assert data["profile"]["phone_encrypted"] == "010-2222-3333"
    assert "password_hash" not in data["profile"]
    assert len(data["consent_events"]) == 6 and data["consents_now"]["marketing_email"] is True
    assert len(data["sign_in_events"]) == 1
    assert [mail["template"] for mail in data["outbox_messages"]] == ["verify_email"]
    assert data["provided_to_others"] == []


def test_export_asks_for_a_recent_sign_in(signed_in):
    with signed_in.session_transaction() as session:
        session["signed_in_at"] = (now_utc() - timedelta(minutes=30)).isoformat()
    response = signed_in.get("/ko/me/export.json")
    assert response.status_code == 302
    assert "/ko/signin?next=/ko/me/export.json" in response.headers["Location"]
    again = signed_in.post(
        "/ko/signin?next=/ko/me/export.json", data={"email": "me@example.com", "password": PASSWORD}
    )
    assert again.headers["Location"].endswith("/ko/me/export.json")


def test_withdrawing_consents_is_recorded_and_takes_effect_at_once(app, signed_in, member):
    response = signed_in.post("/ko/me/consents", data={"marketing_sms": "y"})
    assert response.status_code == 302
    with app.app_context():
        latest = db.session.scalars(
            select(ConsentEvent).where(ConsentEvent.channel == "my_info").order_by(ConsentEvent.item)
        ).all()
        assert [(e.item, e.granted) for e in latest] == [
            ("marketing_email", False),
            ("marketing_sms", True),
            ("optional_profile", False),
        ]
        row = db.session.get(Member, member)
        assert row.phone_encrypted is None and row.preferred_region is None
    html = signed_in.get("/ko/me/").get_data(as_text=True)
    assert "010-2222-3333" not in html


def test_no_route_takes_another_members_id(app):
    """My info only ever reads the signed-in member: there is no member id to swap (no IDOR surface)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("me."):
            assert rule.arguments <= {"lang_code", "field", "token"}, rule.rule  # a signed token, not an id


def test_every_column_is_known_to_the_personal_data_registry(app):
    registered = {(field.table, field.column) for field in REGISTRY}
    with app.app_context():
        unknown = [
            f"{table}.{column['name']}"
            for engine in db.engines.values()  # the dormant store too
            for inspector in [inspect(engine)]
            for table in inspector.get_table_names()
            if table != "alembic_version"
            for column in inspector.get_columns(table)
            if (table, column["name"]) not in registered
            and column["name"] not in NOT_PERSONAL.get(table, set())
        ]
    assert unknown == [], "classify these in services/personal_data.py"


def test_profile_can_be_corrected_at_any_time(app, signed_in, member):
    response = signed_in.post(
        "/ko/me/profile",
        data={
            "name": "고친이름",
            "birth_date": "1988-08-09",
            "language": "en",
            "phone": "010-9999-0000",
            "preferred_region": "busan",
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/en/me/")
    with app.app_context():
        row = db.session.get(Member, member)
        assert (row.name, row.birth_date.isoformat(), row.language, row.preferred_region) == (
            "고친이름",
            "1988-08-09",
            "en",
            "busan",
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"birth_date": "2020-01-01"}, "회원은 만 14세 이상이어야 합니다"),
        ({"preferred_region": "atlantis"}, "올바르지 않은 선택값입니다."),  # WTForms' own Korean catalog
        ({"language": "fr"}, "올바르지 않은 선택값입니다."),
        ({"name": ""}, "이름을 입력해 주세요."),
    ],
)
def test_profile_corrections_are_checked(app, signed_in, member, data, message):
    values = {"name": "이내정보", "birth_date": "1988-08-08", "language": "ko"} | data
    response = signed_in.post("/ko/me/profile", data=values)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Member, member).name == "이내정보"


def test_a_flagged_field_is_not_used_until_corrected(app, signed_in, member):
    from services.personal_access import FrozenField, personal_value

    assert signed_in.post("/ko/me/flag/email").status_code == 302
    assert signed_in.post("/ko/me/flag/password_hash").status_code == 302  # not a correctable field
    with app.app_context():
        row = db.session.get(Member, member)
        assert row.corrections_requested == ["email"]
        with pytest.raises(FrozenField):
            personal_value(row, "email")
        assert personal_value(row, "phone") == "010-2222-3333"
    # No mail goes to an address its owner says is wrong (a reset request is silently skipped).
    signed_in.post("/ko/password/forgot", data={"email": "me@example.com"})
    with app.app_context():
        from models import OutboxMessage

        assert "password_reset" not in {m.template for m in db.session.scalars(select(OutboxMessage))}
    signed_in.post("/ko/me/flag/name")
    signed_in.post("/ko/me/profile", data={"name": "바른이름", "birth_date": "1988-08-08", "language": "ko"})
    with app.app_context():
        assert db.session.get(Member, member).corrections_requested == ["email"]


def test_changing_the_password_ends_other_sessions_but_not_this_one(app, signed_in, member):
    other = app.test_client()
    other.post("/ko/signin", data={"email": "me@example.com", "password": PASSWORD})
    wrong = signed_in.post(
        "/en/me/password",
        data={
            "current_password": "nope nope nope",
            "password": "brand new passphrase",
            "password_confirm": "brand new passphrase",
        },
    )
    assert wrong.status_code == 400 and "That password is not right." in wrong.get_data(as_text=True)
    response = signed_in.post(
        "/en/me/password",
        data={
            "current_password": PASSWORD,
            "password": "brand new passphrase",
            "password_confirm": "brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert signed_in.get("/ko/me/").status_code == 200
    assert other.get("/ko/me/").status_code == 302


def test_the_root_follows_the_members_saved_language(app, signed_in, member):
    with app.app_context():
        db.session.get(Member, member).language = "en"
        db.session.commit()
    signed_in.delete_cookie("lang")
    assert signed_in.get("/", headers={"Accept-Language": "ko"}).headers["Location"].endswith("/en/")


def change_token(app) -> str:
    with app.app_context():
        from models import OutboxMessage

        (message,) = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "email_change")
        ).all()
        return message.context["token"]


def test_changing_the_e_mail_address_takes_effect_only_once_confirmed(app, signed_in, member, caplog):
    response = signed_in.post("/ko/me/email", data={"email": "New.Address@example.com", "password": PASSWORD})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Member, member).email == "me@example.com"  # unchanged until confirmed
    token = change_token(app)
    with caplog.at_level(logging.INFO, logger="security"):
        assert app.test_client().get(f"/ko/me/email/confirm/{token}").status_code == 302
    with app.app_context():
        row = db.session.get(Member, member)
        assert row.email == row.email_key == "new.address@example.com"
    changes = [r.getMessage() for r in caplog.records if getattr(r, "event", None) == "email_change"]
    assert changes == [f"event=email_change member={member} outcome=ok"]  # no address in the line
    again = signed_in.get(f"/ko/me/email/confirm/{token}")
    assert again.status_code == 400 and "이미 사용된 링크입니다" in again.get_data(as_text=True)


def test_changing_to_a_taken_address_reveals_nothing_and_sends_nothing(app, signed_in, member):
    with app.app_context():
        sign_up(
            SignupRequest(
                email="taken@example.com",
                password=PASSWORD,
                name="다른",
                birth_date=date(1990, 1, 1),
                language="ko",
                consents={"privacy_notice": True, "terms": True},
            )
        )
    response = signed_in.post(
        "/en/me/email", data={"email": "TAKEN@example.com", "password": PASSWORD}, follow_redirects=True
    )
    assert "If that address can be used, a confirmation link is on its way to it." in response.get_data(
        as_text=True
    )
    with app.app_context():
        from models import OutboxMessage

        assert "email_change" not in {m.template for m in db.session.scalars(select(OutboxMessage))}


def test_a_password_change_is_in_the_access_log(app, signed_in, member):
    from models import AccessLog

    signed_in.post(
        "/en/me/password",
        data={
            "current_password": PASSWORD,
            "password": "brand new passphrase",
            "password_confirm": "brand new passphrase",
        },
    )
    with app.app_context():
        rows = db.session.scalars(select(AccessLog).where(AccessLog.path == "/en/me/password")).all()
        assert [(row.method, row.status, row.member_id) for row in rows] == [("POST", 302, member)]
