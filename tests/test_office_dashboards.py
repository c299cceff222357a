"""The privacy office's dashboards: retention holdings, the mail queue with retry, breach notices."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from extensions import db
from models import BreachNotice, Complaint, OutboxMessage
from services.clock import now_utc
from services.outbox import queue_email
from services.retention_dashboard import holdings
from services.retention_store import keep
from services.staff_audit import record_access


@pytest.fixture
def officer(board_people, sign_in):
    """A signed-in privacy officer's client (the board people include one)."""
    return sign_in("officer@example.com")


def _holding(key: str):
    return next(holding for holding in holdings() if holding.category.key == key)


def test_retention_holdings_count_every_retained_table(app, board_people):
    start = now_utc() - timedelta(days=40)
    with app.app_context():
        keep("illegal_use", "someone@example.com", {"why": "test"}, now=start)
        keep("illegal_use", "other@example.com", {"why": "test"}, now=start + timedelta(days=1))
        record_access(
            board_people["officer"], board_people["writer"], "member_view", ["name"], "a test reason"
        )
        db.session.add(
            Complaint(
                email="a@example.com", locale="ko", kind="question", subject="s", body="b", status="open"
            )
        )
        db.session.commit()
        illegal, audit, complaint = (
            _holding("illegal_use"),
            _holding("staff_access_log"),
            _holding("complaint"),
        )
        assert illegal.count == 2
        assert illegal.oldest == start
        assert illegal.next_purge == min(
            row.retain_until for row in db.session.scalars(select(__import__("models").RetentionRecord))
        )
        assert audit.count == 1 and audit.next_purge > now_utc() + timedelta(days=700)
        # An open complaint is live data; its three years start when it closes.
        assert complaint.count == 0 and complaint.next_purge is None


def test_retention_dashboard_lists_every_category_in_both_languages(client, officer):
    page = officer.get("/en/office/retention").get_data(as_text=True)
    assert "Staff access logs to personal data" in page and "Display and advertising records" in page
    page = officer.get("/ko/office/retention").get_data(as_text=True)
    assert "보관 현황" in page


def _failed_message(app, recipient="writer@example.com") -> int:
    with app.app_context():
        message = queue_email(recipient, "mail_check", "ko", {})
        message.status, message.attempts = "failed", 6
        message.last_error = f"{{'{recipient}': (550, b'5.1.1 mailbox unavailable')}}"
        db.session.commit()
        return message.id


def test_mail_dashboard_masks_addresses_and_retries_failed_mail(app, officer):
    message_id = _failed_message(app)
    response = officer.get("/en/office/mail")
    page = response.get_data(as_text=True)
    # The address is masked in the list and in the SMTP error that names it.
    assert page.count("w•••@example.com") == 2 and "writer@example.com" not in page
    assert "5.1.1 mailbox unavailable" in page
    assert response.headers["Cache-Control"] == "no-store"
    response = officer.post(f"/en/office/mail/{message_id}/retry")
    assert response.status_code == 302
    with app.app_context():
        # Embedded mode delivers at once to the console transport.
        assert db.session.get(OutboxMessage, message_id).status == "sent"


def test_retry_all_and_retry_of_nothing(app, officer):
    first, second = _failed_message(app), _failed_message(app, "reader1@example.com")
    officer.post("/en/office/mail/retry")
    with app.app_context():
        statuses = db.session.scalars(
            select(OutboxMessage.status).where(OutboxMessage.id.in_([first, second]))
        )
        assert set(statuses) == {"sent"}
    page = officer.post("/en/office/mail/retry", follow_redirects=True).get_data(as_text=True)
    assert "There was no failed message to send again." in page
    assert officer.post("/en/office/mail/99999999999/retry").status_code == 404


BREACH = {
    "subject_ko": "개인정보 유출 안내",
    "subject_en": "A notice about a data leak",
    "body_ko": "11월 20일 일부 회원의 이메일 주소가 유출되었습니다.",
    "body_en": "On 20 November some members' e-mail addresses leaked.",
    "confirm": "y",
}


def _breach_mail(app) -> list[SimpleNamespace]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "breach_notice"))
        return [SimpleNamespace(recipient=r.recipient, locale=r.locale, context=r.context) for r in rows]


def test_breach_notice_to_chosen_members_in_their_language(app, board_people, officer):
    with app.app_context():
        from models import Member

        db.session.get(Member, board_people["reader1"]).language = "en"
        db.session.commit()
    chosen = f"{board_people['writer']}, {board_people['reader1']}\n{board_people['reader1']}"
    response = officer.post("/en/office/breach", data=BREACH | {"member_ids": chosen})
    assert response.status_code == 302
    mail = {row.recipient: row for row in _breach_mail(app)}
    assert set(mail) == {"writer@example.com", "reader1@example.com"}
    assert mail["writer@example.com"].context["title"] == "개인정보 유출 안내"
    assert mail["reader1@example.com"].locale == "en"
    assert mail["reader1@example.com"].context["body"].startswith("On 20 November")
    with app.app_context():
        notice = db.session.scalar(select(BreachNotice))
        assert notice.recipients == 2 and notice.finished_at is not None
        assert notice.sent_by == board_people["officer"]
    page = officer.get("/en/office/breach").get_data(as_text=True)
    assert "2 chosen member(s)" in page


def test_breach_notice_to_everyone(app, board_people, officer):
    officer.post("/ko/office/breach", data=BREACH | {"member_ids": ""})
    assert len(_breach_mail(app)) == len(board_people)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"member_ids": "1, two"}, "Write member ids as numbers"),
        ({"member_ids": "99999999999"}, "Write member ids as numbers"),
        ({"member_ids": "²"}, "Write member ids as numbers"),
        ({"member_ids": "424242"}, "None of those ids is an active member."),
        ({"confirm": ""}, "Tick the box to confirm"),
        ({"body_en": ""}, "Fill this in, in both languages."),
        ({"subject_ko": "가" * 151}, "Use at most 150 characters."),
    ],
)
def test_breach_notice_refusals_store_nothing(app, officer, change, message):
    response = officer.post("/en/office/breach", data=BREACH | change)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BreachNotice)) == 0
    assert _breach_mail(app) == []


def test_a_breach_notice_cut_short_is_finished_by_the_daily_job_without_repeats(
    app, board_people, monkeypatch
):
    from jobs.tasks import run_daily_maintenance
    from models import Member
    from services import breach

    app.config["FANOUT_BATCH_SIZE"] = 2
    with app.app_context():
        officer = db.session.get(Member, board_people["officer"])
        notice = breach.create_notice(
            officer, breach.BreachDraft(**{k: BREACH[k] for k in BREACH if k != "confirm"})
        )
        notice_id = notice.id
        calls = {"n": 0}
        real_queue = breach.queue_email

        def dying_queue(*args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 4:  # the second batch dies half-way
                raise RuntimeError("worker killed")
            return real_queue(*args, **kwargs)

        monkeypatch.setattr(breach, "queue_email", dying_queue)
        with pytest.raises(RuntimeError):
            breach.send_notice(notice_id)
        db.session.rollback()
        monkeypatch.setattr(breach, "queue_email", real_queue)
        assert len(_breach_mail(app)) == 2
        run_daily_maintenance()
        run_daily_maintenance()
    recipients = [row.recipient for row in _breach_mail(app)]
    assert len(recipients) == len(set(recipients)) == len(board_people)
    with app.app_context():
        assert db.session.get(BreachNotice, notice_id).recipients == len(board_people)


@pytest.mark.parametrize("path", ["/ko/office/retention", "/en/office/mail", "/ko/office/breach"])
def test_dashboards_are_for_the_privacy_officer_only(client, board_people, sign_in, path):
    assert client.get(path).status_code == 302
    assert sign_in("mod@example.com").get(path).status_code == 403
    assert sign_in("writer@example.com").get(path).status_code == 403
