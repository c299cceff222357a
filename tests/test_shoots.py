"""Requests, ranking, asks and bookings: contact details cross only at the booking (SPEC §7, §8)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from extensions import db
from models import Ask, Booking, ContactProvision, Member, OutboxMessage, PhotographerProfile, RetentionRecord
from services.clock import seoul_today
from services.mail import build_message
from tests.test_boards import queries_for

DAY = seoul_today() + timedelta(days=30)
REQUEST = {
    "region": "jeju",
    "shoot_date": DAY.isoformat(),
    "time_window": "morning",
    "shoot_type": "wedding",
    "people": "2",
    "budget": "200,000",
    "notes": "바다가 보이는 곳이면 좋겠어요.",
}
CUSTOMER = {"email": "customer@example.com", "name": "김고객", "phone": "010-3333-4444"}


@pytest.fixture
def customer(app, make_member, sign_in):
    make_member(**CUSTOMER)
    return sign_in(CUSTOMER["email"])


@pytest.fixture
def shooter(app, make_photographer, sign_in):
    """A Jeju wedding photographer with a phone number, signed in."""
    member_id, profile_id = make_photographer(
        "shooter@example.com", display_name="제주 웨딩 작가", specialties=["wedding"], starting_price=150_000
    )
    with app.app_context():
        from services.field_crypto import encrypt_field

        member = db.session.get(Member, member_id)
        member.name, member.phone_encrypted = "이작가", encrypt_field("010-7777-8888", "member.phone")
        db.session.commit()
    return {"client": sign_in("shooter@example.com"), "member": member_id, "profile": profile_id}


def file_request(client, **change) -> int:
    response = client.post("/ko/requests/new", data=REQUEST | change)
    assert response.status_code == 302, response.get_data(as_text=True)[-500:]
    return int(response.headers["Location"].rsplit("/", 1)[1])


def only(model, *where):
    return db.session.scalars(select(model).where(*where)).one()


def accepted_ask(app, customer, shooter, accept: bool = True) -> tuple[int, int]:
    """A filed request asked of the shooter and, unless told otherwise, accepted; returns (request, ask)."""
    request_id = file_request(customer)
    customer.post(f"/ko/requests/{request_id}/asks", data={"profile": [str(shooter["profile"])]})
    with app.app_context():
        ask_id = only(Ask, Ask.request_id == request_id).id
    if accept:
        shooter["client"].post(f"/ko/asks/{ask_id}/answer", data={"decision": "accept", "consent": "y"})
    return request_id, ask_id


def test_ranking_follows_its_documented_order(app, customer, make_photographer):
    from services.photographers import block_day

    def make(name, **change):
        return make_photographer(f"{name}@example.com", display_name=name, **change)[1]

    base = {"regions": ["jeju"], "specialties": ["wedding"], "starting_price": 150_000}
    best = make("best", **base)
    rated = make("rated", **base)
    over_budget = make("over", **base | {"starting_price": 500_000})
    other_kind = make("otherkind", **base | {"specialties": ["product"]})
    busy = make("busy", **base)
    make("seoul", **base | {"regions": ["seoul"]})
    with app.app_context():
        db.session.get(PhotographerProfile, rated).rating = 4.8
        block_day(db.session.get(PhotographerProfile, busy), DAY)
        db.session.commit()
    request_id = file_request(customer)
    with app.app_context():
        from services.matching import rank
        from services.shoots import request_of

        me = db.session.scalar(select(Member).where(Member.email == CUSTOMER["email"]))
        matches, _ = rank(request_of(me, request_id))
        order = [m.profile.id for m in matches]
    assert order == [rated, best, over_budget, other_kind, busy]
    first = matches[0]
    assert (first.free, first.specialty, first.within_budget) == (True, True, True)
    assert not matches[-1].free and not matches[3].specialty and not matches[2].within_budget


def test_the_request_page_shows_why_each_matched_with_a_fixed_number_of_queries(
    app, customer, make_photographer
):
    make_photographer("p0@example.com", regions=["jeju"], specialties=["wedding"])
    request_id = file_request(customer)
    page = customer.get(f"/ko/requests/{request_id}").get_data(as_text=True)
    assert "제주에서 활동" in page and "촬영 가능" in page and "웨딩" in page and "예산 안" in page
    one = queries_for(app, customer, f"/ko/requests/{request_id}")
    for n in range(1, 8):
        make_photographer(f"p{n}@example.com", regions=["jeju"], specialties=["wedding"])
    assert queries_for(app, customer, f"/ko/requests/{request_id}") == one


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"shoot_date": seoul_today().isoformat()}, "오늘 이후의 날짜를 고르세요."),
        ({"people": "0"}, "1명부터 50명까지"),
        ({"budget": "공짜"}, "원 단위 숫자로"),
        ({"region": "mars"}, "올바르지 않은 선택값"),
        ({"notes": "가" * 1001}, "1000자 이내로"),
    ],
)
def test_a_bad_request_gets_a_message_and_writes_nothing(app, customer, change, message):
    from models import ShootRequest

    response = customer.post("/ko/requests/new", data=REQUEST | change)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ShootRequest)) == 0


def all_mail_text(app) -> str:
    with app.app_context():
        return " ".join(
            build_message(row).as_string() + str(row.context)
            for row in db.session.scalars(select(OutboxMessage))
        )


def test_the_whole_flow_and_contacts_only_after_both_consents(app, customer, shooter, monkeypatch):
    from services import outbox

    monkeypatch.setattr(outbox, "committed_message_ids", lambda *a, **k: [])  # keep rows readable
    photographer = shooter["client"]
    customer_secrets = ["김고객", "customer@example.com", "010-3333-4444"]
    shooter_secrets = ["이작가", "shooter@example.com", "010-7777-8888"]
    seen_by_shooter, seen_by_customer = [], []

    request_id = file_request(customer)
    seen_by_customer.append(customer.get(f"/ko/requests/{request_id}").get_data(as_text=True))
    customer.post(f"/ko/requests/{request_id}/asks", data={"profile": [str(shooter["profile"])]})
    with app.app_context():
        ask_id = only(Ask, Ask.request_id == request_id).id
    seen_by_shooter.append(photographer.get("/ko/asks/").get_data(as_text=True))
    assert "바다가 보이는 곳" in seen_by_shooter[-1]

    # Accepting without the consent is refused and changes nothing.
    photographer.post(f"/ko/asks/{ask_id}/answer", data={"decision": "accept", "price": "180000"})
    with app.app_context():
        assert only(Ask, Ask.id == ask_id).status == "sent"
    photographer.post(
        f"/ko/asks/{ask_id}/answer", data={"decision": "accept", "price": "180000", "consent": "y"}
    )
    seen_by_customer.append(customer.get(f"/ko/requests/{request_id}").get_data(as_text=True))
    assert "180,000원에 수락" in seen_by_customer[-1]
    seen_by_customer.append(customer.get("/ko/me/").get_data(as_text=True))
    seen_by_shooter.append(photographer.get("/ko/me/").get_data(as_text=True))
    seen_by_customer.append(str(customer.get("/ko/me/export.json").get_json()))

    # Confirming without the consent is refused too.
    refused = customer.post(f"/ko/asks/{ask_id}/confirm", data={}, follow_redirects=True)
    assert "연락처 제공에 동의해 주세요" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Booking)) == 0
    for page in seen_by_shooter:
        assert not [s for s in customer_secrets if s in page]
    for page in seen_by_customer:
        assert not [s for s in shooter_secrets if s in page]
    mails = all_mail_text(app)
    assert "010-3333-4444" not in mails and "010-7777-8888" not in mails

    booked = customer.post(f"/ko/asks/{ask_id}/confirm", data={"consent": "y"})
    assert booked.status_code == 302
    booking_url = booked.headers["Location"]
    with app.app_context():
        booking = db.session.scalar(select(Booking))
        assert (booking.price, booking.commission_rate_bp, booking.commission) == (180_000, 1000, 18_000)
        provisions = db.session.scalars(select(ContactProvision)).all()
        assert sorted(p.fields for p in provisions) == [["email", "name", "phone"]] * 2
    as_customer = customer.get(booking_url).get_data(as_text=True)
    as_shooter = photographer.get(booking_url).get_data(as_text=True)
    assert all(secret in as_customer for secret in shooter_secrets)
    assert all(secret in as_shooter for secret in customer_secrets)
    assert "수수료" in as_shooter and "수수료" not in as_customer
    assert "예약 상대방에게 제공" in customer.get("/ko/me/").get_data(as_text=True)
    with app.app_context():
        templates = {row.template for row in db.session.scalars(select(OutboxMessage))}
    assert {"ask_received", "ask_answered", "booking_confirmed"} <= templates


def test_nobody_else_sees_or_acts_on_a_request_an_ask_or_a_booking(
    app, customer, shooter, make_member, make_photographer, sign_in
):
    request_id = file_request(customer)
    customer.post(f"/ko/requests/{request_id}/asks", data={"profile": [str(shooter["profile"])]})
    with app.app_context():
        ask_id = only(Ask, Ask.request_id == request_id).id
    make_member(email="stranger@example.com")
    stranger = sign_in("stranger@example.com")
    assert stranger.get(f"/ko/requests/{request_id}").status_code == 404
    assert stranger.post(f"/ko/requests/{request_id}/asks", data={"profile": ["1"]}).status_code == 404
    make_photographer("rival@example.com")
    rival = sign_in("rival@example.com")
    answer = {"decision": "accept", "consent": "y"}
    assert rival.post(f"/ko/asks/{ask_id}/answer", data=answer).status_code == 404
    shooter["client"].post(f"/ko/asks/{ask_id}/answer", data=answer)
    assert stranger.post(f"/ko/asks/{ask_id}/confirm", data={"consent": "y"}).status_code == 404
    assert shooter["client"].post(f"/ko/asks/{ask_id}/confirm", data={"consent": "y"}).status_code == 404
    customer.post(f"/ko/asks/{ask_id}/confirm", data={"consent": "y"})
    with app.app_context():
        booking_id = db.session.scalar(select(Booking.id))
    assert stranger.get(f"/ko/bookings/{booking_id}").status_code == 404
    assert rival.get(f"/ko/bookings/{booking_id}").status_code == 404


def test_a_field_flagged_wrong_is_never_provided(app, customer, shooter):
    customer.post("/ko/me/flag/phone")
    request_id, ask_id = accepted_ask(app, customer, shooter)
    booked = customer.post(f"/ko/asks/{ask_id}/confirm", data={"consent": "y"})
    page = shooter["client"].get(booked.headers["Location"]).get_data(as_text=True)
    assert "김고객" in page and "010-3333-4444" not in page
    with app.app_context():
        mine = only(ContactProvision, ContactProvision.recipient_id == shooter["member"])
        assert mine.fields == ["email", "name"]


def test_the_same_photographer_cannot_be_booked_twice_on_one_day(
    app, customer, shooter, make_member, sign_in
):
    make_member(email="second@example.com")
    second = sign_in("second@example.com")
    asks = []
    for client in (customer, second):
        request_id = file_request(client)
        client.post(f"/ko/requests/{request_id}/asks", data={"profile": [str(shooter["profile"])]})
        with app.app_context():
            asks.append(only(Ask, Ask.request_id == request_id).id)
        shooter["client"].post(f"/ko/asks/{asks[-1]}/answer", data={"decision": "accept", "consent": "y"})
    assert customer.post(f"/ko/asks/{asks[0]}/confirm", data={"consent": "y"}).status_code == 302
    late = second.post(f"/ko/asks/{asks[1]}/confirm", data={"consent": "y"}, follow_redirects=True)
    assert "방금 다른 고객이 그날 이 사진작가를 예약했습니다." in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Booking)) == 1


def test_unanswered_asks_expire_by_the_daily_job(app, customer, shooter):
    from services.clock import now_utc
    from services.shoots import expire_asks

    request_id = file_request(customer)
    customer.post(f"/ko/requests/{request_id}/asks", data={"profile": [str(shooter["profile"])]})
    with app.app_context():
        assert expire_asks(now_utc() + timedelta(hours=47)) == 0
        assert expire_asks(now_utc() + timedelta(hours=49)) == 1
        assert expire_asks(now_utc() + timedelta(hours=49)) == 0  # twice is once
        ask_id = db.session.scalar(select(Ask.id))
    late = shooter["client"].post(
        f"/ko/asks/{ask_id}/answer", data={"decision": "accept", "consent": "y"}, follow_redirects=True
    )
    assert "기한이 지났거나" in late.get_data(as_text=True)


def test_withdrawal_keeps_the_contract_and_payment_records_for_five_years(app, customer, shooter):
    request_id, ask_id = accepted_ask(app, customer, shooter)
    customer.post(f"/ko/asks/{ask_id}/confirm", data={"consent": "y"})
    customer.post(
        "/ko/me/withdraw", data={"password": "a long enough passphrase", "understood": "y", "posts": "delete"}
    )
    with app.app_context():
        records = {r.category: r for r in db.session.scalars(select(RetentionRecord))}
        assert {"contract", "payment"} <= set(records)
        assert records["payment"].payload["price"] == 150_000
        assert (records["contract"].retain_until - records["contract"].created_at).days >= 5 * 365
        assert "customer@example.com" not in str(records["contract"].payload)
        booking = db.session.scalar(select(Booking))
        assert booking.customer_id is None and booking.photographer_id == shooter["member"]


def test_a_correction_of_a_provided_field_is_told_to_the_other_side(app, customer, shooter):
    request_id, ask_id = accepted_ask(app, customer, shooter)
    customer.post(f"/ko/asks/{ask_id}/confirm", data={"consent": "y"})
    profile = {"name": "김고객", "birth_date": "1990-05-17", "language": "ko", "preferred_region": ""}
    customer.post("/ko/me/profile", data=profile | {"phone": "010-3333-4444"})  # nothing changed
    customer.post("/ko/me/profile", data=profile | {"phone": "010-9999-0000"})
    with app.app_context():
        told = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == "contact_corrected")
        ).all()
        assert len(told) == 1 and told[0].member_id == shooter["member"]
        assert told[0].context["fields"] == ["phone"]
    page = shooter["client"].get("/ko/bookings/1").get_data(as_text=True)
    assert "010-9999-0000" in page and "010-3333-4444" not in page


def test_asks_go_only_to_active_photographers_of_the_region(app, customer, shooter, make_photographer):
    _, seoul = make_photographer("seoul@example.com", regions=["seoul"])
    request_id = file_request(customer)
    customer.post(f"/ko/requests/{request_id}/asks", data={"profile": [str(seoul), str(shooter["profile"])]})
    with app.app_context():
        assert db.session.scalars(select(Ask.profile_id)).all() == [shooter["profile"]]


def test_ticked_values_that_are_no_plain_number_ask_nobody_with_a_clear_message(app, customer, shooter):
    # Found by the fuzzer: "²" passed str.isdigit() and then broke int() (a 500).
    request_id = file_request(customer)
    odd = ["²", "١", "１", "99999999999", f"{shooter['profile']}.0", ""]
    response = customer.post(f"/ko/requests/{request_id}/asks", data={"profile": odd}, follow_redirects=True)
    assert response.status_code == 200 and "사진작가를 한 명 이상 고르세요." in response.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ask)) == 0


def test_a_booking_cannot_be_confirmed_once_the_day_has_come(app, customer, shooter):
    from models import ShootRequest

    request_id, ask_id = accepted_ask(app, customer, shooter)
    with app.app_context():
        db.session.get(ShootRequest, request_id).shoot_date = seoul_today()
        db.session.commit()
    late = customer.post(f"/ko/asks/{ask_id}/confirm", data={"consent": "y"}, follow_redirects=True)
    assert "요청이 마감되었습니다" in late.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Booking)) == 0
