"""After the booking: the state machine, cancellation, completion, reviews, the dashboard (SPEC §8)."""

import pytest
from sqlalchemy import select

from extensions import db
from models import Booking, OutboxMessage, PhotographerProfile, RetentionRecord, Review, ShootRequest
from services.booking_states import TRANSITIONS, move
from services.clock import seoul_today
from services.shoots import ShootError
from tests.test_shoots import CUSTOMER, accepted_ask, customer, shooter  # noqa: F401  (fixtures)

STATES = ("confirmed", "cancelled", "completed")


@pytest.mark.parametrize("start", STATES)
@pytest.mark.parametrize("to", STATES)
def test_every_illegal_transition_is_refused(start, to):
    booking = Booking(status=start)
    if to in TRANSITIONS[start]:
        move(booking, to)
        assert booking.status == to and booking.ended_at is not None
    else:
        with pytest.raises(ShootError) as refused:
            move(booking, to)
        assert refused.value.code == "illegal_step" and booking.status == start


@pytest.fixture
def booked(app, customer, shooter):  # noqa: F811
    _, ask_id = accepted_ask(app, customer, shooter)
    response = customer.post(f"/ko/asks/{ask_id}/confirm", data={"consent": "y"})
    return int(response.headers["Location"].rsplit("/", 1)[1])


def shoot_today(app, booking_id: int) -> None:
    with app.app_context():
        booking = db.session.get(Booking, booking_id)
        booking.shoot_date = seoul_today()
        db.session.get(ShootRequest, booking.request_id).shoot_date = seoul_today()
        db.session.commit()


def test_either_side_cancels_with_a_reason_and_the_other_is_told(app, customer, shooter, booked):  # noqa: F811
    url = f"/ko/bookings/{booked}"
    empty = customer.post(url + "/cancel", data={"reason": " "}, follow_redirects=True)
    assert "취소하는 이유를 적어 주세요." in empty.get_data(as_text=True)
    shooter["client"].post(url + "/cancel", data={"reason": "장비 고장"})
    with app.app_context():
        booking = db.session.get(Booking, booked)
        assert (booking.status, booking.cancelled_by, booking.cancel_reason) == (
            "cancelled",
            "photographer",
            "장비 고장",
        )
        mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.template == "booking_cancelled"))
        assert mail.recipient == CUSTOMER["email"]
        kept = {row.category for row in db.session.scalars(select(RetentionRecord))}
        assert kept == {"contract", "payment"}
    again = customer.post(url + "/cancel", data={"reason": "다시"}, follow_redirects=True)
    assert "이미 끝난 예약이라 할 수 없습니다." in again.get_data(as_text=True)
    assert "이름" not in customer.get(url).get_data(as_text=True).split("상대방 연락처")[1].split("</dl>")[0]


def test_a_shoot_is_done_from_its_day_then_reviewed_once_and_replied_to_once(
    app,
    customer,  # noqa: F811
    shooter,  # noqa: F811
    booked,
):
    url = f"/ko/bookings/{booked}"
    early = customer.post(url + "/complete", follow_redirects=True)
    assert "촬영 당일부터 완료로 표시할 수 있습니다." in early.get_data(as_text=True)
    shoot_today(app, booked)
    assert shooter["client"].post(url + "/complete").status_code == 302
    assert shooter["client"].post(url + "/review", data={"stars": "5"}).status_code == 302  # not theirs
    customer.post(url + "/review", data={"stars": "4", "text": "바다 사진이 멋졌어요."})
    again = customer.post(url + "/review", data={"stars": "1"}, follow_redirects=True)
    assert "이미 이 촬영의 후기를 남겼습니다." in again.get_data(as_text=True)
    with app.app_context():
        (review,) = db.session.scalars(select(Review)).all()
        assert review.stars == 4
        profile = db.session.get(PhotographerProfile, shooter["profile"])
        assert (profile.rating, profile.review_count) == (4.0, 1)
        review_id = review.id
    shooter["client"].post(f"/ko/reviews/{review_id}/reply", data={"text": "고맙습니다!"})
    shooter["client"].post(f"/ko/reviews/{review_id}/reply", data={"text": "두 번째"})
    assert customer.post(f"/ko/reviews/{review_id}/reply", data={"text": "남의 답글"}).status_code == 404
    with app.app_context():
        assert db.session.get(Review, review_id).reply == "고맙습니다!"
    public = app.test_client().get(f"/ko/photographers/{shooter['profile']}").get_data(as_text=True)
    assert "바다 사진이 멋졌어요." in public and "고맙습니다!" in public and CUSTOMER["name"] not in public


@pytest.mark.parametrize("stars", ["0", "6", "별", ""])
def test_stars_outside_one_to_five_are_refused(app, customer, booked, stars):  # noqa: F811
    shoot_today(app, booked)
    customer.post(f"/ko/bookings/{booked}/complete")
    customer.post(f"/ko/bookings/{booked}/review", data={"stars": stars})
    with app.app_context():
        assert db.session.scalars(select(Review)).all() == []


def test_the_dashboard_shows_the_calendar_and_earnings_by_month(app, customer, shooter, booked):  # noqa: F811
    page = shooter["client"].get("/ko/dashboard").get_data(as_text=True)
    assert "아직 끝난 촬영이 없습니다." in page and "예약됨" in page
    shoot_today(app, booked)
    shooter["client"].post(f"/ko/bookings/{booked}/complete")
    page = shooter["client"].get("/ko/dashboard").get_data(as_text=True)
    month = seoul_today().strftime("%Y-%m")
    assert f"<td>{month}</td><td>1</td><td>150,000</td><td>15,000</td><td>135,000</td>" in page
    assert customer.get("/ko/dashboard").status_code == 302  # not a photographer: to the profile editor
