"""Marketing e-mail by consent (SPEC §10): targeting, the (광고)/(AD) mark, the night hold, unsubscribing."""

from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from extensions import db
from jobs.marketing import release_held_campaign_mail, resume_stalled_campaigns, send_campaign
from jobs.tasks import relay_outbox
from models import Member, OutboxMessage
from models.consent import ConsentEvent
from models.marketing import Campaign, CampaignDelivery
from services import delivery, outbox
from services.clock import SEOUL
from services.link_tokens import make_token
from services.mail import build_message
from services.marketing import send, start_sending
from services.marketing_audience import Forecast, consenting_members, forecast, has_current_consent
from services.marketing_delivery import release_held, unsubscribe_url
from services.members import record_consents
from services.outbox_admin import retry_failed
from services.purge import purge_expired
from services.retention_store import retain_until

MARKETING = {"privacy_notice": True, "terms": True, "marketing_email": True}
# With the night-time consent too, mail goes at once whatever the real clock says.
NIGHT_TOO = MARKETING | {"marketing_night": True}


def seoul(hour: int, minute: int = 0, day: int = 4) -> datetime:
    """An instant given on the Korean clock (March 2030), in UTC."""
    return datetime(2030, 3, day, hour, minute, tzinfo=SEOUL).astimezone(UTC)


@pytest.fixture
def make_campaign(app, board_people):
    """Factory: a campaign draft written by the privacy officer; returns its id."""

    def make(subject_ko: str = "봄 할인", subject_en: str = "Spring sale") -> int:
        with app.app_context():
            campaign = Campaign(
                subject_ko=subject_ko,
                subject_en=subject_en,
                body_ko="제주 스냅 20% 할인\n\n지금 예약하세요: https://usnaper.example/jeju",
                body_en="20% off Jeju snaps\n\nBook now: https://usnaper.example/jeju",
                created_by=board_people["officer"],
            )
            db.session.add(campaign)
            db.session.commit()
            return campaign.id

    return make


def _withdraw(app, member_id: int, item: str = "marketing_email") -> None:
    with app.app_context():
        record_consents(db.session.get(Member, member_id), {item: False}, "my_info")
        db.session.commit()


def _send(app, campaign_id: int, now: datetime | None = None) -> int:
    with app.app_context():
        start_sending(db.session.get(Campaign, campaign_id))
        return send(campaign_id, now=now)


def _deliveries(campaign_id: int) -> dict[int, CampaignDelivery]:
    rows = db.session.scalars(select(CampaignDelivery).where(CampaignDelivery.campaign_id == campaign_id))
    return {row.member_id: row for row in rows}


def _campaign_mail() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "campaign").order_by(OutboxMessage.id)
        )
    )


def _ledger_size() -> int:
    return db.session.scalar(select(func.count()).select_from(ConsentEvent))


# Targeting


def test_audience_is_active_members_whose_latest_consent_is_a_grant(app, make_member):
    yes = make_member(email="yes@example.com", consents=MARKETING)
    again = make_member(email="again@example.com", consents=MARKETING)
    withdrawn = make_member(email="withdrawn@example.com", consents=MARKETING)
    make_member(email="never@example.com")
    make_member(email="pending@example.com", consents=MARKETING, active=False)
    make_member(email="dormant@example.com", consents=MARKETING, status="dormant")
    sms_only = make_member(email="sms@example.com", consents=MARKETING | {"marketing_email": False})
    _withdraw(app, withdrawn)
    _withdraw(app, again)
    with app.app_context():
        record_consents(db.session.get(Member, again), {"marketing_email": True}, "my_info")
        db.session.commit()
        audience = set(db.session.scalars(consenting_members().with_only_columns(Member.id)))
        assert audience == {yes, again}
        assert not has_current_consent(sms_only, "marketing_email")


def test_only_consenting_members_receive_and_frozen_addresses_are_skipped(app, make_member, make_campaign):
    yes = make_member(email="yes@example.com", consents=MARKETING)
    withdrawn = make_member(email="withdrawn@example.com", consents=MARKETING)
    make_member(email="never@example.com")
    make_member(email="frozen@example.com", consents=MARKETING, corrections_requested=["email"])
    _withdraw(app, withdrawn)
    campaign_id = make_campaign()
    assert _send(app, campaign_id, now=seoul(12)) == 1
    with app.app_context():
        assert [row.recipient for row in _campaign_mail()] == ["yes@example.com"]
        assert set(_deliveries(campaign_id)) == {yes}
        assert db.session.get(Campaign, campaign_id).status == "sent"


# The mark, the headers and the legal footer


def test_subject_is_marked_in_each_members_language_with_unsubscribe_headers(app, make_member, make_campaign):
    make_member(email="ko@example.com", consents=MARKETING)
    make_member(email="en@example.com", consents=MARKETING, language="en")
    campaign_id = make_campaign()
    _send(app, campaign_id, now=seoul(12))
    with app.app_context():
        messages = {row.recipient: build_message(row) for row in _campaign_mail()}
    korean, english = messages["ko@example.com"], messages["en@example.com"]
    assert korean["Subject"] == "(광고) 봄 할인"
    assert english["Subject"] == "(AD) Spring sale"
    for message, lang in ((korean, "ko"), (english, "en")):
        link = message["List-Unsubscribe"]
        assert link.startswith(f"<http://localhost/{lang}/unsubscribe/") and link.endswith(">")
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        text = message.get_body(preferencelist=("plain",)).get_content()
        # The sender and the way to refuse, in both languages, whatever the member's language.
        assert link[1:-1] in text and "수신거부" in text and "unsubscribe with this link" in text
        assert "Sender: USNAPER" in text and "보낸 곳: USNAPER" in text
    assert "제주 스냅 20% 할인" in korean.get_body(preferencelist=("plain",)).get_content()
    assert "20% off Jeju snaps" in english.get_body(preferencelist=("html",)).get_content()


def test_other_mail_has_no_unsubscribe_header(app, make_member):
    make_member(email="plain@example.com")
    with app.app_context():
        (row,) = db.session.scalars(select(OutboxMessage).where(OutboxMessage.template == "verify_email"))
        assert build_message(row)["List-Unsubscribe"] is None


# The night hold


@pytest.mark.parametrize(
    ("now", "status", "send_after"),
    [
        (seoul(20, 59), "queued", seoul(20, 59)),
        (seoul(21, 0), "held", seoul(8, 0, day=5)),
        (seoul(7, 59), "held", seoul(8, 0)),
        (seoul(8, 0), "queued", seoul(8, 0)),
    ],
    ids=["20:59", "21:00", "07:59", "08:00"],
)
def test_night_hold_boundaries(app, make_member, make_campaign, now, status, send_after):
    member_id = make_member(email="day@example.com", consents=MARKETING)
    campaign_id = make_campaign()
    _send(app, campaign_id, now=now)
    with app.app_context():
        delivery = _deliveries(campaign_id)[member_id]
        assert (delivery.status, delivery.send_after) == (status, send_after)
        assert len(_campaign_mail()) == (1 if status == "queued" else 0)
        assert delivery.retain_until == retain_until("advertising", now)


def test_night_time_consent_bypasses_the_hold(app, make_member, make_campaign):
    owl = make_member(email="owl@example.com", consents=NIGHT_TOO)
    lark = make_member(email="lark@example.com", consents=MARKETING)
    campaign_id = make_campaign()
    _send(app, campaign_id, now=seoul(23, 30))
    with app.app_context():
        deliveries = _deliveries(campaign_id)
        assert deliveries[owl].status == "queued" and deliveries[lark].status == "held"
        assert [row.recipient for row in _campaign_mail()] == ["owl@example.com"]


def test_release_rechecks_consent_and_never_queues_twice(app, make_member, make_campaign):
    stays = make_member(email="stays@example.com", consents=MARKETING)
    leaves = make_member(email="leaves@example.com", consents=MARKETING)
    campaign_id = make_campaign()
    _send(app, campaign_id, now=seoul(22))
    _withdraw(app, leaves)
    with app.app_context():
        assert release_held(now=seoul(7, 59, day=5)) == 0
        assert release_held(now=seoul(8, 0, day=5)) == 1
        assert release_held(now=seoul(8, 1, day=5)) == 0
        deliveries = _deliveries(campaign_id)
        assert deliveries[stays].status == "queued" and deliveries[stays].queued_at == seoul(8, 0, day=5)
        assert deliveries[leaves].status == "skipped" and deliveries[leaves].queued_at is None
        assert [row.recipient for row in _campaign_mail()] == ["stays@example.com"]


def test_the_relay_releases_the_morning_mail(app, make_member, make_campaign, monkeypatch):
    make_member(email="early@example.com", consents=MARKETING)
    campaign_id = make_campaign()
    _send(app, campaign_id, now=seoul(22))
    monkeypatch.setattr("services.marketing_delivery.now_utc", lambda: seoul(9, day=5))
    monkeypatch.setattr("services.outbox.now_utc", lambda: seoul(9, day=5))  # the relay's scan
    monkeypatch.setattr("services.delivery.now_utc", lambda: seoul(9, day=5))  # the send-time check too
    with app.app_context():
        assert relay_outbox() >= 0
        (row,) = _campaign_mail()
        assert row.recipient == "early@example.com"
        assert row.status == "sent"  # handed to delivery at once (in-process without Redis)
        assert release_held_campaign_mail() == 0


# The night hold and consent, checked again when the outbox sends


class RecordingSMTP:
    """Stands in for SMTP: keeps what it was given, or refuses everything while down."""

    def __init__(self):
        self.sent, self.down = [], False

    def session(self):
        return nullcontext(self)

    def send(self, message):
        if self.down:
            raise ConnectionRefusedError("smtp is down")
        self.sent.append(message)

    @property
    def advertising(self) -> list[str]:
        return [str(m["To"]) for m in self.sent if m["Subject"].startswith(("(광고)", "(AD)"))]


@pytest.fixture
def smtp(monkeypatch):
    recorder = RecordingSMTP()
    monkeypatch.setattr("services.delivery.transport", lambda: recorder)
    return recorder


@pytest.fixture
def outbox_clock(monkeypatch):
    """The instant the outbox sees when it claims, sends and scans for the relay (set .now)."""
    clock = SimpleNamespace(now=datetime.now(UTC))
    monkeypatch.setattr("services.outbox.now_utc", lambda: clock.now)
    monkeypatch.setattr("services.delivery.now_utc", lambda: clock.now)
    return clock


def _row(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def _relay_due(app, morning: datetime) -> datetime:
    """The first moment the relay takes a never-tried message due at morning."""
    return morning + timedelta(seconds=app.config["OUTBOX_RELAY_AFTER_SECONDS"])


@pytest.mark.parametrize(
    "reaches_smtp", [seoul(21, 0), seoul(23, 30), seoul(7, 59, day=5)], ids=["21:00", "23:30", "07:59"]
)
def test_mail_queued_at_20_59_that_reaches_smtp_at_night_waits_for_morning(
    app, make_member, make_campaign, smtp, outbox_clock, reaches_smtp
):
    lark = make_member(email="lark@example.com", consents=MARKETING)
    owl = make_member(email="owl@example.com", consents=NIGHT_TOO)
    campaign_id = make_campaign()
    outbox_clock.now = reaches_smtp
    _send(app, campaign_id, now=seoul(20, 59))  # delivered as its app context ends
    with app.app_context():
        assert {delivery.status for delivery in _deliveries(campaign_id).values()} == {"queued"}
        rows = {row.member_id: row for row in _campaign_mail()}
        held = rows[lark]
        assert (held.status, held.attempts, held.next_attempt_at) == ("pending", 0, seoul(8, 0, day=5))
        assert held.claim_token is None and held.claimed_at is None and held.sent_at is None
        assert rows[owl].status == "sent"
    assert smtp.advertising == ["owl@example.com"]


def test_the_relay_sends_held_mail_in_the_morning_unless_consent_went(
    app, make_member, make_campaign, smtp, outbox_clock
):
    stays = make_member(email="stays@example.com", consents=MARKETING)
    leaves = make_member(email="leaves@example.com", consents=MARKETING)
    campaign_id = make_campaign()
    outbox_clock.now = seoul(21, 0)
    _send(app, campaign_id, now=seoul(20, 59))
    _withdraw(app, leaves)
    with app.app_context():
        ids = {row.member_id: row.id for row in _campaign_mail()}
        outbox_clock.now = seoul(7, 59, day=5)
        assert not set(ids.values()) & set(outbox.due_for_relay())
        outbox_clock.now = _relay_due(app, seoul(8, 0, day=5))
        assert set(ids.values()) <= set(outbox.due_for_relay())
        relay_outbox()
        sent, refused = _row(ids[stays]), _row(ids[leaves])
        assert (sent.status, sent.attempts, sent.sent_at) == ("sent", 1, outbox_clock.now)
        assert (refused.status, refused.last_error) == ("failed", "not sent: marketing consent withdrawn")
        assert refused.claim_token is None and refused.sent_at is None
    assert smtp.advertising == ["stays@example.com"]


def test_mail_to_a_member_who_unsubscribed_after_queueing_is_never_sent(
    app, make_member, make_campaign, smtp, outbox_clock
):
    leaves = make_member(email="leaves@example.com", consents=MARKETING)
    campaign_id = make_campaign()
    smtp.down = True  # the first attempt fails, so the message still waits when the member leaves
    outbox_clock.now = seoul(12)
    _send(app, campaign_id, now=seoul(12))
    _withdraw(app, leaves)
    smtp.down, outbox_clock.now = False, seoul(12, 5)
    with app.app_context():
        (row,) = _campaign_mail()
        assert delivery.deliver([row.id]) == {"sent": 0, "retry": 0, "failed": 1, "skipped": 0}
        row = _row(row.id)
        assert (row.status, row.last_error) == ("failed", "not sent: marketing consent withdrawn")
    assert smtp.advertising == []


def test_a_retry_after_an_smtp_outage_is_held_once_night_falls(
    app, make_member, make_campaign, smtp, outbox_clock
):
    make_member(email="lark@example.com", consents=MARKETING)
    campaign_id = make_campaign()
    smtp.down = True
    outbox_clock.now = seoul(20, 59)
    _send(app, campaign_id, now=seoul(20, 59))
    smtp.down, outbox_clock.now = False, seoul(21, 5)
    with app.app_context():
        (row,) = _campaign_mail()
        assert (row.status, row.attempts) == ("pending", 1)
        relay_outbox()
        row = _row(row.id)
        assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, seoul(8, 0, day=5))
        assert "smtp is down" in row.last_error  # the dashboard still shows the real failure
    assert smtp.advertising == []


def test_the_offices_retry_at_night_holds_advertising_for_the_morning(
    app, make_member, make_campaign, smtp, outbox_clock
):
    make_member(email="lark@example.com", consents=MARKETING)
    campaign_id = make_campaign()
    smtp.down = True
    outbox_clock.now = seoul(12)
    _send(app, campaign_id, now=seoul(12))
    with app.app_context():
        (row,) = _campaign_mail()
        row.status = "failed"  # as after its last attempt
        db.session.commit()
        message_id = row.id
    smtp.down, outbox_clock.now = False, seoul(22)
    with app.app_context():
        assert retry_failed([message_id], now=seoul(22)) == [message_id]
        assert delivery.deliver([message_id]) == {"sent": 0, "retry": 0, "failed": 0, "skipped": 1}
        row = _row(message_id)
        assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 0, seoul(8, 0, day=5))
    assert smtp.advertising == []


# Sending once


def test_fan_out_run_twice_sends_once(app, make_member, make_campaign):
    for number in range(5):
        make_member(email=f"fan{number}@example.com", consents=NIGHT_TOO)
    campaign_id = make_campaign()
    with app.app_context():
        start_sending(db.session.get(Campaign, campaign_id))
    with app.app_context():
        assert send_campaign(campaign_id) == 5
        assert send_campaign(campaign_id) == 0
    make_member(email="late@example.com", consents=NIGHT_TOO)
    with app.app_context():
        assert send_campaign(campaign_id) == 0
        assert len(_campaign_mail()) == 5 and len(_deliveries(campaign_id)) == 5
        assert {row.status for row in _campaign_mail()} == {"sent"}
        campaign = db.session.get(Campaign, campaign_id)
        assert campaign.status == "sent" and campaign.finished_at is not None


def test_a_dead_fan_out_resumes_where_it_stopped(app, make_member, make_campaign):
    ids = [make_member(email=f"resume{number}@example.com", consents=MARKETING) for number in range(3)]
    campaign_id = make_campaign()
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        campaign.status, campaign.cursor = "sending", ids[0]
        campaign.started_at = datetime.now(UTC) - timedelta(hours=2)
        db.session.commit()
        assert resume_stalled_campaigns() == 1
        assert set(_deliveries(campaign_id)) == set(ids[1:])
        assert db.session.get(Campaign, campaign_id).status == "sent"
        assert resume_stalled_campaigns() == 0


def test_a_draft_is_not_sent_by_the_job(app, make_member, make_campaign):
    make_member(email="early@example.com", consents=MARKETING)
    campaign_id = make_campaign()
    with app.app_context():
        assert send_campaign(campaign_id) == 0
        assert _campaign_mail() == []


def test_advertising_records_are_purged_after_six_months(app, make_member, make_campaign):
    make_member(email="kept@example.com", consents=MARKETING)
    campaign_id = make_campaign()
    _send(app, campaign_id, now=seoul(12))
    with app.app_context():
        (delivery,) = _deliveries(campaign_id).values()
        assert delivery.retain_until == datetime(2030, 9, 4, tzinfo=SEOUL).astimezone(UTC)
        assert purge_expired(now=delivery.retain_until - timedelta(seconds=1)).get("advertising", 0) == 0
        assert purge_expired(now=delivery.retain_until)["advertising"] == 1
        assert _deliveries(campaign_id) == {}


# Unsubscribing


@pytest.fixture
def subscriber(app, make_member):
    """A consenting member and the unsubscribe path of their campaign mail."""
    member_id = make_member(email="sub@example.com", consents=MARKETING)
    with app.test_request_context():
        url = unsubscribe_url(db.session.get(Member, member_id))
    return member_id, url.removeprefix("http://localhost")


def test_opening_the_link_shows_a_button_and_changes_nothing(app, client, subscriber):
    member_id, path = subscriber
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<form method="post" action="{path}"' in page and "<button" in page
    with app.app_context():
        assert has_current_consent(member_id, "marketing_email")


def test_pressing_the_button_withdraws_consent_in_the_ledger_once(app, client, subscriber):
    member_id, path = subscriber
    with app.app_context():
        before = _ledger_size()
    response = client.post(path)
    assert response.status_code == 200
    assert "수신" in response.get_data(as_text=True)
    with app.app_context():
        assert not has_current_consent(member_id, "marketing_email")
        event = db.session.scalars(select(ConsentEvent).order_by(ConsentEvent.id.desc())).first()
        assert (event.member_id, event.item, event.granted) == (member_id, "marketing_email", False)
        assert event.channel == "unsubscribe_link"
        assert _ledger_size() == before + 1
    again = client.post(path)
    assert again.status_code == 200
    with app.app_context():
        assert _ledger_size() == before + 1


@pytest.mark.parametrize("app_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_one_click_post_needs_no_csrf_token_or_sign_in(app, client, subscriber):
    member_id, path = subscriber
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with app.app_context():
        assert not has_current_consent(member_id, "marketing_email")


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_truncated_or_foreign_tokens_are_refused(app, client, subscriber, method):
    member_id, path = subscriber
    prefix, token = path.replace("/ko/", "/en/").rsplit("/", 1)
    with app.app_context():
        foreign = make_token("email-verification", {"m": member_id})
        before = _ledger_size()
    flipped = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for bad in (flipped, token[:-8], foreign, "x"):
        response = getattr(client, method)(f"{prefix}/{bad}")
        assert response.status_code == 400, bad
        assert "This unsubscribe link is not valid" in response.get_data(as_text=True)
    with app.app_context():
        assert _ledger_size() == before
        assert has_current_consent(member_id, "marketing_email")


def test_the_refusal_is_in_korean_on_korean_pages(client, subscriber):
    _, path = subscriber
    response = client.post(path[:-5])
    assert response.status_code == 400
    assert "수신거부 링크가 올바르지 않습니다" in response.get_data(as_text=True)


def test_an_expired_token_is_refused(app, client, subscriber, monkeypatch):
    member_id, path = subscriber
    later = int((datetime.now(UTC) + timedelta(days=3 * 365)).timestamp())
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    response = client.post(path.replace("/ko/", "/en/"))
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    with app.app_context():
        assert has_current_consent(member_id, "marketing_email")


# The console


def test_members_and_moderators_get_403_on_every_console_page(app, board_people, make_campaign, sign_in):
    campaign_id = make_campaign()
    paths = [
        "/ko/office/campaigns/",
        "/ko/office/campaigns/new",
        f"/ko/office/campaigns/{campaign_id}",
        f"/en/office/campaigns/{campaign_id}/edit",
        f"/en/office/campaigns/{campaign_id}/send",
    ]
    for email in ("reader1@example.com", "mod@example.com"):
        client = sign_in(email)
        for path in paths:
            assert client.get(path).status_code == 403, (email, path)
        assert client.post(paths[-1]).status_code == 403
    assert app.test_client().get(paths[0]).status_code == 302  # to sign-in
    with app.app_context():
        assert db.session.get(Campaign, campaign_id).status == "draft"


def test_officer_writes_previews_and_sends_a_campaign_once(app, board_people, make_member, sign_in):
    make_member(email="ko@example.com", consents=NIGHT_TOO)
    make_member(email="en@example.com", consents=NIGHT_TOO, language="en")
    officer = sign_in("officer@example.com")
    form = {
        "subject_ko": "  여름 할인  ",
        "subject_en": "Summer sale",
        "body_ko": "본문",
        "body_en": "Body text",
    }
    response = officer.post("/ko/office/campaigns/new", data=form)
    assert response.status_code == 302
    with app.app_context():
        campaign = db.session.scalars(select(Campaign)).one()
        assert (campaign.subject_ko, campaign.status) == ("여름 할인", "draft")
        campaign_id = campaign.id
    page = officer.get(f"/ko/office/campaigns/{campaign_id}").get_data(as_text=True)
    assert "(광고) 여름 할인" in page and "(AD) Summer sale" in page
    confirm = officer.get(f"/en/office/campaigns/{campaign_id}/send").get_data(as_text=True)
    assert "2 members would get it now." in confirm
    assert officer.post(f"/en/office/campaigns/{campaign_id}/send").status_code == 302
    with app.app_context():
        assert db.session.get(Campaign, campaign_id).status == "sent"
        assert sorted(row.recipient for row in _campaign_mail()) == ["en@example.com", "ko@example.com"]
    again = officer.post(f"/en/office/campaigns/{campaign_id}/send", follow_redirects=True)
    assert "cannot be changed or sent again" in again.get_data(as_text=True)
    edit = officer.post(f"/en/office/campaigns/{campaign_id}/edit", data=form, follow_redirects=True)
    assert "cannot be changed or sent again" in edit.get_data(as_text=True)
    listing = officer.get("/en/office/campaigns/").get_data(as_text=True)
    assert "Summer sale" in listing and "Sent" in listing
    with app.app_context():
        assert len(_campaign_mail()) == 2
        assert db.session.get(Campaign, campaign_id).subject_ko == "여름 할인"


def test_the_confirmation_counts_members_held_for_the_morning(app, make_member):
    make_member(email="owl@example.com", consents=NIGHT_TOO)
    make_member(email="lark1@example.com", consents=MARKETING)
    make_member(email="lark2@example.com", consents=MARKETING)
    make_member(email="frozen@example.com", consents=MARKETING, corrections_requested=["email"])
    with app.app_context():
        assert forecast(seoul(23)) == Forecast(now=1, held=2)
        assert forecast(seoul(12)) == Forecast(now=3, held=0)


def test_bad_campaign_input_is_refused_with_a_message(app, board_people, sign_in):
    officer = sign_in("officer@example.com")
    response = officer.post(
        "/en/office/campaigns/new",
        data={"subject_ko": " ", "subject_en": "x" * 121, "body_ko": "본문", "body_en": "Body"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This cannot be empty." in page and "Use at most 120 characters." in page
    assert officer.get("/en/office/campaigns/99999999999").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Campaign)) == 0
