"""Views of shoot requests, the photographer's asks, and bookings."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from blueprints.messages import flash_form_errors, refusal_message, show_refusal
from blueprints.security.limits import limited
from blueprints.shoots import bp
from blueprints.shoots.forms import (
    TIME_WINDOW_LABELS,
    AnswerForm,
    AskForm,
    ButtonForm,
    CancelForm,
    ConfirmForm,
    ReplyForm,
    RequestForm,
    ReviewForm,
)
from services.booking_states import (
    calendar,
    cancel,
    complete,
    earnings,
    reply,
    review,
    review_of,
    review_to_reply,
    reviews_of,
)
from services.bookings import booking_for, confirm, counterpart_contacts, my_bookings
from services.clock import seoul_today
from services.matching import rank
from services.photographers import profile_of
from services.rules import id_from_text
from services.shoots import (
    RequestDraft,
    ShootError,
    answer_ask,
    asks_for,
    file_request,
    inbox,
    my_requests,
    request_of,
    send_asks,
)


@bp.route("/requests/new", methods=["GET", "POST"])
@limited("RATELIMIT_SHOOT_REQUEST")
@login_required
def new_request():
    """File a shoot request."""
    form = RequestForm(region=request.args.get("region") or current_user.preferred_region)
    if form.validate_on_submit():
        draft = RequestDraft(
            region=form.region.data,
            shoot_date=form.shoot_date.data,
            time_window=form.time_window.data,
            shoot_type=form.shoot_type.data,
            people=form.people.data,
            budget=form.budget.data,
            notes=form.notes.data or "",
        )
        try:
            filed = file_request(current_user, draft)
        except ShootError as error:
            show_refusal(form, error)
        else:
            return redirect(url_for("shoots.show_request", request_id=filed.id))
    status = 400 if request.method == "POST" else 200
    return render_template("shoots/new_request.html", form=form), status


@bp.get("/requests/")
@login_required
def requests():
    """My shoot requests and my bookings."""
    return render_template(
        "shoots/requests.html", requests=my_requests(current_user), bookings=my_bookings(current_user)
    )


@bp.get("/requests/<int:request_id>")
@login_required
def show_request(request_id: int):
    """A request: the ranked photographers with why each matched, the asks and their answers."""
    mine = request_of(current_user, request_id)
    if mine is None:
        abort(404)
    matches, covers = rank(mine) if mine.status == "open" else ([], {})
    asks = asks_for(mine)
    asked = {profile.id for _, profile in asks}
    return render_template(
        "shoots/request.html",
        shoot=mine,
        matches=[m for m in matches if m.profile.id not in asked],
        covers=covers,
        asks=asks,
        ask_form=AskForm(),
        confirm_form=ConfirmForm(),
        windows=TIME_WINDOW_LABELS,
    )


@bp.post("/requests/<int:request_id>/asks")
@limited("RATELIMIT_ASK")
@login_required
def ask(request_id: int):
    """Ask the ticked photographers."""
    mine = request_of(current_user, request_id)
    if mine is None:
        abort(404)
    if AskForm().validate_on_submit():
        ids = [pid for pid in map(id_from_text, request.form.getlist("profile")) if pid is not None]
        try:
            sent = send_asks(current_user, mine, ids)
        except ShootError as error:
            flash(refusal_message(error), "error")
        else:
            flash(
                _l("%(num)d photographers asked. You will get an e-mail when they answer.", num=sent),
                "success",
            )
    else:
        abort(400)
    return redirect(url_for("shoots.show_request", request_id=mine.id))


@bp.post("/asks/<int:ask_id>/confirm")
@login_required
def confirm_booking(ask_id: int):
    """Confirm an accepted ask: the booking is made and contact details are exchanged."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        booking = confirm(current_user, ask_id, bool(form.consent.data))
    except ShootError as error:
        if error.code == "not_found":
            abort(404)
        flash(refusal_message(error), "error")
        return redirect(request.referrer or url_for("shoots.requests"))
    flash(_l("Booked. You can now see each other's contact details."), "success")
    return redirect(url_for("shoots.show_booking", booking_id=booking.id))


@bp.get("/asks/")
@login_required
def asks_inbox():
    """The asks I received as a photographer."""
    mine = profile_of(current_user)
    if mine is None:
        return redirect(url_for("photographers.edit"))
    return render_template(
        "shoots/inbox.html", asks=inbox(mine), form=AnswerForm(), windows=TIME_WINDOW_LABELS
    )


@bp.post("/asks/<int:ask_id>/answer")
@login_required
def answer(ask_id: int):
    """Accept or decline an ask."""
    mine = profile_of(current_user)
    if mine is None:
        abort(404)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            answer_ask(
                mine,
                ask_id,
                form.decision.data == "accept",
                form.price.data,
                form.message.data,
                form.consent.data,
            )
        except ShootError as error:
            if error.code == "not_found":
                abort(404)
            flash(refusal_message(error), "error")
        else:
            flash(_l("Your answer is sent to the customer."), "success")
    else:
        flash_form_errors(form)
    return redirect(url_for("shoots.asks_inbox"))


@bp.get("/bookings/<int:booking_id>")
@login_required
def show_booking(booking_id: int):
    """A booking: the shoot, the price, the other side's contact details, and what can be done next."""
    booking = booking_for(current_user, booking_id)
    if booking is None:
        abort(404)
    return render_template(
        "shoots/booking.html",
        booking=booking,
        contacts=counterpart_contacts(current_user, booking),
        review=review_of(booking),
        due=booking.shoot_date <= seoul_today(),
        cancel_form=CancelForm(),
        button_form=ButtonForm(),
        review_form=ReviewForm(),
        reply_form=ReplyForm(),
    )


def _booking_or_404(booking_id: int):
    booking = booking_for(current_user, booking_id)
    if booking is None:
        abort(404)
    return booking


def _step(form, call, done) -> None:
    """Validate a booking form and take its step, flashing what happened."""
    if not form.validate_on_submit():
        flash_form_errors(form)
        return
    try:
        call(form)
    except ShootError as error:
        flash(refusal_message(error), "error")
    else:
        flash(done, "success")


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel_booking(booking_id: int):
    """Cancel a confirmed booking, saying why."""
    booking = _booking_or_404(booking_id)
    _step(
        CancelForm(), lambda f: cancel(current_user, booking, f.reason.data), _l("The booking is cancelled.")
    )
    return redirect(url_for("shoots.show_booking", booking_id=booking_id))


@bp.post("/bookings/<int:booking_id>/complete")
@login_required
def complete_booking(booking_id: int):
    """Mark the shoot as done."""
    booking = _booking_or_404(booking_id)
    _step(ButtonForm(), lambda f: complete(current_user, booking), _l("The shoot is marked as done."))
    return redirect(url_for("shoots.show_booking", booking_id=booking_id))


@bp.post("/bookings/<int:booking_id>/review")
@login_required
def review_booking(booking_id: int):
    """The customer reviews the shoot."""
    booking = _booking_or_404(booking_id)
    _step(
        ReviewForm(),
        lambda f: review(current_user, booking, int(f.stars.data), f.text.data),
        _l("Thank you for your review."),
    )
    return redirect(url_for("shoots.show_booking", booking_id=booking_id))


@bp.post("/reviews/<int:review_id>/reply")
@login_required
def reply_review(review_id: int):
    """The photographer replies to a review, once."""
    # Anybody else's review, like one that does not exist, is not found (not a flashed refusal).
    if review_to_reply(current_user, review_id) is None:
        abort(404)
    form = ReplyForm()
    _step(form, lambda f: reply(current_user, review_id, f.text.data), _l("Your reply is published."))
    return redirect(request.referrer or url_for("shoots.dashboard"))


@bp.get("/dashboard")
@login_required
def dashboard():
    """A photographer's asks, bookings, calendar and earnings by month."""
    mine = profile_of(current_user)
    if mine is None:
        return redirect(url_for("photographers.edit"))
    return render_template(
        "shoots/dashboard.html",
        profile=mine,
        asks=inbox(mine)[:10],
        bookings=my_bookings(current_user),
        calendar=calendar(mine),
        earnings=earnings(mine),
        reviews=reviews_of(mine),
        reply_form=ReplyForm(),
        windows=TIME_WINDOW_LABELS,
    )
