"""The two-yearly reminder of each member's marketing consent (SPEC §10)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from extensions import db
from jobs.tasks import run_daily_maintenance
from models import Member, OutboxMessage
from models.consent import ConsentEvent
from services.clock import seoul_today
from services.mail import build_message
from services.marketing_reminder import send_reminders
from services.members import record_consents
from services.retention import add_months

REQUIRED = {"privacy_notice": True, "terms": True}


def _granted_at(member_id: int, item: str = "marketing_email") -> datetime:
    return db.session.scalar(
        select(ConsentEvent.occurred_at)
        .where(ConsentEvent.member_id == member_id, ConsentEvent.item == item, ConsentEvent.granted)
        .order_by(ConsentEvent.id.desc())
    )


def _reminders() -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "marketing_reminder"))
    )


def test_reminded_at_exactly_two_years_not_before_and_once(app, make_member):
    member_id = make_member(email="told@example.com", consents=REQUIRED | {"marketing_email": True})
    with app.app_context():
        due = add_months(_granted_at(member_id), 24)
        assert send_reminders(now=due - timedelta(seconds=1)) == 0
        assert send_reminders(now=due) == 1
        assert send_reminders(now=due) == 0
        assert send_reminders(now=due + timedelta(days=1)) == 0
        (reminder,) = _reminders()
        assert reminder.recipient == "told@example.com"
        assert db.session.get(Member, member_id).marketing_reminded_at == due
        # Two years after the last reminder, the next one.
        assert send_reminders(now=add_months(due, 24) - timedelta(seconds=1)) == 0
        assert send_reminders(now=add_months(due, 24)) == 1


def test_reminder_states_each_consent_and_when_with_a_link_to_my_info(app, make_member):
    member_id = make_member(
        email="both@example.com",
        consents=REQUIRED | {"marketing_email": True, "marketing_sms": True},
        language="en",
    )
    with app.app_context():
        granted = _granted_at(member_id)
        send_reminders(now=add_months(granted, 24))
        (row,) = _reminders()
        on = seoul_today(granted).isoformat()
        assert (row.context["email_on"], row.context["sms_on"], row.context["night_on"]) == (on, on, None)
        text = build_message(row).get_body(preferencelist=("plain",)).get_content()
        assert f"Advertising by e-mail: given on {row.context['email_on']}" in text
        assert "Advertising at night (21:00 to 08:00, Korean time): not given" in text
        assert "http://localhost/en/me/" in text
        assert build_message(row)["List-Unsubscribe"] is None


def test_only_members_who_consent_now_are_reminded(app, make_member):
    sms_only = make_member(email="sms@example.com", consents=REQUIRED | {"marketing_sms": True})
    withdrawn = make_member(email="gone@example.com", consents=REQUIRED | {"marketing_email": True})
    make_member(email="never@example.com", consents=REQUIRED | {"marketing_night": True})
    make_member(email="pending@example.com", consents=REQUIRED | {"marketing_email": True}, active=False)
    make_member(email="dormant@example.com", consents=REQUIRED | {"marketing_email": True}, status="dormant")
    with app.app_context():
        record_consents(db.session.get(Member, withdrawn), {"marketing_email": False}, "my_info")
        db.session.commit()
        later = add_months(datetime.now(UTC), 25)
        assert send_reminders(now=later) == 1
        assert [row.member_id for row in _reminders()] == [sms_only]


def test_giving_consent_again_restarts_the_two_years(app, make_member):
    member_id = make_member(email="again@example.com", consents=REQUIRED | {"marketing_email": True})
    with app.app_context():
        first = _granted_at(member_id)
        member = db.session.get(Member, member_id)
        record_consents(member, {"marketing_email": False}, "my_info")
        db.session.add(
            ConsentEvent(
                member_id=member_id,
                item="marketing_email",
                granted=True,
                policy_version="1.0",
                channel="my_info",
                occurred_at=add_months(first, 12),
            )
        )
        db.session.commit()
        assert send_reminders(now=add_months(first, 24)) == 0
        assert send_reminders(now=add_months(first, 36)) == 1


def test_a_flagged_address_waits_until_corrected(app, make_member):
    member_id = make_member(
        email="flag@example.com",
        consents=REQUIRED | {"marketing_email": True},
        corrections_requested=["email"],
    )
    with app.app_context():
        due = add_months(_granted_at(member_id), 24)
        assert send_reminders(now=due) == 0
        assert db.session.get(Member, member_id).marketing_reminded_at is None


def test_the_daily_maintenance_sends_the_reminders(app, make_member):
    member_id = make_member(email="daily@example.com")
    with app.app_context():
        db.session.add(
            ConsentEvent(
                member_id=member_id,
                item="marketing_email",
                granted=True,
                policy_version="1.0",
                channel="signup",
                occurred_at=add_months(datetime.now(UTC), -25),
            )
        )
        db.session.commit()
        assert run_daily_maintenance()["marketing_reminder"] == 1
        assert "marketing_reminder" not in run_daily_maintenance()
        assert [row.member_id for row in _reminders()] == [member_id]
